"""Recalibrating a community's flag thresholds from the labels its moderators and clients gave
(`threadguard train --feedback DB`), written as a new versioned model; the shipped one is never touched.

Labels (the rows `threadguard feedback export` writes, store/feedback.py):
- a suggested score (comments:suggestscore, Coral's "send feedback") labels its attribute: positive
  when the suggested value is >= 0.5 (Coral sends 1 for a rejected comment, 0 for an approved one);
- a moderator's decision labels TOXICITY, the attribute Coral and most sites flag on: rejected is
  positive, approved negative;
- one label per text and attribute in a community: when a text was labelled twice, the last one counts.

Rule, per community and attribute: the feedback texts are scored by the tier being recalibrated, and a
new threshold is chosen only with at least `min_rows` labelled rows holding `min_per_class` of each class;
it is the threshold on a 0.01 grid within `max_change` of the old one that maximises F1 (flag when
p >= threshold) on the feedback, the closest to the old one among equals, and the old one stays unless
the F1 improves.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from threadguard.attributes import ATTRIBUTES
from threadguard.model.artifact import CARD_FILE, CONFIG_FILE, Artifact
from threadguard.model.encoder import default_encoder_dir

POSITIVE_FROM = 0.5  # a suggested score at or above this is a positive label
MODERATOR_ATTRIBUTE = "TOXICITY"  # what a moderator's approve/reject labels
GRID = np.round(np.arange(0.01, 1.0, 0.01), 2)
REPORT_JSON = "recalibration.json"
REPORT_MD = "RECALIBRATION.md"
COPIED = ("context.json",)  # the context model works on top of every tier: kept as it is


@dataclass(frozen=True)
class Rule:
    min_rows: int = 50
    min_per_class: int = 10
    max_change: float = 0.2

    def describe(self) -> str:
        return (
            f"per attribute: at least {self.min_rows} labelled rows with {self.min_per_class} of each class; "
            f"the F1-maximising threshold (flag when p >= t, 0.01 grid) within +/-{self.max_change} of "
            "the old one, closest to the old one among equals; the old one is kept unless F1 improves"
        )


@dataclass(frozen=True)
class Label:
    text: str
    attribute: str
    positive: bool
    source: str  # suggestscore | moderator


@dataclass(frozen=True)
class Choice:
    """The outcome for one community and attribute, with what it rests on."""

    community: str
    attribute: str
    rows: int
    positives: int
    sources: dict[str, int]
    old: float
    new: float
    f1_old: float | None
    f1_new: float | None
    reason: str

    @property
    def changed(self) -> bool:
        return self.new != self.old


@dataclass
class Recalibration:
    tier: str
    rule: Rule
    choices: list[Choice] = field(default_factory=list)

    def thresholds(self) -> dict[str, dict[str, float]]:
        """{community: {attribute: threshold}} for the communities where at least one threshold moved."""
        out: dict[str, dict[str, float]] = {}
        for c in self.choices:
            if c.changed:
                out.setdefault(c.community, {})[c.attribute] = c.new
        return out


def labels_by_community(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Label]]:
    """The export's rows as labels per community (see the module docstring for the mapping)."""
    latest: dict[str, dict[tuple[str, str], Label]] = {}
    for row in rows:
        labels = row.get("labels") or {}
        community = row.get("community") or "default"
        if row.get("source") == "moderator":
            decided = labels.get("moderator")
            found = (
                [(MODERATOR_ATTRIBUTE, decided == "rejected")] if decided in ("approved", "rejected") else []
            )
        else:
            found = [(a, float(v) >= POSITIVE_FROM) for a, v in labels.items() if a in ATTRIBUTES]
        for attribute, positive in found:
            key = (row["text"], attribute)
            bucket = latest.setdefault(community, {})
            bucket.pop(key, None)  # the last label counts, in the order it was given
            bucket[key] = Label(row["text"], attribute, positive, str(row.get("source")))
    return {community: list(bucket.values()) for community, bucket in sorted(latest.items())}


def f1_at(scores: np.ndarray, positive: np.ndarray, threshold: float) -> float:
    flagged = scores >= threshold
    hits = int((flagged & positive).sum())
    return 0.0 if hits == 0 else 2 * hits / (int(flagged.sum()) + int(positive.sum()))


