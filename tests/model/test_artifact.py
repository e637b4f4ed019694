from pathlib import Path

import numpy as np

from threadguard.model.artifact import Artifact, default_model_dir


def test_shipped_artifact_round_trip_keeps_version_and_weights(tmp_path: Path) -> None:
    shipped = Artifact.load()
    assert shipped.version == f"tg-{shipped.content_hash()}"
    copy_dir = shipped.save(tmp_path / "copy")
    copy = Artifact.load(copy_dir)
    assert copy.version == shipped.version
    assert np.array_equal(copy.coef, shipped.coef) and np.array_equal(copy.idf, shipped.idf)
    assert copy.config == shipped.config


def test_version_changes_when_weights_change(tmp_path: Path) -> None:
    artifact = Artifact.load()
    artifact.coef = artifact.coef.copy()
    artifact.coef[0, 0] += 1.0
    artifact.save(tmp_path / "changed")
    assert artifact.version != Artifact.load().version


def test_shipped_artifact_is_small() -> None:
    size = sum(p.stat().st_size for p in default_model_dir().rglob("*") if p.is_file())
    assert size < 25 * 1024 * 1024


def test_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    try:
        Artifact.load(tmp_path)
    except FileNotFoundError as exc:
        assert "no model artifact" in str(exc)
    else:
        raise AssertionError("expected FileNotFoundError")
