"""The ablation: every candidate model through the same evaluation suite, one table side by side.

Candidates are the shipped tiers (fast, accurate, auto), the two Jigsaw-2018 teachers alone (and
their mean), so the choice of default is visible, and any other fast-tier model folder named
`label=path` (a retrain without distillation, say), so what a training choice adds is a column too.
Each candidate's full report lands in `<out>/ablation/<label>/eval.md`; `<out>/ablation.md` has one
row per metric with every candidate beside alt-profanity-check, the published anchor (Perspective
where its scores exist) and our goal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.eval.report import anchor_text, format_value, goal_text
from threadguard.eval.suite import ScorerLike, run_suite
from threadguard.model.teachers import JIGSAW_LABELS, JigsawTeacher
from threadguard.scores import CommentScore

# our attribute -> the teachers' output (SEXUALLY_EXPLICIT has none: reported as 0)
TEACHER_COLUMNS = {
    "TOXICITY": "toxic",
    "SEVERE_TOXICITY": "severe_toxic",
    "IDENTITY_ATTACK": "identity_hate",
    "INSULT": "insult",
    "PROFANITY": "obscene",
    "THREAT": "threat",
}
CANDIDATES = ("fast", "accurate", "auto", "tox_block", "toxic_comment_classifier", "teachers_mean")


class TeacherScorer:
    """One teacher (or the mean of several) as a suite candidate: its six outputs mapped onto our
    attributes, flagged at 0.5 as their authors use them, no spans and no target groups."""

    def __init__(self, teachers: Sequence[JigsawTeacher]) -> None:
        self.teachers = list(teachers)
        self.version = "+".join(f"{t.name}-{t.version}" for t in self.teachers)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raw = np.mean([t.predict_proba(list(texts)) for t in self.teachers], axis=0)
        out = np.zeros((len(texts), len(ATTRIBUTES)))
        for name, label in TEACHER_COLUMNS.items():
            out[:, ATTRIBUTES.index(name)] = raw[:, JIGSAW_LABELS.index(label)]
        return out

    def is_flagged(self, attributes: Mapping[str, float]) -> bool:
        return any(p >= 0.5 for p in attributes.values())

    def score(self, texts: Sequence[str]) -> list[CommentScore]:
        results = []
        for row in self.predict_proba(texts):
            attributes = {name: float(p) for name, p in zip(ATTRIBUTES, row, strict=True)}
            results.append(CommentScore(attributes, {}, {}, self.is_flagged(attributes), "en", self.version))
        return results


def candidate(name: str, model: Path | None = None) -> ScorerLike:
    """The named candidate: a threadguard tier, a teacher, or `label=path`, the fast tier of the model
    folder at path."""
    from threadguard.scorer import TIERS, Scorer

    if "=" in name:
        return Scorer.load(Path(name.split("=", 1)[1]), tier="fast")
    if name in TIERS:
        return Scorer.load(model, tier=name)
    if name == "teachers_mean":
        return TeacherScorer(
            [JigsawTeacher.load("tox_block"), JigsawTeacher.load("toxic_comment_classifier")]
        )
    if name in ("tox_block", "toxic_comment_classifier"):
        return TeacherScorer([JigsawTeacher.load(name)])
    raise ValueError(f"unknown candidate {name!r}; choose from {', '.join(CANDIDATES)}")


def run_ablation(
    names: Sequence[str] = CANDIDATES,
    data_dir: Path | None = None,
    out_dir: Path = Path("reports"),
    limit: int | None = None,
    model: Path | None = None,
    progress: Callable[[str], None] = print,
    reuse: Sequence[str] = (),
) -> Path:
    """Run the suite for every candidate (a `reuse` one is read back from its earlier run's
    `<out>/ablation/<label>/eval.json`, whose model version the table shows); write `<out>/ablation.md`
    and `.json`; return the markdown path."""
    runs: dict[str, dict[str, Any]] = {}
    for name in names:
        label = name.split("=", 1)[0]
        report_dir = out_dir / "ablation" / label
        if label in reuse:
            progress(f"suite for {label}: the earlier run in {report_dir}")
            runs[label] = json.loads((report_dir / "eval.json").read_text(encoding="utf-8"))
            continue
        progress(f"suite for {label}")
        runs[label] = run_suite(
            candidate(name, model), data_dir, report_dir,
            baseline=True, limit=limit, command=f"threadguard ablation ({label})",
        )  # fmt: skip
    table = ablation_table(runs)
    (out_dir / "ablation.json").write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    path = out_dir / "ablation.md"
    path.write_text(render_ablation(table, limit), encoding="utf-8")
    return path


def ablation_table(runs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Rows of (task, metric) with each candidate's value, the baseline, the anchor and the goal."""
    names = list(runs)
    first = runs[names[0]]
    rows = []
    for task, result in first["tasks"].items():
        for k, metric in enumerate(result["metrics"]):
            rows.append(
                {
                    "task": result["title"],
                    "metric": metric["metric"],
                    "format": metric["format"],
                    "values": {n: runs[n]["tasks"][task]["metrics"][k]["threadguard"] for n in names},
                    "baseline": metric["baseline"],
                    "anchor": metric["anchor"],
                    "anchor_source": metric["anchor_source"],
                    "goal": metric["goal"],
                    "goal_op": metric["goal_op"],
                }
            )
    versions = {n: runs[n]["model_version"] for n in names}
    speed = {n: runs[n]["throughput"]["texts_per_second"] for n in names}
    return {"candidates": names, "versions": versions, "texts_per_second": speed, "rows": rows}


def render_ablation(table: dict[str, Any], limit: int | None) -> str:
    names = table["candidates"]
    lines = [
        "# threadguard ablation",
        "",
        "Every candidate through the same evaluation suite (`threadguard ablation`); the full report of",
        "each is in `ablation/<name>/eval.md`. Teachers: the Jigsaw-2018 BiLSTMs alone (no spans, no",
        "target groups, flagged at 0.5). Evaluation data only; nothing here was chosen on these rows.",
        "",
    ]
    if limit:
        lines += [f"**Quick run: at most {limit} rows per set; not comparable with the anchors.**", ""]
    lines += ["| task | metric | " + " | ".join(names) + " | alt-profanity-check | anchor | goal |"]
    lines += ["|" + "---|" * (len(names) + 5)]
    for row in table["rows"]:
        values = " | ".join(format_value(row["values"][n], row["format"]) for n in names)
        lines.append(
            f"| {row['task']} | {row['metric']} | {values} | {format_value(row['baseline'], row['format'])} "
            f"| {anchor_text(row)} | {goal_text(row)} |"
        )
    lines += ["", "| candidate | model version | texts/s in the suite |", "|---|---|---|"]
    for n in names:
        speed = table["texts_per_second"][n]
        lines.append(f"| {n} | `{table['versions'][n]}` | {speed:,.0f} |" if speed else f"| {n} | | |")
    return "\n".join(lines) + "\n"