def choose(
    scores: np.ndarray, positive: np.ndarray, old: float, rule: Rule
) -> tuple[float, str, float, float]:
    """(threshold, reason, F1 at the old one, F1 at the chosen one) on enough labels of both classes."""
    f1_old = f1_at(scores, positive, old)
    allowed = GRID[np.abs(GRID - old) <= rule.max_change + 1e-9]
    f1 = np.array([f1_at(scores, positive, t) for t in allowed])
    best = allowed[np.flatnonzero(f1 == f1.max())]
    new = float(best[np.argmin(np.abs(best - old))])
    f1_new = float(f1.max())
    if f1_new <= f1_old + 1e-9:
        return old, f1_reason("kept: no threshold within the bound does better", f1_old), f1_old, f1_old
    overall = np.array([f1_at(scores, positive, t) for t in GRID])
    bounded = " (bounded: the best F1 overall lies further)" if overall.max() > f1_new + 1e-9 else ""
    return new, f"F1 {f1_old:.3f} -> {f1_new:.3f}{bounded}", f1_old, f1_new


def f1_reason(text: str, f1: float) -> str:
    return f"{text} (F1 {f1:.3f})"


def recalibrate(
    labels: Mapping[str, list[Label]],
    proba: Callable[[list[str]], np.ndarray],
    thresholds_for: Callable[[str], Mapping[str, float]],
    tier: str,
    rule: Rule | None = None,
) -> Recalibration:
    """Score each community's feedback texts with `proba` (columns in ATTRIBUTES order) and choose
    each attribute's threshold by the rule; `thresholds_for(community)` gives the old ones."""
    result = Recalibration(tier, rule or Rule())
    for community, items in labels.items():
        texts = list(dict.fromkeys(label.text for label in items))
        probabilities = proba(texts) if texts else np.zeros((0, len(ATTRIBUTES)))
        row_of = {text: i for i, text in enumerate(texts)}
        old_thresholds = thresholds_for(community)
        for column, attribute in enumerate(ATTRIBUTES):
            mine = [label for label in items if label.attribute == attribute]
            if not mine:
                continue
            scores = np.array([probabilities[row_of[label.text], column] for label in mine])
            positive = np.array([label.positive for label in mine])
            result.choices.append(
                _choice(community, attribute, mine, scores, positive, old_thresholds[attribute], result.rule)
            )
    return result


def _choice(
    community: str,
    attribute: str,
    mine: list[Label],
    scores: np.ndarray,
    positive: np.ndarray,
    old: float,
    rule: Rule,
) -> Choice:
    n, pos = len(mine), int(positive.sum())
    sources = dict(sorted(Counter(label.source for label in mine).items()))
    if n < rule.min_rows or min(pos, n - pos) < rule.min_per_class:
        why = (
            f"kept: {n} rows, {pos} positive, {n - pos} negative; the rule needs {rule.min_rows} rows "
            f"with {rule.min_per_class} of each class"
        )
        return Choice(community, attribute, n, pos, sources, old, old, None, None, why)
    new, reason, f1_old, f1_new = choose(scores, positive, old, rule)
    return Choice(community, attribute, n, pos, sources, old, new, round(f1_old, 4), round(f1_new, 4), reason)


