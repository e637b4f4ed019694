"""Loaders for the Jigsaw / Conversation AI identity-bias evaluation sets (never training data)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from threadguard.datasets.reading import read_table

IDENTITY_TERMS: tuple[str, ...] = (
    "african", "african american", "american", "asian", "bisexual", "black", "blind", "buddhist",
    "canadian", "catholic", "chinese", "christian", "deaf", "elderly", "european", "female", "gay",
    "heterosexual", "hispanic", "homosexual", "indian", "japanese", "jewish", "latina", "latino", "latinx",
    "lesbian", "lgbt", "lgbtq", "male", "mexican", "middle aged", "middle eastern", "millenial", "muslim",
    "nonbinary", "old", "older", "paralyzed", "protestant", "queer", "sikh", "straight", "taoist",
    "teenage", "trans", "transgender", "white", "young", "younger",
)  # fmt: skip
"""The 50 identity terms of bias_madlibs_77k (the `Being <term> is <adj>.` template lists all of them)."""

# Longest alternative first, so "african american" wins over "american".
_TERMS = "|".join(re.escape(t) for t in sorted(IDENTITY_TERMS, key=len, reverse=True))
# The term is the last words of every template except `Being <term> is <adj>.`
_TRAILING_TERM = re.compile(rf"(?:^|\s)({_TERMS})\W*$")
_BEING_TERM = re.compile(rf"^being ({_TERMS}) is ")


def identity_of(text: str, template: str) -> str | None:
    """The identity term a template sentence was built with; None for `you_occupation` (no identity)."""
    if template == "you_occupation":
        return None
    lowered = text.lower()
    match = (_BEING_TERM if template == "being_adj" else _TRAILING_TERM).search(lowered)
    if match is None:
        raise ValueError(f"no identity term found in template {template!r} sentence {text!r}")
    return match.group(1)


def jigsaw_bias_madlibs(folder: Path) -> pd.DataFrame:
    """Columns: Label (BAD / NOT_BAD), Template, toxic (bool), identity (term, None for occupations)."""
    frame = read_table(folder / "bias_madlibs_77k.csv.gz", ["Text"]).rename(columns={"Text": "text"})
    frame["toxic"] = frame["Label"] == "BAD"
    frame["identity"] = [identity_of(t, tpl) for t, tpl in zip(frame["text"], frame["Template"], strict=True)]
    frame.insert(1, "split", "all")
    return frame


def jigsaw_intersectional_madlibs(folder: Path) -> pd.DataFrame:
    """Columns: template, toxicity (toxic / nontoxic), toxic (bool)."""
    frame = read_table(folder / "intersectional_madlibs.csv.gz", ["phrase"]).rename(
        columns={"phrase": "text"}
    )
    frame["toxic"] = frame["toxicity"] == "toxic"
    frame.insert(1, "split", "all")
    return frame


def _fuzzed(path: Path) -> pd.DataFrame:
    frame = read_table(path, ["comment"]).rename(columns={"comment": "text"})
    frame.insert(1, "split", "test")
    return frame


def jigsaw_fuzzed(folder: Path) -> pd.DataFrame:
    """Columns: rev_id (Wikipedia revision), toxic (bool); identity terms swapped at random."""
    return _fuzzed(folder / "toxicity_fuzzed_testset.csv.gz")


def jigsaw_nonfuzzed(folder: Path) -> pd.DataFrame:
    """Columns: rev_id, toxic (bool); the same comments as jigsaw_fuzzed, unchanged."""
    return _fuzzed(folder / "toxicity_nonfuzzed_testset.csv.gz")
