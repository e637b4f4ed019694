"""model/ sits below scorer/ and eval/ (text -> model -> scorer -> ...): nothing in it imports them,
so training takes its metric and the fast tier's probabilities as parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import threadguard.model

ABOVE = ("threadguard.scorer", "threadguard.eval", "threadguard.thread", "threadguard.service",
         "threadguard.batch", "threadguard.cli")  # fmt: skip


def test_model_imports_nothing_above_it() -> None:
    leaks = []
    for path in sorted(Path(threadguard.model.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            leaks += [f"{path.name}: {n}" for n in names if n.startswith(ABOVE)]
    assert leaks == []
