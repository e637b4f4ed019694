"""Every loader against the row and label counts stated in the datasets' DATASET.md files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from threadguard.datasets import (
    LOADERS,
    PERMITTED_LICENCES,
    REGISTRY,
    dedupe_key,
    drop_overlaps,
    drop_semeval_eval_texts,
    load,
)
from threadguard.datasets.loaders import SPLITS
from threadguard.datasets.madlibs import IDENTITY_TERMS

# name -> rows per split, as documented in ../shared/data/*/DATASET.md
EXPECTED_ROWS: dict[str, dict[str, int]] = {
    "davidson": {"all": 24_783},
    "hatexplain_majority": {"train": 15_383, "val": 1_922, "test": 1_924},
    "implicit_hate": {"all": 21_480},
    "implicit_hate_stage2": {"all": 6_346},
    "implicit_hate_stage3": {"all": 6_358},
    "toxic_spans_semeval": {"train": 7_939, "trial": 690, "test": 2_000},
    "toxic_spans_full": {"all": 16_100},
    "ruddit": {"all": 6_000},
    "toxichat": {"train": 3_211, "val": 708, "test": 704},
    "fox_news": {"all": 1_528},
    "hateval": {"train": 9_000, "val": 1_000, "test": 2_970},
    "wikipedia_gc": {"all": 10_000},
    "wikipedia_gn": {"all": 10_000},
    "wikipedia_cat_small": {"all": 978},
    "c3": {"all": 12_000},
    "socc": {"all": 1_121},
    "ucc": {"val": 4_427, "test": 4_425},
    "kaggle_insults": {"train": 3_947, "val": 2_647, "test": 2_235},
    "olid": {"train": 13_240, "test": 860},
    "ethos": {"all": 998},
    "ethos_multilabel": {"all": 433},
    "youtoxic": {"all": 1_000},
    "jigsaw_bias_madlibs": {"all": 76_564},
    "jigsaw_intersectional_madlibs": {"all": 30_240},
    "jigsaw_fuzzed": {"test": 1_492},
    "jigsaw_nonfuzzed": {"test": 1_492},
}

REQUIRED_COLUMNS: dict[str, list[str]] = {
    "davidson": ["hate_speech", "offensive_language", "neither", "count", "class"],
    "hatexplain_majority": ["post_id", "label"],
    "implicit_hate": ["id", "class"],
    "implicit_hate_stage2": ["id", "implicit_class", "extra_implicit_class"],
    "implicit_hate_stage3": ["id", "target", "implied_statement"],
    "toxic_spans_semeval": ["spans"],
    "toxic_spans_full": [
        "comment_id",
        "n_annotators",
        "frac_insult",
        "frac_threat",
        "frac_identity_attack",
        "frac_profane_obscene",
        "frac_other_toxicity",
        "frac_any_span",
        "frac_all_toxic",
        "frac_not_toxic",
        "annotated_spans",
    ],
    "ruddit": ["comment_id", "offensiveness_score", "post_title"],
    "toxichat": ["thread_id", "turn_id", "offense_label", "offense_targets", "parent_text"],
    "fox_news": ["label", "title", "prev", "succ"],
    "hateval": ["label"],
    "wikipedia_gc": ["id", "rev_id", "parent", "label", "api"],
    "wikipedia_gn": ["id", "rev_id", "parent", "label", "api"],
    "wikipedia_cat_small": ["parent_text", "label_oc", "label_ic"],
    "c3": ["crowd_toxicity_level", "toxicity_characteristics", "constructive_binary", "article_id"],
    "socc": ["toxicity_level", "is_constructive", "title"],
    "ucc": ["healthy", "hostile", "antagonize", "generalisation_unfair", "sarcastic"],
    "kaggle_insults": ["Insult", "Usage", "source_file"],
    "olid": ["id", "subtask_a", "subtask_b", "subtask_c"],
    "ethos": ["isHate"],
    "ethos_multilabel": ["violence", "directed_vs_generalized", "religion"],
    "youtoxic": ["IsToxic", "IsThreat", "VideoId"],
    "jigsaw_bias_madlibs": ["Label", "Template", "toxic", "identity"],
    "jigsaw_intersectional_madlibs": ["template", "toxic"],
    "jigsaw_fuzzed": ["rev_id", "toxic"],
    "jigsaw_nonfuzzed": ["rev_id", "toxic"],
}

EVAL_ONLY = [
    "c3",
    "socc",
    "ucc",
    "ethos",
    "ethos_multilabel",
    "olid",
    "kaggle_insults",
    "youtoxic",
    "jigsaw_bias_madlibs",
    "jigsaw_intersectional_madlibs",
    "jigsaw_fuzzed",
    "jigsaw_nonfuzzed",
    "wikipedia_gn",
    "wikipedia_cat_small",
]


def test_registry_and_loaders_cover_the_same_names() -> None:
    assert set(REGISTRY) == set(LOADERS) == set(EXPECTED_ROWS) == set(REQUIRED_COLUMNS)


def test_every_training_set_has_a_permitted_licence() -> None:
    for info in REGISTRY.values():
        if info.use == "train":
            assert info.licence in PERMITTED_LICENCES, info.name
        else:
            assert info.use == "eval-only", info.name


@pytest.mark.parametrize("name", EVAL_ONLY)
def test_restricted_and_measurement_sets_are_eval_only(name: str) -> None:
    assert REGISTRY[name].use == "eval-only"


def test_wikipedia_gc_may_train() -> None:
    assert REGISTRY["wikipedia_gc"].use == "train"


def test_unknown_name_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown dataset"):
        load("no_such_set")


def test_missing_data_dir_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        load("davidson", data_dir=missing)


def test_env_var_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADGUARD_DATA", str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError, match="THREADGUARD_DATA"):
        load("davidson")


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_rows_columns_and_text(name: str, shared_data: Path) -> None:
    frame = load(name, shared_data)
    assert frame["split"].value_counts().to_dict() == EXPECTED_ROWS[name]
    assert list(frame.columns[:3]) == ["text", "split", "dataset"]
    assert set(REQUIRED_COLUMNS[name]) <= set(frame.columns)
    assert not frame["text"].isna().any()
    assert all(isinstance(t, str) for t in frame["text"])
    assert set(frame["split"]) <= SPLITS
    assert (frame["dataset"] == name).all()


def test_label_counts(shared_data: Path) -> None:
    gc = load("wikipedia_gc", shared_data)
    assert int(gc["label"].sum()) == 151
    assert int(load("wikipedia_gn", shared_data)["label"].sum()) == 59
    cat = load("wikipedia_cat_small", shared_data)
    assert (int(cat["label_oc"].sum()), int(cat["label_ic"].sum())) == (125, 211)
    hx = load("hatexplain_majority", shared_data)
    assert hx[hx["split"] == "test"]["label"].value_counts().to_dict() == {
        "normal": 782,
        "hatespeech": 594,
        "offensive": 548,
    }
    assert load("davidson", shared_data)["class"].value_counts().to_dict() == {1: 19_190, 2: 4_163, 0: 1_430}
    hv = load("hateval", shared_data)
    assert hv.groupby("split")["label"].sum().to_dict() == {"train": 3_783, "val": 427, "test": 1_252}
    ki = load("kaggle_insults", shared_data)
    assert ki.groupby("split")["Insult"].sum().to_dict() == {"train": 1_049, "val": 693, "test": 1_077}
    olid = load("olid", shared_data)
    test = olid[olid["split"] == "test"]
    assert test["subtask_a"].value_counts().to_dict() == {"NOT": 620, "OFF": 240}
    assert test["subtask_b"].value_counts().to_dict() == {"TIN": 213, "UNT": 27}
    assert test["subtask_c"].value_counts().to_dict() == {"IND": 100, "GRP": 78, "OTH": 35}
    assert load("socc", shared_data)["toxicity_level"].value_counts().to_dict() == {
        1: 902,
        2: 177,
        3: 35,
        4: 7,
    }
    assert int((load("c3", shared_data)["crowd_toxicity_level"] >= 2).sum()) == 1_056
    ucc = load("ucc", shared_data)
    assert ucc.groupby("split")["hostile"].sum().to_dict() == {"val": 99, "test": 108}
    assert int((load("ethos", shared_data)["isHate"] >= 0.5).sum()) == 433
    assert int(load("fox_news", shared_data)["label"].sum()) == 435
    assert int(load("youtoxic", shared_data)["IsThreat"].sum()) == 21
    tc = load("toxichat", shared_data)
    assert tc.groupby("split")["offense_label"].apply(lambda s: int((s == "Offensive").sum())).to_dict() == {
        "train": 929,
        "val": 204,
        "test": 203,
    }
    assert int(load("jigsaw_fuzzed", shared_data)["toxic"].sum()) == 248


def test_toxichat_parent_is_previous_turn(shared_data: Path) -> None:
    turns = load("toxichat", shared_data)
    first = turns[turns["turn_id"] == 1]
    assert (first["parent_text"] == "").all()
    second = turns[turns["turn_id"] == 2].iloc[0]
    post = turns[(turns["thread_id"] == second["thread_id"]) & (turns["turn_id"] == 1)].iloc[0]
    assert second["parent_text"] == post["text"]
    assert all(isinstance(t, list) for t in turns["offense_targets"])


def test_kaggle_text_has_no_escape_artefacts(shared_data: Path) -> None:
    text = load("kaggle_insults", shared_data)["text"]
    assert not text.str.contains(r"\\[nxu]", regex=True).any()
    assert not text.str.contains("&amp;", regex=False).any()
    assert (text.str.startswith('"') & text.str.endswith('"')).mean() < 0.05  # outer quotes stripped


def test_davidson_entities_decoded(shared_data: Path) -> None:
    text = load("davidson", shared_data)["text"]
    assert not text.str.contains("&amp;", regex=False).any()
    assert not text.str.contains("&#128514;", regex=False).any()


def test_madlibs_identity_terms(shared_data: Path) -> None:
    madlibs = load("jigsaw_bias_madlibs", shared_data)
    assert int(madlibs["toxic"].sum()) == 38_282
    occupations = madlibs["Template"] == "you_occupation"
    assert madlibs.loc[occupations, "identity"].isna().all()
    counts = madlibs.loc[~occupations, "identity"].value_counts()
    assert set(counts.index) == set(IDENTITY_TERMS)
    # every term appears in the same number of toxic and non-toxic sentences
    balance = madlibs[~occupations].groupby("identity")["toxic"].mean()
    assert (balance == 0.5).all()


def test_semeval_spans_are_int_offsets_inside_the_text(shared_data: Path) -> None:
    semeval = load("toxic_spans_semeval", shared_data)
    empty = semeval["spans"].map(len) == 0
    assert semeval[empty]["split"].value_counts().to_dict() == {"train": 485, "trial": 43, "test": 394}
    for text, spans in zip(semeval["text"], semeval["spans"], strict=True):
        assert all(isinstance(i, int) and 0 <= i < len(text) for i in spans)


def test_toxic_spans_full_fractions(shared_data: Path) -> None:
    full = load("toxic_spans_full", shared_data)
    assert (full["n_annotators"] >= 3).all()
    fractions = full[[c for c in full.columns if c.startswith("frac_")]]
    assert ((fractions >= 0) & (fractions <= 1)).all().all()
    # spans.csv lists Insult 34,336 (+2 truncated) spans; each annotation counts once per type
    assert full["frac_insult"].gt(0).sum() > 10_000
    assert sum(len(s) for s in full["annotated_spans"]) == 46_784


def test_semeval_eval_texts_are_dropped_from_full(shared_data: Path) -> None:
    full = load("toxic_spans_full", shared_data)
    semeval = load("toxic_spans_semeval", shared_data)
    kept = drop_semeval_eval_texts(full, semeval)
    held_out = {dedupe_key(t) for t in semeval[semeval["split"].isin(["trial", "test"])]["text"]}
    assert not set(kept["text"].map(dedupe_key)) & held_out
    assert len(full) - len(kept) >= 2_690 - 10  # a few trial/test texts are duplicates of each other


def test_jigsaw_fuzzed_out_of_wikipedia_gc(shared_data: Path) -> None:
    gc = load("wikipedia_gc", shared_data)
    fuzzed = load("jigsaw_fuzzed", shared_data)
    clean = drop_overlaps(gc, fuzzed, load("jigsaw_nonfuzzed", shared_data), id_column="rev_id")
    assert len(clean) < len(gc)
    assert not set(clean["rev_id"]) & set(fuzzed["rev_id"])


def test_drop_overlaps_by_text_and_id() -> None:
    train = pd.DataFrame({"text": ["Hello  World", "kept", "other"], "rev_id": [1, 2, 3]})
    evaluation = pd.DataFrame({"text": ["hello world", "unrelated"], "rev_id": [9, 3]})
    assert drop_overlaps(train, evaluation)["text"].tolist() == ["kept", "other"]
    assert drop_overlaps(train, evaluation, id_column="rev_id")["text"].tolist() == ["kept"]


def test_dedupe_key() -> None:
    assert dedupe_key("  A\tquick\n\nFox ") == "a quick fox"
