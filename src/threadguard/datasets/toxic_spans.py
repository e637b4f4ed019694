"""Loaders for the Toxic Spans data (Civil Comments): the SemEval-2021 splits with gold character offsets,
and the full 16,100-comment release aggregated from its per-annotator files.

Texts are never cleaned here: span offsets index the exact source string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd

from threadguard.datasets.dedupe import dedupe_key
from threadguard.datasets.reading import read_table

SPAN_TYPES: dict[str, str] = {
    "Insult": "insult",
    "Threat": "threat",
    "Identity based Attack": "identity_attack",
    "Profane/Obscene": "profane_obscene",
    "Other Toxicity": "other_toxicity",
}
"""Span type as written in spans.csv -> suffix of the `frac_*` column."""

# Three type values were cut short in the source file.
_TRUNCATED_TYPES = {"Insu": "Insult", "Identity based ": "Identity based Attack"}


def toxic_spans_semeval(folder: Path) -> pd.DataFrame:
    """Columns: spans (list[int] of toxic character offsets, gold = >= 50% of raters); train/trial/test."""
    parts = []
    for split in ("train", "trial", "test"):
        frame = read_table(folder / f"semeval2021_tsd_{split}.csv.gz", ["text", "spans"])
        frame["spans"] = frame["spans"].map(lambda s: [int(i) for i in ast.literal_eval(s)])
        frame["split"] = split
        parts.append(frame[["text", "split", "spans"]])
    return pd.concat(parts, ignore_index=True)


def toxic_spans_full(folder: Path) -> pd.DataFrame:
    """One row per comment. Columns: comment_id, n_annotators, frac_<type> for each SPAN_TYPES value (share
    of annotators who marked at least one span of that type), frac_any_span, frac_all_toxic,
    frac_not_toxic, annotated_spans (list of (start, end, type), end exclusive, over all annotators).

    The "all toxic" / "not toxic" ticks are raw checkbox states: the Appen form hid the span box only when
    BOTH were ticked, so 21,189 judgements tick both and give no span. Read them with frac_any_span.
    """
    comments = read_table(folder / "comments.csv.gz", ["comment_text"])
    annotations = pd.read_csv(folder / "annotations.csv.gz")
    spans = pd.read_csv(folder / "spans.csv.gz", keep_default_na=False)
    spans["type"] = spans["type"].replace(_TRUNCATED_TYPES)
    spans = spans.merge(annotations[["annotation", "comment_id"]], on="annotation", validate="many_to_one")

    per_comment = annotations.groupby("comment_id").agg(
        n_annotators=("annotation", "size"),
        frac_all_toxic=("all toxic", "mean"),
        frac_not_toxic=("not toxic", "mean"),
    )
    # Distinct annotations per (comment, type); a type "" (14 untyped spans) only counts for frac_any_span.
    marked = (
        spans.drop_duplicates(["annotation", "type"])
        .groupby(["comment_id", "type"])
        .size()
        .unstack(fill_value=0)
    )
    any_span = spans.drop_duplicates("annotation").groupby("comment_id").size()
    n = per_comment["n_annotators"]
    for source_type, suffix in SPAN_TYPES.items():
        counts = marked[source_type] if source_type in marked else pd.Series(dtype="int64")
        per_comment[f"frac_{suffix}"] = counts.reindex(n.index, fill_value=0) / n
    per_comment["frac_any_span"] = any_span.reindex(n.index, fill_value=0) / n
    span_lists: dict[int, list[tuple[int, int, str]]] = {}
    for comment_id, start, end, span_type in zip(
        spans["comment_id"], spans["start"], spans["end"], spans["type"], strict=True
    ):
        span_lists.setdefault(int(comment_id), []).append((int(start), int(end), str(span_type)))
    per_comment["annotated_spans"] = [span_lists.get(int(c), []) for c in per_comment.index]

    frame = comments.merge(per_comment.reset_index(), on="comment_id", how="left", validate="one_to_one")
    frame = frame.rename(columns={"comment_text": "text"})
    frame.insert(1, "split", "all")
    return frame


def drop_semeval_eval_texts(full: pd.DataFrame, semeval: pd.DataFrame) -> pd.DataFrame:
    """`toxic_spans_full` without the comments whose normalised text is in the SemEval trial or test split,
    so the official evaluation posts never reach training."""
    held_out = semeval[semeval["split"].isin(["trial", "test"])]
    eval_keys = {dedupe_key(t) for t in held_out["text"]}
    keep = ~full["text"].map(dedupe_key).isin(eval_keys)
    return full[np.asarray(keep)].reset_index(drop=True)
