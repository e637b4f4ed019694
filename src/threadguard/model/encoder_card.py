"""MODEL_CARD.md of the accurate tier, rendered from the card in its encoder.json (training + calibration)."""

from __future__ import annotations

import json
from pathlib import Path

from threadguard.datasets.registry import training_licence
from threadguard.model.encoder import CONFIG_FILE, EncoderArtifact


def render_encoder_card(directory: Path) -> str:
    artifact = EncoderArtifact.load(directory)
    payload = json.loads((directory / CONFIG_FILE).read_text())
    card = artifact.card
    settings = card.get("settings", {})
    calibration = card.get("calibration", {})
    lines = [
        f"# threadguard accurate tier `{artifact.version}`",
        "",
        f"{card.get('encoder', 'MiniLM-L6')},",
        "fine-tuned as one multi-task model (mean pooling, one linear layer) for the seven Perspective",
        "attributes and seven target groups; exported to ONNX with dynamic int8 weights and run by",
        "onnxruntime + tokenizers (no torch at run time). Spans come from word occlusion",
        "(`model/occlusion.py`).",
        "",
        f"Trained with seed {card.get('seed')} on {card.get('device')} in {card.get('train_seconds')} s"
        f" (`threadguard train --tier accurate --seed {card.get('seed')}`): one pass over"
        f" {card.get('rows_fine_tuned', 0):,} of {card.get('rows_total', 0):,} training rows, batches of"
        f" {settings.get('batch_size')} of at most {payload['max_tokens']} tokens, learning rate"
        f" {settings.get('learning_rate')}; the model reads"
        f" {'evasion-normalised' if artifact.normalise else 'raw'} text.",
        "",
        "## Training sets (rows fine-tuned on)",
        "",
        "| dataset | licence | rows |",
        "|---|---|---|",
        *(
            f"| {name} | {training_licence(name)} | {n:,} |"
            for name, n in sorted(card.get("datasets", {}).items())
        ),
        "",
        "The same licence rules and exclusions as the fast tier (its MODEL_CARD.md): official",
        "validation / trial / test splits and every evaluation-only set stay out.",
        "",
        "## Teachers",
        "",
        "| wheel | what it taught |",
        "|---|---|",
        *(f"| {wheel} | {what} |" for wheel, what in card.get("teachers", {}).items()),
        "",
        f"Teacher share {settings.get('teacher_share')}: where a dataset has a label the target is",
        "(1 - share) x label + share x the teachers' mean probability; where it is silent, the teachers'",
        "value. Our synthetic behaviour rows keep their own labels. Both teachers are BiLSTMs trained on",
        "the Jigsaw 2018 Wikipedia data, loaded by pinned version and SHA-256 (`model/teachers.py`).",
        "",
        "## Held-out ROC-AUC (seeded 5% of training rows, human and lexicon labels)",
        "",
        "| output | ROC-AUC |",
        "|---|---|",
        *(f"| {name} | {auc:.4f} |" for name, auc in card.get("dev_auc", {}).items()),
        "",
        "## Calibration (development data only: UCC `val`, SemEval-2021 `trial`)",
        "",
        "| attribute | flag threshold |",
        "|---|---|",
        *(f"| {name} | {t:.4f} |" for name, t in sorted(artifact.flag_thresholds.items())),
        "",
        f"- flag thresholds: {calibration.get('flag_thresholds')}; PROFANITY never flags on its own",
        f"- UCC val flagged: {calibration.get('ucc_val_flagged_share')}, of its healthy comments:"
        f" {calibration.get('ucc_val_healthy_flagged_share')}",
        f"- `auto` sends a comment on when a fast-tier attribute reaches {artifact.auto_threshold}"
        f" ({calibration.get('auto_threshold')})",
        f"- span word drop {artifact.span_word_drop} (trial span F1 {calibration.get('span_trial_f1')})",
        "",
    ]
    return "\n".join(lines)


def write_encoder_card(directory: Path) -> Path:
    path = directory / "MODEL_CARD.md"
    path.write_text(render_encoder_card(directory), encoding="utf-8")
    return path