def check_output(out: Path, base: Path, force: bool) -> None:
    """Refuse to write into the installed package, over the base model, or over a folder that is not
    empty (with `force`: only over an earlier model folder, which is replaced)."""
    target = out.resolve()
    package = Path(str(resources.files("threadguard"))).resolve()
    for protected, what in (
        (package, "the installed threadguard package"),
        (base.resolve(), "the base model"),
    ):
        if target == protected or protected in target.parents or target in protected.parents:
            raise ValueError(f"--out {out} is inside or around {what} ({protected}); choose a new folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        if not force:
            raise ValueError(f"--out {out} exists and is not empty; give --force to replace an earlier model")
        if not (target / CONFIG_FILE).is_file():
            raise ValueError(f"--out {out} is not a threadguard model folder; --force replaces only those")


def write_model(
    base: Path,
    out: Path,
    recalibration: Recalibration,
    provenance: dict[str, Any],
    force: bool = False,
) -> Artifact:
    """A copy of the base model (fast tier, its accurate tier, the context model) whose config carries
    the communities' recalibrated thresholds for the tier; its version id follows from that content."""
    check_output(out, base, force)
    artifact = Artifact.load(base)
    config = json.loads(json.dumps(artifact.config))
    per_tier = config.setdefault("community_thresholds", {}).setdefault(recalibration.tier, {})
    for community, thresholds in recalibration.thresholds().items():
        per_tier[community] = {**per_tier.get(community, {}), **thresholds}
    card = dict(artifact.card)
    card["recalibrations"] = [*card.get("recalibrations", []), provenance]
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staged = Artifact(artifact.coef, artifact.intercept, artifact.idf, config, artifact.lexicon_dir, card)
    staged.save(staging)
    for name in COPIED:
        if (base / name).is_file():
            shutil.copy2(base / name, staging / name)
    encoder = base / "accurate" if (base / "accurate").is_dir() else default_encoder_dir()
    shutil.copytree(encoder, staging / "accurate")
    base_card = (base / CARD_FILE).read_text(encoding="utf-8") if (base / CARD_FILE).is_file() else ""
    (staging / CARD_FILE).write_text(
        base_card.replace(artifact.version, staged.version, 1).rstrip()
        + "\n\n"
        + card_section(recalibration, provenance, artifact.version),
        encoding="utf-8",
    )
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    staged.lexicon_dir = out / "lexicon"
    return staged


def write_report(
    out: Path,
    recalibration: Recalibration,
    provenance: dict[str, Any],
    version: str,
    evaluation: Mapping[str, Mapping[str, float | None]] | None = None,
) -> tuple[Path, Path]:
    """recalibration.json and RECALIBRATION.md in the model folder: old and new thresholds with their
    counts, and (where the evaluation sets were scored) the flag shares under each set of thresholds."""
    payload = {
        "version": version, "provenance": provenance,
        "choices": [asdict(c) for c in recalibration.choices], "evaluation": evaluation,
    }  # fmt: skip
    json_path = out / REPORT_JSON
    json_path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    lines = [f"# Recalibration of `{provenance['base_model']}` -> `{version}`", "",
             card_section(recalibration, provenance, provenance["base_model"]).split("\n", 2)[2]]  # fmt: skip
    if evaluation:
        names = list(evaluation)
        lines += ["## Flag shares on the evaluation sets", "",
                  f"{provenance.get('evaluation_note', '')}", "",
                  "| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]  # fmt: skip
        metrics = list(dict.fromkeys(m for shares in evaluation.values() for m in shares))
        for metric in metrics:
            cells = [_pct(evaluation[name].get(metric)) for name in names]
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
        lines.append("")
    moved = recalibration.thresholds()
    if moved:
        lines += ["## The moderation policy is not changed", "",
                  "These thresholds decide `flagged` (native API, /v1/moderations, `threadguard score`, "
                  "reports). Which comments wait for a moderator is the policy's `review` threshold; to "
                  "follow the new ones there too, add to the policy file:", "", "```toml"]  # fmt: skip
        for community, thresholds in moved.items():
            rules = ", ".join(f"{a} = {{ review = {t} }}" for a, t in thresholds.items())
            lines += [f"[community.{json.dumps(community)}]", *rules.split(", "), ""]
        lines[-1] = "```"
    md_path = out / REPORT_MD
    md_path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return json_path, md_path


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def card_section(recalibration: Recalibration, provenance: dict[str, Any], base_version: str) -> str:
    """The model card's account of the recalibration: where the labels came from and what moved."""
    lines = [
        f"## Recalibrated flag thresholds ({recalibration.tier} tier)",
        "",
        f"Base model `{base_version}`; feedback from {provenance['database']} "
        f"(labels sha256 {provenance['labels_sha256'][:12]}), {provenance['date']}.",
        f"Rule: {recalibration.rule.describe()}.",
        "",
        "| community | attribute | rows | positive | old | new | F1 old | F1 new | why |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in recalibration.choices:
        lines.append(
            f"| {c.community} | {c.attribute} | {c.rows} | {c.positives} | {c.old:.4g} | {c.new:.4g} | "
            f"{_num(c.f1_old)} | {_num(c.f1_new)} | {c.reason} |"
        )
    return "\n".join(lines) + "\n"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
