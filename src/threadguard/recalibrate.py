"""`threadguard train --feedback DB`: the store's labels in, a recalibrated model folder and its report
out. The rule and the folder's layout are model/recalibration.py's; this joins the store, the scorer and
the evaluation suite to it."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import make_url

from threadguard.model.artifact import default_model_dir
from threadguard.model.recalibration import (
    Recalibration,
    Rule,
    labels_by_community,
    recalibrate,
    write_model,
    write_report,
)
from threadguard.scorer import Scorer
from threadguard.store.database import make_engine, normalise_url, session_factory
from threadguard.store.feedback import labelled_rows

EVAL_TASKS = ("c3_socc", "jigsaw_bias_madlibs")  # the suite's tasks that report flag shares


def recalibrate_from_feedback(
    db: str,
    out: Path,
    model: Path | None,
    tier: str,
    communities: Sequence[str] | None,
    rule: Rule,
    force: bool,
    data: Path | None,
    evaluate: bool,
    eval_limit: int,
    console: Console,
) -> tuple[Recalibration, str]:
    """Recalibrate, write the new model to `out` and its report; returns the outcome and the new version."""
    base = model or default_model_dir()
    rows = read_labels(db)
    labels = labels_by_community(rows)
    if communities:
        missing = sorted(set(communities) - set(labels))
        if missing:
            raise ValueError(
                f"no feedback for {', '.join(missing)}; communities with some: {', '.join(labels)}"
            )
        labels = {c: labels[c] for c in communities}
    if not labels:
        raise ValueError(f"no labelled feedback in {db} (suggested scores or moderators' decisions)")
    scorer = Scorer.load(base, tier=tier)
    result = recalibrate(labels, scorer.predict_proba, scorer.thresholds_for, tier, rule)
    provenance = {
        "base_model": scorer.version, "base_dir": str(base), "tier": tier, "database": database_name(db),
        "labels_sha256": hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest(),
        "labels": {c: dict(sorted(Counter(lb.source for lb in ls).items())) for c, ls in labels.items()},
        "date": datetime.now(UTC).strftime("%Y-%m-%d"), "rule": asdict(rule), "rule_text": rule.describe(),
    }  # fmt: skip
    artifact = write_model(base, out, result, provenance, force)
    new = Scorer.load(out, tier=tier)
    print_choices(console, result)
    evaluation = None
    if evaluate and result.thresholds():
        evaluation = flag_shares(scorer, new, list(result.thresholds()), data, eval_limit, console)
        provenance["evaluation_note"] = (
            f"Tasks {', '.join(EVAL_TASKS)} of `threadguard eval`, at most {eval_limit} rows per split: "
            "quick figures, not comparable with reports/eval.md."
        )
    _json, md_path = write_report(out, result, provenance, new.version, evaluation)
    console.print(f"model [bold]{escape(new.version)}[/bold] in {escape(str(out))} "
                  f"(fast tier {artifact.version}); report {escape(str(md_path))}")  # fmt: skip
    if not result.thresholds():
        console.print("[yellow]no threshold moved[/yellow]: the new model flags as the base one does")
    return result, new.version


def read_labels(db: str) -> list[dict[str, Any]]:
    """Every label the store holds, as `threadguard feedback export` writes them."""
    url = make_url(normalise_url(db))
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise FileNotFoundError(f"no database at {url.database}")
    engine = make_engine(db)
    try:
        with session_factory(engine)() as session:
            return list(labelled_rows(session))
    finally:
        engine.dispose()


def database_name(db: str) -> str:
    """The database as the provenance names it: the SQLite file's name, or the URL without its password."""
    url = make_url(normalise_url(db))
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "").name
    return url.render_as_string(hide_password=True)


def print_choices(console: Console, result: Recalibration) -> None:
    """Old and new thresholds with their counts, then why each one moved or stayed."""
    table = Table(title=f"flag thresholds, {result.tier} tier")
    for name in ("community", "attribute", "rows", "pos", "neg", "old", "new", "F1 old", "F1 new"):
        table.add_column(name, justify="left" if name in ("community", "attribute") else "right")
    for c in result.choices:
        colour = "bold green" if c.changed else "dim"
        table.add_row(
            escape(c.community), c.attribute, str(c.rows), str(c.positives), str(c.rows - c.positives),
            f"{c.old:.4g}", f"[{colour}]{c.new:.4g}[/{colour}]", _num(c.f1_old), _num(c.f1_new),
        )  # fmt: skip
    console.print(table)
    for c in result.choices:
        sources = ", ".join(f"{n} from {s}" for s, n in c.sources.items())
        console.print(f"{escape(c.community)} {c.attribute} ({sources}): {escape(c.reason)}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class _SharedProbabilities:
    """A scorer for the evaluation suite whose probabilities are computed once for every set of
    thresholds: the recalibrated model has the base model's weights, so only its flags differ."""

    def __init__(self, scorer: Scorer, cache: dict[str, np.ndarray]) -> None:
        self.scorer, self.cache, self.version = scorer, cache, scorer.version

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.scorer.predict_proba(missing), strict=True))
        return np.array([self.cache[t] for t in texts]).reshape(len(texts), -1)

    def score(self, texts: Sequence[str]) -> list[Any]:
        return self.scorer.score(texts)

    def is_flagged(self, attributes: Mapping[str, float]) -> bool:
        return self.scorer.is_flagged(attributes)


def flag_shares(
    base: Scorer, new: Scorer, communities: list[str], data: Path | None, limit: int, console: Console
) -> dict[str, dict[str, float | None]] | None:
    """The evaluation suite's flag shares (C3, the madlibs) under the base thresholds and under each
    recalibrated community's; None (and a note) when the evaluation sets are not there."""
    from threadguard.eval.suite import run_suite

    cache: dict[str, np.ndarray] = {}
    candidates = {"base": base.for_community(None)} | {c: new.for_community(c) for c in communities}
    shares: dict[str, dict[str, float | None]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, scorer in candidates.items():
            try:
                results = run_suite(
                    _SharedProbabilities(scorer, cache), data_dir=data, out_dir=Path(tmp), baseline=False,
                    limit=limit, tasks=EVAL_TASKS, command="threadguard train --feedback",
                )  # fmt: skip
            except FileNotFoundError as error:
                console.print(f"[yellow]evaluation skipped:[/yellow] {escape(str(error))}")
                return None
            shares[name] = {
                m["metric"]: m["threadguard"]
                for task in results["tasks"].values()
                for m in task["metrics"]
                if m["format"] == "pct"
            }
    table = Table("flag share", *(escape(n) for n in candidates), title="evaluation sets (quick subset)")
    for metric in shares["base"]:
        table.add_row(escape(metric), *(_pct(shares[n].get(metric)) for n in candidates))
    console.print(table)
    return shares


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
