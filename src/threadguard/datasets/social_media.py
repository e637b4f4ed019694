"""Loaders for the Twitter, Gab and YouTube sets: Davidson, HateXplain, Latent Hatred, HatEval, OLID,
ETHOS and YouToxic. Each returns `text`, `split` and the set's own label columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from threadguard.datasets.cleaning import unescape_html
from threadguard.datasets.reading import read_table, with_text


def davidson(folder: Path) -> pd.DataFrame:
    """Columns: row_id, count, hate_speech, offensive_language, neither (annotator counts), class (0/1/2)."""
    frame = read_table(folder / "labeled_data.csv.gz", ["tweet"]).rename(columns={"Unnamed: 0": "row_id"})
    frame["tweet"] = frame["tweet"].map(unescape_html)
    return with_text(frame, "tweet", "all")


def hatexplain_majority(folder: Path) -> pd.DataFrame:
    """Columns: post_id, post_id_candidates, label (hatespeech / offensive / normal); official split."""
    frame = read_table(folder / "hatexplain_majority.csv.gz", ["text"])
    return frame


def _implicit_hate(folder: Path, stage: int, label_columns: list[str]) -> pd.DataFrame:
    # The *_posts.tsv and the id-only .tsv of a stage have the same rows in the same order.
    posts = read_table(folder / f"implicit_hate_v1_stg{stage}_posts.tsv.gz", ["post"], sep="\t")
    ids = pd.read_csv(folder / f"implicit_hate_v1_stg{stage}.tsv.gz", sep="\t", dtype={"ID": str})
    if len(ids) != len(posts) or not ids[label_columns[0]].equals(posts[label_columns[0]]):
        raise ValueError(f"implicit hate stage {stage}: id file and posts file are not row-aligned")
    posts.insert(0, "id", ids["ID"])
    posts["post"] = posts["post"].map(unescape_html)
    return with_text(posts, "post", "all")


def implicit_hate(folder: Path) -> pd.DataFrame:
    """Stage 1. Columns: id (tweet id or SAP_ id), class (explicit_hate / implicit_hate / not_hate)."""
    return _implicit_hate(folder, 1, ["class"])


def implicit_hate_stage2(folder: Path) -> pd.DataFrame:
    """Stage 2 (implicit hate only). Columns: id, implicit_class, extra_implicit_class."""
    return _implicit_hate(folder, 2, ["implicit_class"])


def implicit_hate_stage3(folder: Path) -> pd.DataFrame:
    """Stage 3. Columns: id, target (free-text group), implied_statement."""
    return _implicit_hate(folder, 3, ["target"])


def hateval(folder: Path) -> pd.DataFrame:
    """Columns: label (1 = hate against immigrants or women). 7 train and 1 val texts are empty ("")."""
    parts = []
    for split in ("train", "val", "test"):
        frame = read_table(folder / f"{split}.csv.gz", ["text"])
        frame["text"] = frame["text"].map(unescape_html)
        parts.append(with_text(frame, "text", split))
    return pd.concat(parts, ignore_index=True)


def olid(folder: Path) -> pd.DataFrame:
    """Columns: id, subtask_a (OFF/NOT), subtask_b (TIN/UNT), subtask_c (IND/GRP/OTH); NaN where not asked.

    The official test sets b and c are subsets of test a, so their labels are joined onto test a by id.
    """
    train = read_table(folder / "train.csv.gz", ["tweet"])
    for column in ("subtask_b", "subtask_c"):
        train[column] = train[column].where(train[column] != "NULL")
    test = read_table(folder / "test_levela.csv.gz", ["tweet"])
    for level in ("b", "c"):
        labels = pd.read_csv(folder / f"test_level{level}.csv.gz", usecols=["id", f"subtask_{level}"])
        test = test.merge(labels, on="id", how="left", validate="one_to_one")
    frame = pd.concat(
        [with_text(train, "tweet", "train"), with_text(test, "tweet", "test")], ignore_index=True
    )
    frame["text"] = frame["text"].map(unescape_html)
    return frame


def ethos(folder: Path) -> pd.DataFrame:
    """Columns: isHate (fraction of annotators, 0-1; the authors call >= 0.5 hate)."""
    frame = read_table(folder / "Ethos_Dataset_Binary.csv.gz", ["comment"], sep=";")
    frame["comment"] = frame["comment"].map(unescape_html)
    return with_text(frame, "comment", "all")


def ethos_multilabel(folder: Path) -> pd.DataFrame:
    """Columns (annotator fractions): violence, directed_vs_generalized, gender, race, national_origin,
    disability, religion, sexual_orientation."""
    frame = read_table(folder / "Ethos_Dataset_Multi_Label.csv.gz", ["comment"], sep=";")
    frame["comment"] = frame["comment"].map(unescape_html)
    return with_text(frame, "comment", "all")


def youtoxic(folder: Path) -> pd.DataFrame:
    """Columns: CommentId, VideoId and the 12 booleans IsToxic, IsAbusive, IsThreat, ... IsRadicalism."""
    frame = read_table(folder / "youtoxic_english_1000.csv.gz", ["Text"], encoding="utf-8-sig")
    return with_text(frame, "Text", "all")
