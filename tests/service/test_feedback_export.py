"""`threadguard feedback export`: every label the store holds, as JSONL."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from threadguard.cli import app
from threadguard.policy import Decision
from threadguard.store.comments import add_api_comment
from threadguard.store.database import make_engine, session_factory, upgrade
from threadguard.store.decisions import decide
from threadguard.store.feedback import add_feedback
from threadguard.thread.context import ContextScorer


def test_suggested_scores_and_moderator_decisions_are_exported(tmp_path, scorer: ContextScorer) -> None:
    db = f"sqlite:///{tmp_path / 'tg.db'}"
    engine = make_engine(db)
    upgrade(engine)
    texts = ["you are a stupid idiot", "a fine comment", "left to the policy"]
    results = scorer.score(texts, [None] * 3, False)
    with session_factory(engine).begin() as session:
        add_feedback(session, "suggested text", {"TOXICITY": 1.0}, community="Coral:https://c.example.com")
        ids = [
            add_api_comment(session, t, r, Decision("review", []), "news")
            for t, r in zip(texts, results, strict=True)
        ]
        add_api_comment(session, "approved by policy", results[1], Decision("approve", []), "news")
        decide(session, [ids[0]], "reject", "mod")
        decide(session, [ids[1]], "approve", "mod")
    engine.dispose()
    out = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(app, ["feedback", "export", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [
        {
            "text": "suggested text",
            "labels": {"TOXICITY": 1.0},
            "source": "suggestscore",
            "community": "Coral:https://c.example.com",
            "client_token": None,
        },
        {
            "text": texts[0],
            "labels": {"moderator": "rejected"},
            "source": "moderator",
            "community": "news",
            "client_token": None,
        },
        {
            "text": texts[1],
            "labels": {"moderator": "approved"},
            "source": "moderator",
            "community": "news",
            "client_token": None,
        },
    ]  # fmt: skip  (undecided and policy-approved comments are not labels)
