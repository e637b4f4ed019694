"""Per-attribute label mapping: what each licence-permitted dataset says about each output.

Label meanings differ between datasets (a tweet's "offensive" is not a Wikipedia "toxic"), so each
dataset maps only what it really states; everything else stays NaN (unknown) and that output does
not learn from the row. Official validation / trial / test splits never train: they are where
thresholds are chosen and where the model is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS
from threadguard.datasets.dedupe import dedupe_key
from threadguard.datasets.loaders import load
from threadguard.datasets.registry import REGISTRY

TARGET_COLUMNS = [f"target_{g}" for g in TARGET_GROUPS]
OUTPUTS = [*ATTRIBUTES, *TARGET_COLUMNS]

# Free-text target names (implicit hate stage 3, ToxiChat) -> groups; substring match on lower case.
GROUP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "religion": ("muslim", "islam", "jew", "christian", "religio", "catholic", "hindu", "sikh", "atheist"),
    "race_ethnicity": ("black", "african", "white", "race", "racial", "minorit", "asian", "latin", "hispanic",
                       "arab", "ethnic", "people of color", "poc", "non-white", "indigenous", "native"),
    "nationality_origin": ("immigrant", "migrant", "refugee", "mexican", "foreign", "region", "countr",
                           "nation", "chinese", "indian", "alien"),
    "gender": ("women", "woman", "female", "feminist", "girl", "gender", "men", "male"),
    "sexual_orientation": ("gay", "lesbian", "lgbt", "homosexual", "queer", "bisexual"),
    "gender_identity": ("trans", "non-binary", "nonbinary"),
    "disability": ("disab", "mental", "autis", "retard", "handicap"),
}  # fmt: skip

# How much a row of each domain counts: news comments are the product's domain.
DOMAIN_WEIGHT = {"news": 1.5, "wikipedia": 1.5, "reddit": 1.0, "twitter": 0.6, "synthetic": 3.0}

# Rows that may train; every other split is kept for thresholds and evaluation.
TRAIN_SPLITS = {"train", "all"}


def groups_in(names: str) -> set[str]:
    text = names.lower()
    found = {group for group, words in GROUP_KEYWORDS.items() if any(w in text for w in words)}
    if "women" in text or "woman" in text:
        found.add("gender")
    return found


def _frame(texts: pd.Series, dataset: str, domain: str) -> pd.DataFrame:
    frame = pd.DataFrame({"text": texts.astype(str).to_numpy(), "dataset": dataset, "domain": domain})
    for column in OUTPUTS:
        frame[column] = np.nan
    return frame


def _clean(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> None:
    """Rows judged harmless say every attribute and target is absent."""
    frame.loc[np.asarray(mask), OUTPUTS] = 0.0


def _set_targets(frame: pd.DataFrame, index: int, groups: set[str]) -> None:
    for g in TARGET_GROUPS:
        frame.at[index, f"target_{g}"] = 1.0 if g in groups else 0.0


def davidson(data_dir: Path | None) -> pd.DataFrame:
    raw = load("davidson", data_dir)
    f = _frame(raw["text"], "davidson", "twitter")
    count = raw["count"].to_numpy(dtype=float)
    f["TOXICITY"] = (raw["hate_speech"] + raw["offensive_language"]).to_numpy() / count
    f["IDENTITY_ATTACK"] = raw["hate_speech"].to_numpy() / count
    _clean(f, raw["neither"].to_numpy() == count)
    return f


def hatexplain(data_dir: Path | None) -> pd.DataFrame:
    raw = load("hatexplain_majority", data_dir)
    raw = raw[raw["split"].isin(TRAIN_SPLITS)].reset_index(drop=True)
    f = _frame(raw["text"], "hatexplain", "twitter")
    label = raw["label"].to_numpy()
    f["TOXICITY"] = np.where(label == "normal", 0.0, 1.0)
    f["IDENTITY_ATTACK"] = np.where(label == "hatespeech", 1.0, 0.0)
    _clean(f, label == "normal")
    return f


def implicit_hate(data_dir: Path | None) -> pd.DataFrame:
    raw = load("implicit_hate", data_dir)
    f = _frame(raw["text"], "implicit_hate", "twitter")
    label = raw["class"].to_numpy()
    f["TOXICITY"] = np.select([label == "explicit_hate", label == "implicit_hate"], [1.0, 0.5], 0.0)
    f["IDENTITY_ATTACK"] = np.where(label == "not_hate", 0.0, 1.0)
    _clean(f, label == "not_hate")
    stage2 = load("implicit_hate_stage2", data_dir)
    violent = stage2["implicit_class"].isin(["threatening", "incitement"]) | stage2[
        "extra_implicit_class"
    ].isin(["threatening", "incitement"])
    threat_by_text = dict(zip(stage2["text"].map(dedupe_key), violent.astype(float), strict=True))
    stage3 = load("implicit_hate_stage3", data_dir)
    groups_by_text = {
        dedupe_key(t): groups_in(str(g)) for t, g in zip(stage3["text"], stage3["target"], strict=True)
    }
    keys = f["text"].map(dedupe_key)
    for i, key in enumerate(keys):
        if label[i] == "not_hate":
            continue
        if key in threat_by_text:
            f.at[i, "THREAT"] = threat_by_text[key]
        groups = groups_by_text.get(key)
        if groups:
            _set_targets(f, i, groups)
    return f


def toxic_spans(data_dir: Path | None) -> pd.DataFrame:
    from threadguard.datasets.toxic_spans import drop_semeval_eval_texts

    full = drop_semeval_eval_texts(load("toxic_spans_full", data_dir), load("toxic_spans_semeval", data_dir))
    full = full.reset_index(drop=True)
    f = _frame(full["text"], "toxic_spans", "news")
    # The "not toxic" / "all toxic" ticks are unreliable (the form hid the span box when both were
    # ticked); the share of annotators who marked any span is the toxicity signal, and each subtype
    # is its share among those annotators.
    marked = full["frac_any_span"].to_numpy(dtype=float)
    f["TOXICITY"] = marked
    with np.errstate(invalid="ignore", divide="ignore"):
        for column, source in (("INSULT", "frac_insult"), ("THREAT", "frac_threat"),
                               ("IDENTITY_ATTACK", "frac_identity_attack"),
                               ("PROFANITY", "frac_profane_obscene")):  # fmt: skip
            f[column] = np.where(
                marked > 0, np.clip(full[source].to_numpy(dtype=float) / marked, 0, 1), np.nan
            )
    return f


def ruddit(data_dir: Path | None) -> pd.DataFrame:
    raw = load("ruddit", data_dir)
    score = raw["offensiveness_score"].to_numpy(dtype=float)
    f = _frame(raw["text"], "ruddit", "reddit")
    f["TOXICITY"] = np.where(score >= 0.3, 1.0, np.where(score <= 0.0, 0.0, np.nan))
    _clean(f, score <= -0.2)
    return f


def toxichat(data_dir: Path | None) -> pd.DataFrame:
    raw = load("toxichat", data_dir)
    raw = raw[raw["split"].isin(TRAIN_SPLITS)].reset_index(drop=True)
    f = _frame(raw["text"], "toxichat", "reddit")
    offensive = (raw["offense_label"] == "Offensive").to_numpy()
    f["TOXICITY"] = offensive.astype(float)
    for i, targets in enumerate(raw["offense_targets"]):
        if not offensive[i]:
            continue
        names = (
            " ".join(map(str, targets)) if isinstance(targets, list | tuple | np.ndarray) else str(targets)
        )
        groups = groups_in(names)
        f.at[i, "IDENTITY_ATTACK"] = 1.0 if groups else 0.0
        if groups:
            _set_targets(f, i, groups)
        elif "individual" in names.lower() or "redditor" in names.lower():
            f.at[i, "INSULT"] = 1.0
    _clean(f, ~offensive)
    return f


def fox_news(data_dir: Path | None) -> pd.DataFrame:
    raw = load("fox_news", data_dir)
    f = _frame(raw["text"], "fox_news", "news")
    f["TOXICITY"] = raw["label"].to_numpy(dtype=float)
    return f


def hateval(data_dir: Path | None) -> pd.DataFrame:
    raw = load("hateval", data_dir)
    raw = raw[raw["split"].isin(TRAIN_SPLITS)].reset_index(drop=True)
    f = _frame(raw["text"], "hateval", "twitter")
    hate = raw["label"].to_numpy(dtype=float)
    f["IDENTITY_ATTACK"] = hate
    f.loc[hate == 1, "TOXICITY"] = 1.0
    return f


def wikipedia_gc(data_dir: Path | None) -> pd.DataFrame:
    raw = load("wikipedia_gc", data_dir)  # texts shared with the Jigsaw fuzzed sets are dropped later
    f = _frame(raw["text"], "wikipedia_gc", "wikipedia")
    f["TOXICITY"] = raw["label"].to_numpy(dtype=float)
    _clean(f, raw["label"].to_numpy() == 0)
    return f


def synthetic(seed: int) -> pd.DataFrame:
    from threadguard.model.synthetic import generate

    rows = generate(seed=seed)
    f = _frame(rows["text"], "synthetic", "synthetic")
    f[OUTPUTS] = rows[OUTPUTS].to_numpy()
    return f


# Every dataset that trains the shipped model; each must be licence-permitted in the registry.
TRAINING_SETS: dict[str, Callable[[Path | None], pd.DataFrame]] = {
    "davidson": davidson,
    "hatexplain_majority": hatexplain,
    "implicit_hate": implicit_hate,
    "toxic_spans_full": toxic_spans,
    "ruddit": ruddit,
    "toxichat": toxichat,
    "fox_news": fox_news,
    "hateval": hateval,
    "wikipedia_gc": wikipedia_gc,
}


def fill_implied(frame: pd.DataFrame) -> pd.DataFrame:
    """Labels that follow from others: a threat or an identity attack is toxic; severe toxicity is
    a threat or an explicit attack on a group; no identity attack means no target group."""
    f = frame.copy()
    tox, ia, threat = f["TOXICITY"], f["IDENTITY_ATTACK"], f["THREAT"]
    implied_toxic = f[["IDENTITY_ATTACK", "INSULT", "THREAT"]].max(axis=1, skipna=True) >= 0.5
    f.loc[tox.isna() & implied_toxic, "TOXICITY"] = 1.0
    tox = f["TOXICITY"]
    severe = np.select(
        [threat >= 0.5, (ia >= 0.5) & (tox >= 0.5), tox >= 0.5, tox < 0.5],
        [1.0, 0.7, 0.15, 0.0],
        np.nan,
    )
    f["SEVERE_TOXICITY"] = f["SEVERE_TOXICITY"].fillna(pd.Series(severe, index=f.index))
    no_attack = f["IDENTITY_ATTACK"] < 0.5
    for column in TARGET_COLUMNS:
        f.loc[no_attack & f[column].isna(), column] = 0.0
    return f


def training_frame(data_dir: Path | None = None, seed: int = 0) -> pd.DataFrame:
    """All training rows with their output labels (NaN = unknown), `dataset`, `domain` and `weight`."""
    for name in TRAINING_SETS:
        info = REGISTRY[name]
        if info.use != "train":
            raise ValueError(f"{name} is {info.use}: it must not train the shipped model")
    frames = [loader(data_dir) for loader in TRAINING_SETS.values()]
    frames.append(synthetic(seed))
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["text"].str.strip().astype(bool)]
    frame = frame.drop_duplicates(subset="text").reset_index(drop=True)
    frame = drop_evaluation_texts(frame, data_dir)
    frame = fill_implied(frame)
    frame["weight"] = frame["domain"].map(DOMAIN_WEIGHT).astype(float)
    return frame


EVALUATION_SOURCES: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("wikipedia_gn", None),
    ("wikipedia_cat_small", None),
    ("jigsaw_bias_madlibs", None),
    ("jigsaw_fuzzed", None),
    ("ucc", None),
    ("c3", None),
    ("socc", None),
    ("kaggle_insults", None),
    ("olid", None),
    ("toxic_spans_semeval", ("trial", "test")),
    ("hatexplain_majority", ("val", "test")),
    ("hateval", ("val", "test")),
    ("toxichat", ("val", "test")),
    ("ethos", None),
    ("youtoxic", None),
)


def drop_evaluation_texts(frame: pd.DataFrame, data_dir: Path | None) -> pd.DataFrame:
    """Remove any training row whose text also occurs in an evaluation set or held-out split."""
    held_out: set[str] = set()
    for name, splits in EVALUATION_SOURCES:
        rows = load(name, data_dir)
        if splits is not None:
            rows = rows[rows["split"].isin(splits)]
        held_out.update(rows["text"].astype(str).map(dedupe_key))
    keep = ~frame["text"].map(dedupe_key).isin(held_out)
    dropped = frame.loc[~keep, "dataset"].value_counts().to_dict()
    frame = frame[keep].reset_index(drop=True)
    frame.attrs["dropped_as_evaluation_text"] = {k: int(v) for k, v in dropped.items()}
    return frame
