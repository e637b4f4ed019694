"""Keep evaluation texts out of training data: one normalised key per text, and a filter on it."""

from __future__ import annotations

import pandas as pd


def dedupe_key(text: str) -> str:
    """Lower-cased text with whitespace runs collapsed: the same comment copied by two datasets matches."""
    return " ".join(text.lower().split())


def keys(frame: pd.DataFrame) -> set[str]:
    """The dedupe keys of a frame's `text` column."""
    return {dedupe_key(t) for t in frame["text"]}


def drop_overlaps(
    train_df: pd.DataFrame, *eval_dfs: pd.DataFrame, id_column: str | None = None
) -> pd.DataFrame:
    """Rows of `train_df` whose text (or `id_column` value, where both frames have it) is in no eval frame."""
    eval_keys: set[str] = set()
    eval_ids: set[object] = set()
    for frame in eval_dfs:
        eval_keys |= keys(frame)
        if id_column is not None and id_column in frame.columns:
            eval_ids |= set(frame[id_column].dropna())
    keep = ~train_df["text"].map(dedupe_key).isin(eval_keys)
    if eval_ids and id_column in train_df.columns:
        keep &= ~train_df[id_column].isin(eval_ids)
    return train_df[keep].reset_index(drop=True)
