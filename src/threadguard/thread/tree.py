"""Turn comments in any order into a tree: repair what real exports get wrong, and count each repair."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from threadguard.text.utf16 import replace_lone_surrogates
from threadguard.thread.model import Comment, Thread


def assemble(comments: Iterable[Comment], warnings: Counter[str] | None = None) -> list[Comment]:
    """Comments in depth-first pre-order with depths set; nothing dropped.

    Repairs, each flagged on the comment and counted in `warnings`:
    - a repeated id: an exact repeat (same parent, author and text) is merged ("duplicate_merged");
      a different comment under a taken id is renamed "<id>~<n>" and flagged "duplicate_id";
    - a parent that is not in the thread: the comment becomes top-level, flagged "orphan";
    - a parent cycle (including a comment that is its own parent): the first comment of the cycle in
      input order becomes top-level, flagged "cycle".
    Siblings keep their input order.
    """
    counts = warnings if warnings is not None else Counter()
    unique: dict[str, Comment] = {}
    for comment in comments:
        taken = unique.get(comment.id)
        if taken is None:
            unique[comment.id] = comment
            continue
        if (taken.parent_id, taken.author, taken.text) == (comment.parent_id, comment.author, comment.text):
            counts["duplicate_merged"] += 1
            continue
        n = 1
        while f"{comment.id}~{n}" in unique:
            n += 1
        comment.id = f"{comment.id}~{n}"
        comment.flags.add("duplicate_id")
        unique[comment.id] = comment
        counts["duplicate_id"] += 1

    for comment in unique.values():
        if comment.parent_id is not None and comment.parent_id not in unique:
            comment.flags.add("orphan")
            counts["orphan"] += 1
    _break_cycles(unique, counts)

    children: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in unique.values():
        children[_tree_parent(comment)].append(comment)
    ordered: list[Comment] = []
    stack = [(c, 1) for c in reversed(children[None])]
    while stack:
        comment, depth = stack.pop()
        comment.depth = depth
        ordered.append(comment)
        stack.extend((child, depth + 1) for child in reversed(children[comment.id]))
    return ordered


def _tree_parent(comment: Comment) -> str | None:
    if "orphan" in comment.flags or "cycle" in comment.flags:
        return None
    return comment.parent_id


def _break_cycles(unique: dict[str, Comment], counts: Counter[str]) -> None:
    """Walk up from every comment; a walk that meets itself has found a cycle to cut."""
    order = {cid: i for i, cid in enumerate(unique)}
    settled: set[str] = set()
    for start in unique:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in settled:
            if node in on_path:
                cycle = path[path.index(node) :]
                cut = min(cycle, key=order.__getitem__)
                unique[cut].flags.add("cycle")
                counts["cycle"] += 1
                break
            path.append(node)
            on_path.add(node)
            node = _tree_parent(unique[node])
        settled.update(path)


def make_thread(source: str, comments: Iterable[Comment], **meta: str | None) -> Thread:
    """A Thread from comments in any order: assembled, repaired, with repair counts as its warnings.

    `meta` are the Thread's id, url, title and article. Lone surrogates (a JSON export's "\\ud800")
    become U+FFFD in every field before assembly, counted as "lone_surrogate" once per comment and once
    for the thread's own fields: they cannot be stored or sent as UTF-8.
    """
    warnings: Counter[str] = Counter()
    source, repaired = _repaired(source)
    for key, value in meta.items():
        meta[key], found = _repaired(value)
        repaired = repaired or found
    if repaired:
        warnings["lone_surrogate"] += 1
    comments = list(comments)
    for comment in comments:
        repaired = False
        for name in COMMENT_STRINGS:
            value, found = _repaired(getattr(comment, name))
            if found:
                setattr(comment, name, value)
                repaired = True
        if repaired:
            warnings["lone_surrogate"] += 1
    ordered = assemble(comments, warnings)
    return Thread(source=source, comments=ordered, warnings=warnings, **meta)


COMMENT_STRINGS = ("id", "parent_id", "text", "author", "created")


def _repaired(value: Any) -> tuple[Any, bool]:
    """`value` with lone surrogates replaced if it is a string, and whether it had any."""
    if not isinstance(value, str):
        return value, False
    value, count = replace_lone_surrogates(value)
    return value, count > 0
