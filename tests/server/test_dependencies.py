"""server/ is shared by the APIs (service/) and the pages (web/): it imports neither, and web/ does not
import service/; only threadguard.app assembles them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import threadguard

PACKAGE = Path(threadguard.__file__).parent


def imports_of(folder: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((PACKAGE / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [(path.name, name) for name in names]
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("server", ("threadguard.service", "threadguard.web", "threadguard.app", "threadguard.cli")),
        ("web", ("threadguard.service", "threadguard.app", "threadguard.cli")),
        ("service", ("threadguard.web", "threadguard.app", "threadguard.cli")),
    ],
)
def test_the_shared_layer_imports_neither_side(folder: str, forbidden: tuple[str, ...]) -> None:
    assert [(f, n) for f, n in imports_of(folder) if n.startswith(forbidden)] == []
