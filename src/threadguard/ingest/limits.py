"""The per-comment cap: one huge comment must not take the memory of the process that reads it.

Scoring reads only the first 20,480 characters of a comment (scorer.MAX_CHARS), so a longer text is
kept for the moderator up to MAX_COMMENT_CHARS and cut there: the comment stays in its thread (its
replies still hang from it), flagged "truncated", and the cut is counted as "too_long". Bigger input is
refused before it is held whole, also as "too_long": a JSON line over 4 MiB (json_lines.MAX_LINE_BYTES)
is skipped unparsed, a CSV field over MAX_FIELD_CHARS stops the csv module (whose field buffer takes 4
bytes a character) and its row is skipped.
"""

from __future__ import annotations

from collections import Counter

from threadguard.thread.model import Thread

MAX_COMMENT_CHARS = 2**20  # 1 Mi characters: 50 times what is scored, far below what hurts memory
MAX_FIELD_CHARS = 4 * 2**20  # a CSV field longer than this is too_long, as a JSON line over 4 MiB
FIELD_LIMIT_ERROR = "field larger than field limit"  # how the csv module says a field passed it


def cap_text(text: str) -> tuple[str, bool]:
    """The text cut to MAX_COMMENT_CHARS, and whether it was cut."""
    if len(text) <= MAX_COMMENT_CHARS:
        return text, False
    return text[:MAX_COMMENT_CHARS], True


def cap_thread(thread: Thread, warnings: Counter[str]) -> None:
    """Cut every comment of `thread` over the cap, flag it "truncated" and count it as "too_long"."""
    for comment in thread.comments:
        comment.text, cut = cap_text(comment.text)
        if cut:
            comment.flags.add("truncated")
            warnings["too_long"] += 1
