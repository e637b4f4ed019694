"""`load(name)`: one DataFrame per registry name with `text`, `split`, `dataset` and the native labels.

Labels are NOT mapped to threadguard attributes here; the model decides what each label means.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from threadguard.datasets import conversations, madlibs, news_comments, social_media, toxic_spans
from threadguard.datasets.location import resolve_data_dir
from threadguard.datasets.registry import REGISTRY

SPLITS: frozenset[str] = frozenset({"train", "val", "test", "trial", "all"})

Loader = Callable[[Path], pd.DataFrame]

LOADERS: dict[str, Loader] = {
    "davidson": social_media.davidson,
    "hatexplain_majority": social_media.hatexplain_majority,
    "implicit_hate": social_media.implicit_hate,
    "implicit_hate_stage2": social_media.implicit_hate_stage2,
    "implicit_hate_stage3": social_media.implicit_hate_stage3,
    "hateval": social_media.hateval,
    "olid": social_media.olid,
    "ethos": social_media.ethos,
    "ethos_multilabel": social_media.ethos_multilabel,
    "youtoxic": social_media.youtoxic,
    "c3": news_comments.c3,
    "socc": news_comments.socc,
    "ucc": news_comments.ucc,
    "kaggle_insults": news_comments.kaggle_insults,
    "fox_news": news_comments.fox_news,
    "ruddit": conversations.ruddit,
    "toxichat": conversations.toxichat,
    "wikipedia_gc": conversations.wikipedia_gc,
    "wikipedia_gn": conversations.wikipedia_gn,
    "wikipedia_cat_small": conversations.wikipedia_cat_small,
    "toxic_spans_semeval": toxic_spans.toxic_spans_semeval,
    "toxic_spans_full": toxic_spans.toxic_spans_full,
    "jigsaw_bias_madlibs": madlibs.jigsaw_bias_madlibs,
    "jigsaw_intersectional_madlibs": madlibs.jigsaw_intersectional_madlibs,
    "jigsaw_fuzzed": madlibs.jigsaw_fuzzed,
    "jigsaw_nonfuzzed": madlibs.jigsaw_nonfuzzed,
}


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load dataset `name` (a REGISTRY key) from the shared data folder (see `resolve_data_dir`)."""
    if name not in LOADERS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(LOADERS))}")
    folder = resolve_data_dir(data_dir) / REGISTRY[name].folder
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder {folder} for {name!r} does not exist")
    frame = LOADERS[name](folder)
    return _standardise(frame, name)


def _standardise(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """`text`, `split`, `dataset` first, then the native columns; a missing text or unknown split is a bug."""
    frame = frame.copy()
    frame["dataset"] = name
    if frame["text"].isna().any():
        raise ValueError(f"{name}: {int(frame['text'].isna().sum())} texts are missing")
    unknown = set(frame["split"]) - SPLITS
    if unknown:
        raise ValueError(f"{name}: unknown split names {sorted(unknown)}")
    frame["text"] = frame["text"].astype(str)
    first = ["text", "split", "dataset"]
    return frame[first + [c for c in frame.columns if c not in first]].reset_index(drop=True)
