"""Every labelled dataset in ../shared/data, with its licence and whether it may train the shipped model.

The licence rule (DESIGN.md): only CC0, CC BY, CC BY-SA, MIT, Apache-2.0 and TweetEval's "no
restrictions" may train. Non-commercial, GPL and licence-not-stated sets are evaluation-only, and so
are the sets built to measure the model (Jigsaw madlibs, Wikipedia `gn`, CAT-SMALL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Use = Literal["train", "eval-only"]

PERMITTED_LICENCES: frozenset[str] = frozenset(
    {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "MIT", "Apache-2.0", "TweetEval-no-restrictions"}
)
"""Licences under which a dataset may train the shipped default model (SPDX-like names)."""


@dataclass(frozen=True)
class DatasetInfo:
    """One loadable dataset: where it lives, under which licence, and what it may be used for."""

    name: str
    folder: str
    licence: str
    use: Use
    domain: str
    description: str


_ENTRIES: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        "davidson",
        "davidson_hate_offensive_2017",
        "MIT",
        "train",
        "Twitter",
        "24,783 tweets, hate / offensive / neither with annotator counts; no split.",
    ),
    DatasetInfo(
        "hatexplain_majority",
        "hatexplain_majority",
        "CC-BY-4.0",
        "train",
        "Twitter + Gab",
        "Majority label hatespeech / offensive / normal, official train/val/test split "
        "(code MIT, dataset card CC BY 4.0).",
    ),
    DatasetInfo(
        "implicit_hate",
        "implicit_hate_2021",
        "CC-BY-4.0",
        "train",
        "Twitter (US extremist accounts)",
        "Stage 1: explicit_hate / implicit_hate / not_hate; no split.",
    ),
    DatasetInfo(
        "implicit_hate_stage2",
        "implicit_hate_2021",
        "CC-BY-4.0",
        "train",
        "Twitter (US extremist accounts)",
        "Stage 2: implicit-hate subtype (threatening, incitement, ...).",
    ),
    DatasetInfo(
        "implicit_hate_stage3",
        "implicit_hate_2021",
        "CC-BY-4.0",
        "train",
        "Twitter (US extremist accounts)",
        "Stage 3: free-text target group and implied statement.",
    ),
    DatasetInfo(
        "toxic_spans_semeval",
        "toxic_spans_civil_comments",
        "CC0-1.0",
        "train",
        "news comments (Civil Comments)",
        "SemEval-2021 Task 5 character offsets of toxic spans; train/trial/test (trial, test: evaluation).",
    ),
    DatasetInfo(
        "toxic_spans_full",
        "toxic_spans_civil_comments",
        "CC0-1.0",
        "train",
        "news comments (Civil Comments)",
        "16,100 comments with per-annotator span types aggregated to fractions; contains the SemEval "
        "trial/test texts, drop them with drop_semeval_eval_texts before training.",
    ),
    DatasetInfo(
        "ruddit",
        "ruddit",
        "MIT",
        "train",
        "Reddit",
        "6,000 comments with Best-Worst-Scaling offensiveness in [-1, 1] (annotations MIT; Reddit text).",
    ),
    DatasetInfo(
        "toxichat",
        "toxichat_reddit_2021",
        "CC-BY-SA-4.0",
        "train",
        "Reddit threads",
        "Reddit turns labelled Safe / Offensive with targets and the parent turn; official split.",
    ),
    DatasetInfo(
        "fox_news",
        "fox_news_comments_gao2017",
        "MIT",
        "train",
        "news comments (Fox News)",
        "1,528 comments hateful / not, with article title and neighbouring comments; 10 threads.",
    ),
    DatasetInfo(
        "hateval",
        "tweeteval_hateval2019",
        "TweetEval-no-restrictions",
        "train",
        "Twitter",
        "HatEval 2019 hate against immigrants and women; official train/val/test.",
    ),
    DatasetInfo(
        "wikipedia_gc",
        "wikipedia_talk_context_toxicity_2020",
        "Apache-2.0",
        "train",
        "Wikipedia talk pages",
        "10,000 comments rated with the parent shown; `api` is Perspective's score, never a target.",
    ),
    DatasetInfo(
        "wikipedia_gn",
        "wikipedia_talk_context_toxicity_2020",
        "Apache-2.0",
        "eval-only",
        "Wikipedia talk pages",
        "10,000 comments rated without context; the Perspective side-by-side set (its `api` column).",
    ),
    DatasetInfo(
        "wikipedia_cat_small",
        "wikipedia_talk_context_toxicity_2020",
        "Apache-2.0",
        "eval-only",
        "Wikipedia talk pages",
        "978 comments rated both with and without the parent comment.",
    ),
    DatasetInfo(
        "c3",
        "c3_constructive_comments",
        "CC-BY-NC-SA-4.0",
        "eval-only",
        "news comments (Globe and Mail)",
        "12,000 comments, mean crowd toxicity 1-4 and constructiveness; licence unverified, assumed NC.",
    ),
    DatasetInfo(
        "socc",
        "socc_constructiveness_toxicity_2017",
        "CC-BY-NC-SA-4.0",
        "eval-only",
        "news comments (Globe and Mail)",
        "1,121 comments, most popular crowd toxicity answer 1-4.",
    ),
    DatasetInfo(
        "ucc",
        "ucc_unhealthy_comments",
        "CC-BY-NC-SA-4.0",
        "eval-only",
        "news comments (Globe and Mail)",
        "Unhealthy Comments Corpus val/test: healthy, hostile, antagonize, ... (train split unavailable).",
    ),
    DatasetInfo(
        "kaggle_insults",
        "kaggle_insults_impermium_2012",
        "not-stated",
        "eval-only",
        "news / forum comments",
        "Impermium insults: train / val (= test_with_solutions) / test (= final verification set).",
    ),
    DatasetInfo(
        "olid",
        "olid_offenseval2019",
        "not-stated",
        "eval-only",
        "Twitter",
        "OffensEval 2019 subtasks a/b/c; official train and test (test b/c are subsets of test a).",
    ),
    DatasetInfo(
        "ethos",
        "ethos",
        "GPL-3.0",
        "eval-only",
        "YouTube + Reddit",
        "998 comments with the fraction of annotators judging them hateful.",
    ),
    DatasetInfo(
        "ethos_multilabel",
        "ethos",
        "GPL-3.0",
        "eval-only",
        "YouTube + Reddit",
        "The 433 hateful comments with violence, directed/generalised and six target-group fractions.",
    ),
    DatasetInfo(
        "youtoxic",
        "youtoxic_youtube_comments",
        "not-stated",
        "eval-only",
        "YouTube (Ferguson news videos)",
        "1,000 comments with 12 boolean toxicity labels.",
    ),
    DatasetInfo(
        "jigsaw_bias_madlibs",
        "jigsaw_bias_madlibs",
        "CC-BY-4.0",
        "eval-only",
        "synthetic templates",
        "76,564 identity-template sentences, toxic or not, for unintended-bias metrics.",
    ),
    DatasetInfo(
        "jigsaw_intersectional_madlibs",
        "jigsaw_bias_madlibs",
        "CC-BY-4.0",
        "eval-only",
        "synthetic templates",
        "30,240 intersectional identity-template phrases, toxic or not.",
    ),
    DatasetInfo(
        "jigsaw_fuzzed",
        "jigsaw_bias_madlibs",
        "CC-BY-4.0",
        "eval-only",
        "Wikipedia talk pages",
        "1,492 Wikipedia comments with identity terms swapped at random (rev_id, toxic).",
    ),
    DatasetInfo(
        "jigsaw_nonfuzzed",
        "jigsaw_bias_madlibs",
        "CC-BY-4.0",
        "eval-only",
        "Wikipedia talk pages",
        "The same 1,492 Wikipedia comments unchanged (rev_id, toxic).",
    ),
)

REGISTRY: dict[str, DatasetInfo] = {info.name: info for info in _ENTRIES}


def trainable() -> list[str]:
    """Names of the datasets the shipped model may learn from."""
    return [name for name, info in REGISTRY.items() if info.use == "train"]


SYNTHETIC_LICENCE = "threadguard (Apache-2.0), hand-written templates"
_TRAINING_LABELS = {"hatexplain": "hatexplain_majority", "toxic_spans": "toxic_spans_full"}


def training_licence(dataset: str) -> str:
    """The licence of a training frame's `dataset` label (the synthetic rows are our own)."""
    info = REGISTRY.get(dataset) or REGISTRY.get(_TRAINING_LABELS.get(dataset, dataset))
    return info.licence if info else SYNTHETIC_LICENCE
