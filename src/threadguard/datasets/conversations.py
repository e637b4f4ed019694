"""Loaders for sets whose comments come with conversational context: Ruddit, ToxiChat and the Wikipedia
talk-page sets of Pavlopoulos et al. 2020 (gc, gn, CAT-SMALL)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pandas as pd

from threadguard.datasets.reading import read_table, with_text


def ruddit(folder: Path) -> pd.DataFrame:
    """Columns: comment_id, post_id, offensiveness_score (-1 supportive ... 1 offensive), post_title.
    342 bodies are `[deleted]` / `[removed]`; they are kept so the row count matches the source."""
    frame = read_table(folder / "ruddit_with_text.csv.gz", ["comment_body", "post_title"])
    return with_text(frame, "comment_body", "all")


_TOXICHAT_SPLITS = {"train": "train", "dev": "val", "test": "test"}


def toxichat(folder: Path) -> pd.DataFrame:
    """One row per human Reddit turn (chatbot replies left out). Columns: thread_id, turn_id,
    offense_label (Safe / Offensive), offense_targets (list), parent_text ("" for the post),
    stance_label_towards_turn_1, stance_label_towards_turn_2."""
    rows: list[dict[str, Any]] = []
    for file_split, split in _TOXICHAT_SPLITS.items():
        with gzip.open(folder / f"{file_split}.jsonl.gz", "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                thread = json.loads(line)["reddit_thread"]
                parent = ""
                for turn in thread:
                    text = turn["text"].strip()  # every turn is padded with spaces in the source
                    rows.append(
                        {
                            "text": text,
                            "split": split,
                            "thread_id": f"{split}-{number:04d}",
                            "turn_id": turn["turn_id"],
                            "offense_label": turn["offense_label"],
                            "offense_targets": list(turn["offense_targets"]),
                            "parent_text": parent,
                            "stance_label_towards_turn_1": turn.get("stance_label_towards_turn_1"),
                            "stance_label_towards_turn_2": turn.get("stance_label_towards_turn_2"),
                        }
                    )
                    parent = text
    return pd.DataFrame(rows)


def _wikipedia(path: Path) -> pd.DataFrame:
    frame = read_table(path, ["text", "parent"])
    frame.insert(1, "rev_id", frame["id"].str.split(".").str[0].astype("int64"))
    return with_text(frame, "text", "all")


def wikipedia_gc(folder: Path) -> pd.DataFrame:
    """Columns: id, rev_id, parent, label (1 toxic, raters saw the parent), api.

    `api` is Perspective's TOXICITY score: for side-by-side evaluation only, never a training target.
    """
    return _wikipedia(folder / "gc.csv.gz")


def wikipedia_gn(folder: Path) -> pd.DataFrame:
    """Columns: id, rev_id, parent (always ""), label (raters saw no context), api (Perspective)."""
    return _wikipedia(folder / "gn.csv.gz")


def wikipedia_cat_small(folder: Path) -> pd.DataFrame:
    """Columns: parent_text, tox_codes_oc, label_oc (rated without context), tox_codes_ic, label_ic."""
    frame = read_table(folder / "cat_small.csv.gz", ["text", "parent_text"])
    return with_text(frame, "text", "all")
