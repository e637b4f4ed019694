"""Where the shared data folder is: an explicit path, $THREADGUARD_DATA, ../shared/data from the working
directory, or ../shared/data beside the repository (CI checks the clone out next to `shared/`)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "THREADGUARD_DATA"

_REPO_ROOT = Path(__file__).resolve().parents[3]


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The data folder to read; an explicit path or $THREADGUARD_DATA that does not exist is an error."""
    if data_dir is not None:
        return _existing(Path(data_dir), "data_dir argument")
    if env := os.environ.get(ENV_VAR):
        return _existing(Path(env), f"${ENV_VAR}")
    candidates = [Path.cwd() / ".." / "shared" / "data", _REPO_ROOT.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    tried = ", ".join(str(c.resolve()) for c in candidates)
    raise FileNotFoundError(f"shared data folder not found (tried {tried}); set ${ENV_VAR} or pass data_dir")


def _existing(path: Path, origin: str) -> Path:
    if not path.is_dir():
        raise FileNotFoundError(f"shared data folder {path} (from {origin}) does not exist")
    return path.resolve()
