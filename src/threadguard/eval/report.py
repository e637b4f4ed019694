"""Write the suite's results: reports/eval.json (every number), reports/eval.md (one table per task with
threadguard, the baseline, the published anchor and our goal) and the ROC / reliability figures.

The writer only reads the results dict, so a report can be re-rendered from a saved eval.json.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BASELINE_NAME = "alt-profanity-check"
_COLOURS = {"threadguard": "#1f77b4", BASELINE_NAME: "#ff7f0e", "Perspective": "#2ca02c"}


def write_report(results: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write eval.json, eval.md and figures/*.png under `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figure_dir = out_dir / "figures"
    figure_dir.mkdir(exist_ok=True)
    figures = {name: _draw_figures(name, task, figure_dir) for name, task in results["tasks"].items()}
    json_path = out_dir / "eval.json"
    json_path.write_text(json.dumps(_jsonable(results), indent=2, allow_nan=False) + "\n", encoding="utf-8")
    md_path = out_dir / "eval.md"
    md_path.write_text(render_markdown(results, figures), encoding="utf-8")
    return {"json": json_path, "markdown": md_path, "figures": figure_dir}


def _jsonable(value: Any) -> Any:
    """Plain JSON types; NaN and infinities become null (strict JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- figures ---


def _draw_figures(name: str, task: dict[str, Any], figure_dir: Path) -> list[tuple[str, str]]:
    """(caption, path relative to the report) of the task's ROC and reliability figures, if it has curves."""
    curves = task.get("curves")
    if not curves or not curves.get("roc"):
        return []
    roc_path = figure_dir / f"{name}_roc.png"
    calibration_path = figure_dir / f"{name}_calibration.png"
    _plot_roc(curves, task["title"], roc_path)
    _plot_calibration(curves, task["title"], calibration_path)
    return [
        (f"ROC, {curves['target']}", f"figures/{roc_path.name}"),
        (f"Reliability, {curves['target']}", f"figures/{calibration_path.name}"),
    ]


def _new_axes() -> tuple[Figure, Any]:
    figure = Figure(figsize=(4.8, 4.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)  # Agg: no display, no global pyplot state
    return figure, figure.subplots()


def _plot_roc(curves: dict[str, Any], title: str, path: Path) -> None:
    figure, axes = _new_axes()
    for scorer, points in curves["roc"].items():
        axes.plot(
            points["fpr"],
            points["tpr"],
            label=f"{scorer} (AUC {points['auc']:.3f})",
            color=_COLOURS.get(scorer),
        )
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", linewidth=1)
    axes.set(xlabel="false positive rate", ylabel="true positive rate", xlim=(0, 1), ylim=(0, 1.01))
    axes.set_title(f"{title}\nROC, target: {curves['target']}", fontsize=9)
    axes.legend(loc="lower right", fontsize=8)
    figure.savefig(path)


def _plot_calibration(curves: dict[str, Any], title: str, path: Path) -> None:
    figure, axes = _new_axes()
    for scorer, bins in curves["calibration"].items():
        pairs = [(c, o) for c, o in zip(bins["confidence"], bins["observed"], strict=True) if c is not None]
        if pairs:
            x, y = zip(*pairs, strict=True)
            axes.plot(x, y, marker="o", label=f"{scorer} (ECE {bins['ece']:.3f})", color=_COLOURS.get(scorer))
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", linewidth=1)
    axes.set(
        xlabel="mean predicted probability", ylabel="observed positive rate", xlim=(0, 1), ylim=(0, 1.01)
    )
    axes.set_title(f"{title}\nreliability (10 bins), target: {curves['target']}", fontsize=9)
    axes.legend(loc="best", fontsize=8)
    figure.savefig(path)


# --- markdown ---


def format_value(value: float | None, fmt: str = "float") -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if fmt == "pct" else f"{value:.3f}"


def verdict(row: dict[str, Any]) -> str:
    """'yes', 'no (short by …)' / 'no (over by …)', or 'report only' when the row has no goal."""
    goal, value, fmt = row.get("goal"), row.get("threadguard"), row.get("format", "float")
    if goal is None:
        return "report only"
    if value is None:
        return "not measured"
    gap = goal - value if row.get("goal_op", ">=") == ">=" else value - goal
    if gap <= 0:
        return "yes"
    amount = f"{100 * gap:.1f} points" if fmt == "pct" else f"{gap:.3f}"
    return f"**no** ({'short' if row.get('goal_op', '>=') == '>=' else 'over'} by {amount})"


def goal_text(row: dict[str, Any]) -> str:
    if row.get("goal") is None:
        return "—"
    op = "≥" if row.get("goal_op", ">=") == ">=" else "≤"
    return f"{op} {format_value(row['goal'], row.get('format', 'float'))}"


def anchor_text(row: dict[str, Any]) -> str:
    if row.get("anchor") is None:
        return "—"
    source = row.get("anchor_source")
    return f"{format_value(row['anchor'], row.get('format', 'float'))}" + (f" ({source})" if source else "")


def _table(task: dict[str, Any], baseline_name: str) -> list[str]:
    lines = [
        f"| metric | threadguard | {baseline_name} | anchor | goal | met? |",
        "|---|---|---|---|---|---|",
    ]
    for row in task["metrics"]:
        fmt = row.get("format", "float")
        lines.append(
            f"| {row['metric']} | {format_value(row['threadguard'], fmt)} | "
            f"{format_value(row['baseline'], fmt)} | "
            f"{anchor_text(row)} | {goal_text(row)} | {verdict(row)} |"
        )
    return lines


def _thresholds(task: dict[str, Any]) -> list[str]:
    chosen = task.get("thresholds")
    if not chosen:
        return []
    lines = ["", "Decision thresholds (never chosen on the test split):", ""]
    for scorer, values in chosen.items():
        parts = ", ".join(
            f"{k} = {format_value(v) if isinstance(v, float) else v}" for k, v in values.items()
        )
        lines.append(f"- {scorer}: {parts}")
    return lines


def _worst_identities(task: dict[str, Any]) -> list[str]:
    rows = task.get("worst_identities")
    if not rows:
        return []
    lines = [
        "",
        "Identities with the lowest subgroup AUC (threadguard):",
        "",
        "| identity | rows | subgroup AUC | BPSN AUC | BNSP AUC | non-toxic flagged |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['identity']} | {row['size']} | {format_value(row['subgroup_auc'])} | "
            f"{format_value(row['bpsn_auc'])} | "
            f"{format_value(row['bnsp_auc'])} | {format_value(row['flagged_share'], 'pct')} |"
        )
    return lines


def render_markdown(results: dict[str, Any], figures: dict[str, list[tuple[str, str]]]) -> str:
    """The human-readable report: a summary, then per task its table, thresholds and figures."""
    baseline_name = results.get("baseline") or BASELINE_NAME
    lines = [
        "# threadguard evaluation",
        "",
        f"- model: `{results['model_version']}`",
        f"- date: {results['date']}",
        f"- command: `{results['command']}`",
    ]
    if results.get("limit") is not None:
        lines.append(
            f"- **quick run: at most {results['limit']} rows per split (classes balanced); these numbers are "
            "not comparable with the anchors.**"
        )
    if results.get("baseline") is None:
        lines.append("- baseline not run (`--no-baseline`).")
    lines += [
        "",
        "Only evaluation data is scored. Anchors are published results (source given); goals are ours.",
        "",
        "## Summary",
        "",
        "| task | metric | threadguard | goal | met? |",
        "|---|---|---|---|---|",
    ]
    for task in results["tasks"].values():
        for row in task["metrics"]:
            if row.get("goal") is not None:
                value = format_value(row["threadguard"], row.get("format", "float"))
                lines.append(
                    f"| {task['title']} | {row['metric']} | {value} | {goal_text(row)} | {verdict(row)} |"
                )
    for name, task in results["tasks"].items():
        lines += ["", f"## {task['title']}", "", f"Rows: {task['rows']:,} (`{task['dataset']}`).", ""]
        for note in task.get("notes", []):
            lines += [note, ""]
        lines += ["", *_table(task, baseline_name), *_thresholds(task), *_worst_identities(task)]
        for caption, path in figures.get(name, []):
            lines += ["", f"![{task['title']}: {caption}]({path})"]
    throughput = results.get("throughput")
    if throughput and throughput.get("texts_per_second"):
        lines += [
            "",
            "## Aside: speed during this run",
            "",
            f"threadguard scored {throughput['texts']:,} texts in {throughput['seconds']:.1f} s of "
            f"predict_proba / score calls ({throughput['texts_per_second']:,.0f} texts/s) on "
            f"{throughput['machine']}, while the suite also loaded data and ran the baseline. "
            "Not a controlled benchmark.",
        ]
    return "\n".join(lines) + "\n"
