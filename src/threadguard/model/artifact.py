"""The versioned model artifact: a folder with weights, config, its own lexicon copy and a model card.

The version id is a hash of everything that decides the scores (weights, config, lexicon), so two
artifacts with the same id score identically, and a retrain with the same seed reproduces the id.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "threadguard-linear/1"
WEIGHTS_FILE = "weights.npz"
CONFIG_FILE = "model.json"
CARD_FILE = "MODEL_CARD.md"
LEXICON_DIR = "lexicon"


def default_model_dir() -> Path:
    return Path(str(resources.files("threadguard") / "models" / "default"))


@dataclass
class Artifact:
    """Everything a Scorer needs; `config` holds featuriser settings, outputs and thresholds."""

    coef: np.ndarray  # (n_features, n_outputs)
    intercept: np.ndarray  # (n_outputs,)
    idf: np.ndarray  # (n_features,)
    config: dict[str, Any]
    lexicon_dir: Path
    card: dict[str, Any] = field(default_factory=dict)
    version: str = ""

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for array in (
            self.coef.astype(np.float16),
            self.intercept.astype(np.float32),
            self.idf.astype(np.float16),
        ):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(json.dumps(self.config, sort_keys=True).encode())
        for path in sorted(self.lexicon_dir.iterdir()):
            digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()[:12]

    def save(self, directory: Path) -> Path:
        """Write the artifact; weights are stored as float16 (the shipped file must stay small)."""
        directory.mkdir(parents=True, exist_ok=True)
        lexicon_target = directory / LEXICON_DIR
        if self.lexicon_dir.resolve() != lexicon_target.resolve():
            shutil.rmtree(lexicon_target, ignore_errors=True)
            shutil.copytree(self.lexicon_dir, lexicon_target)
            self.lexicon_dir = lexicon_target
        self.version = f"tg-{self.content_hash()}"
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
            idf=self.idf.astype(np.float16),
        )
        (directory / WEIGHTS_FILE).write_bytes(buffer.getvalue())
        payload = {"format": FORMAT, "version": self.version, "config": self.config, "card": self.card}
        (directory / CONFIG_FILE).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
        return directory

    @classmethod
    def load(cls, directory: Path | None = None) -> Artifact:
        directory = Path(directory) if directory else default_model_dir()
        config_path = directory / CONFIG_FILE
        if not config_path.is_file():
            raise FileNotFoundError(f"no model artifact at {directory} (missing {CONFIG_FILE})")
        payload = json.loads(config_path.read_text())
        if payload.get("format") != FORMAT:
            raise ValueError(f"{config_path}: unsupported artifact format {payload.get('format')!r}")
        with np.load(directory / WEIGHTS_FILE) as weights:
            coef = weights["coef"].astype(np.float32)
            intercept = weights["intercept"].astype(np.float32)
            idf = weights["idf"].astype(np.float32)
        return cls(
            coef=coef,
            intercept=intercept,
            idf=idf,
            config=payload["config"],
            lexicon_dir=directory / LEXICON_DIR,
            card=payload.get("card", {}),
            version=payload["version"],
        )
