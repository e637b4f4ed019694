"""Loaders for the news-site comment sets: C3, SOCC (CTC 2017), UCC (Globe and Mail), the Impermium
Kaggle insults and the Fox News threads. Each returns `text`, `split` and the set's own label columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from threadguard.datasets.cleaning import decode_kaggle_comment, unescape_html
from threadguard.datasets.reading import read_table, with_text


def c3(folder: Path) -> pd.DataFrame:
    """All original columns; labels: crowd_toxicity_level (mean of 1-4 ratings), toxicity_characteristics,
    constructive, constructive_binary. `text` is `comment_text` (the raw one, not `pp_comment_text`)."""
    frame = read_table(folder / "C3_anonymized.csv.gz", ["comment_text"])
    return with_text(frame, "comment_text", "all")


def socc(folder: Path) -> pd.DataFrame:
    """Columns: toxicity_level (the most popular crowd answer, 1 not ... 4 very toxic), toxicity_level_second,
    is_constructive, title, globe_url and the CrowdFlower bookkeeping (`_golden` marks gold questions)."""
    frame = read_table(folder / "SFU_constructiveness_toxicity.csv.gz", ["comment"])
    frame = frame.rename(
        columns={
            "is_toxic_popular_answer_1": "toxicity_level",
            "is_toxic_popular_answer_2": "toxicity_level_second",
        }
    )
    frame["comment"] = frame["comment"].map(unescape_html)
    return with_text(frame, "comment", "all")


def ucc(folder: Path) -> pd.DataFrame:
    """Columns: healthy, hostile, antagonize, dismissive, condescending, sarcastic, generalisation,
    generalisation_unfair (binary majority) each with `:confidence`; split val / test (no train exists)."""
    parts = [
        with_text(read_table(folder / f"{s}.csv.gz", ["comment"]), "comment", s) for s in ("val", "test")
    ]
    return pd.concat(parts, ignore_index=True)


_KAGGLE_FILES = {
    "train": "train.csv.gz",
    "val": "test_with_solutions.csv.gz",
    "test": "impermium_verification_labels.csv.gz",
}


def kaggle_insults(folder: Path) -> pd.DataFrame:
    """Columns: Insult (0/1), Date, Usage, source_file. Splits follow the competition: `val` is
    test_with_solutions (the public/first test set), `test` the final verification set."""
    parts = []
    for split, name in _KAGGLE_FILES.items():
        frame = read_table(folder / name, ["Comment"])
        frame["Comment"] = frame["Comment"].map(decode_kaggle_comment)
        frame["source_file"] = name.removesuffix(".csv.gz")
        parts.append(with_text(frame, "Comment", split))
    return pd.concat(parts, ignore_index=True)


def fox_news(folder: Path) -> pd.DataFrame:
    """Columns: label (1 = hateful), title and meta (the article), prev / succ (neighbouring comments,
    "" when none), user, mentions. Ten threads: split by `title`, never at random."""
    frame = pd.read_json(folder / "fox-news-comments.jsonl.gz", lines=True, dtype=False)
    for column in ("title", "text", "meta", "prev", "succ", "user", "mentions"):
        frame[column] = frame[column].fillna("").astype(str)
    return with_text(frame, "text", "all")
