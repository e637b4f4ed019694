"""Near-duplicate comments across threads (copy-paste campaigns), found with MinHash LSH."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")
SHINGLE = 3  # words per shingle
MIN_WORDS = 6  # shorter comments ("Agreed.", "lol") repeat by chance, not by campaign


@dataclass(frozen=True)
class Posting:
    thread: str
    comment_id: str
    author: str | None
    text: str


def shingles(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def near_duplicates(
    postings: Iterable[Posting], threshold: float = 0.8, num_perm: int = 128, seed: int = 1
) -> list[list[Posting]]:
    """Groups of postings whose estimated Jaccard similarity of word 3-shingles is at least `threshold`
    and that span two or more threads; largest groups first. Deterministic for a given seed."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    kept: list[Posting] = []
    signatures: list[MinHash] = []
    for posting in postings:
        if len(WORD.findall(posting.text)) < MIN_WORDS:
            continue
        signature = MinHash(num_perm=num_perm, seed=seed)
        for shingle in shingles(posting.text):
            signature.update(shingle.encode("utf-8"))
        lsh.insert(str(len(kept)), signature)
        kept.append(posting)
        signatures.append(signature)
    parent = list(range(len(kept)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, signature in enumerate(signatures):
        for key in lsh.query(signature):
            a, b = root(i), root(int(key))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Posting]] = {}
    for i, posting in enumerate(kept):
        groups.setdefault(root(i), []).append(posting)
    campaigns = [g for g in groups.values() if len({p.thread for p in g}) >= 2]
    return sorted(campaigns, key=lambda g: (-len(g), g[0].thread, g[0].comment_id))
