"""`threadguard train --feedback DB`: a real SQLite store filled through the store API, the shipped model
scoring the feedback, and the new model folder loaded by the Scorer, the CLI and the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from threadguard.app import create_app
from threadguard.cli import app
from threadguard.model.artifact import default_model_dir
from threadguard.policy import Decision
from threadguard.scorer import Scorer
from threadguard.server.settings import Settings
from threadguard.store.comments import add_api_comment
from threadguard.store.database import make_engine, session_factory, upgrade
from threadguard.store.decisions import decide
from threadguard.store.feedback import add_feedback
from threadguard.store.schema import User
from threadguard.store.users import create_api_key

FIXTURE = Path(__file__).parent / "fixtures" / "feedback" / "comments.json"


def texts(kind: str) -> list[str]:
    comments = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [t.format(topic=topic) for t in comments[kind] for topic in comments["topics"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four communities: "strict" moderators reject rude and abusive comments alike; "lenient" clients
    (Coral's feedback) mark only the abusive ones toxic; "small" has too few labels; "onesided" has
    enough rows but too few rejected ones."""
    path = tmp_path_factory.mktemp("feedback") / "tg.db"
    engine = make_engine(str(path))
    upgrade(engine)
    clean, mild, abusive = texts("clean"), texts("mild"), texts("abusive")
    scorer = Scorer.load(tier="fast")
    with session_factory(engine).begin() as session:
        decided: dict[str, list[int]] = {"approve": [], "reject": []}
        for community, approve, reject in (
            ("strict", clean, mild + abusive),
            ("small", clean[:20], abusive[:10]),
            ("onesided", clean + mild, abusive[:5]),
        ):
            for action, group in (("approve", approve), ("reject", reject)):
                for text, result in zip(group, scorer.score(group, spans=False), strict=True):
                    decided[action].append(
                        add_api_comment(session, text, result, Decision("review", []), community)
                    )
        for action, ids in decided.items():
            decide(session, ids, action, "mod")
        for text in clean + mild + abusive:
            value = 1.0 if text in abusive else 0.0
            add_feedback(session, text, {"TOXICITY": value}, community="lenient", client_token="comment:1")
    engine.dispose()
    return path


def train(store: Path, out: Path, *extra: str) -> Any:
    args = ["train", "--feedback", str(store), "--out", str(out), "--tier", "fast", "--no-eval", *extra]
    return CliRunner().invoke(app, args)


@pytest.fixture(scope="module")
def model(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "recalibrated"
    result = train(store, out)
    assert result.exit_code == 0, result.output
    return out


def choices(model: Path) -> dict[tuple[str, str], dict[str, Any]]:
    report = json.loads((model / "recalibration.json").read_text(encoding="utf-8"))
    return {(c["community"], c["attribute"]): c for c in report["choices"]}


def test_thresholds_move_towards_what_each_community_labels(model: Path) -> None:
    found = choices(model)
    assert set(found) == {(c, "TOXICITY") for c in ("strict", "lenient", "small", "onesided")}
    strict, lenient = found["strict", "TOXICITY"], found["lenient", "TOXICITY"]
    shipped = Scorer.load(tier="fast").flag_thresholds["TOXICITY"]
    assert strict["old"] == lenient["old"] == shipped
    # rude comments flagged by the strict community, not by the lenient one (whose labels the shipped
    # threshold, chosen on UCC's healthy comments, already roughly follows)
    assert strict["new"] < shipped and strict["new"] + 0.1 < lenient["new"]
    for moved in (strict, lenient):
        assert abs(moved["new"] - shipped) <= 0.2 + 1e-9 and moved["f1_new"] > moved["f1_old"]
    assert strict["sources"] == {"moderator": 108} and lenient["sources"] == {"suggestscore": 108}


def test_too_few_labels_or_too_few_of_a_class_keep_the_threshold(model: Path) -> None:
    found = choices(model)
    small, onesided = found["small", "TOXICITY"], found["onesided", "TOXICITY"]
    assert small["new"] == small["old"] and "30 rows" in small["reason"]
    assert onesided["new"] == onesided["old"] and "5 positive" in onesided["reason"]
    assert onesided["rows"] >= 50  # enough rows: it is the missing class that keeps it
    card = (model / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Recalibrated flag thresholds (fast tier)" in card and "tg.db" in card


def between(scorer: Scorer, strict: float) -> list[str]:
    """Rude comments the shipped thresholds do not flag whose TOXICITY reaches the strict community's."""
    found = [r for r in zip(texts("mild"), scorer.score(texts("mild"), spans=False), strict=True)
             if not r[1].flagged and r[1].attributes["TOXICITY"] >= strict]  # fmt: skip
    assert found, "the fixture needs rude comments between the two thresholds"
    return [text for text, _ in found]


def test_the_new_model_flags_with_the_communitys_thresholds(model: Path) -> None:
    shipped, scorer = Scorer.load(tier="fast"), Scorer.load(model, tier="fast")
    assert scorer.version != shipped.version and scorer.version.startswith("tg-")
    strict = choices(model)["strict", "TOXICITY"]["new"]
    assert scorer.thresholds_for("strict")["TOXICITY"] == strict
    assert scorer.thresholds_for(None) == shipped.flag_thresholds == scorer.thresholds_for("elsewhere")
    rude = between(scorer, strict)
    assert [r.flagged for r in scorer.score(rude, spans=False, community="strict")] == [True] * len(rude)
    assert [r.flagged for r in scorer.score(rude, spans=False)] == [False] * len(rude)
    assert (scorer.predict_proba(rude) == shipped.predict_proba(rude)).all()  # same model, new thresholds
    shown = CliRunner().invoke(app, ["score", rude[0], "--model", str(model), "--tier", "fast",
                                     "--community", "strict"])  # fmt: skip
    assert shown.exit_code == 0 and "not flagged" not in shown.output and "flagged" in shown.output


def test_the_server_loads_the_folder_and_flags_per_community(model: Path, tmp_path: Path) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'server.db'}", model_path=str(model), tier="fast")
    served = create_app(settings)
    with served.state.runtime.sessions.begin() as session:
        user = User(username="site", password_hash="-", role="moderator")
        session.add(user)
        session.flush()
        key = create_api_key(session, user, "site")
    scorer = Scorer.load(model, tier="fast")
    strict = scorer.thresholds_for("strict")["TOXICITY"]
    rude = between(scorer, strict)[0]
    with TestClient(served) as client:
        flags = {}
        for community in ("strict", "default"):
            response = client.post("/api/v1/analyze", headers={"Authorization": f"Bearer {key}"},
                                   json={"comments": [{"text": rude}], "community": community})  # fmt: skip
            assert response.status_code == 200, response.text
            flags[community] = response.json()["results"][0]["flagged"]
            assert response.json()["results"][0]["model"] == scorer.version
    assert flags == {"strict": True, "default": False}


def test_same_feedback_same_model_and_the_package_is_never_written(
    store: Path, model: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    assert train(store, again).exit_code == 0
    assert Scorer.load(again, tier="fast").version == Scorer.load(model, tier="fast").version
    assert choices(again) == choices(model)
    before = sorted(p.name for p in default_model_dir().iterdir())
    refused = train(store, default_model_dir() / "recalibrated")
    assert refused.exit_code == 2 and "installed threadguard package" in refused.output
    assert train(store, default_model_dir()).exit_code == 2
    assert sorted(p.name for p in default_model_dir().iterdir()) == before
    assert train(store, again).exit_code == 2  # not empty
    assert train(store, again, "--force").exit_code == 0  # an earlier model folder may be replaced


def test_a_community_without_feedback_is_a_clear_error(store: Path, tmp_path: Path) -> None:
    result = train(store, tmp_path / "out", "--community", "nobody")
    assert result.exit_code == 2 and "no feedback for nobody" in result.output
    assert not (tmp_path / "out").exists()


def test_the_evaluation_sets_show_the_new_flag_shares(store: Path, tmp_path: Path) -> None:
    try:
        from threadguard.datasets.location import resolve_data_dir

        resolve_data_dir()
    except FileNotFoundError:
        pytest.skip("the evaluation sets (../shared/data) are not here")
    out = tmp_path / "evaluated"
    args = ["train", "--feedback", str(store), "--out", str(out), "--tier", "fast", "--eval-limit", "200",
            "--community", "strict", "--community", "lenient"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    shares = json.loads((out / "recalibration.json").read_text(encoding="utf-8"))["evaluation"]
    assert set(shares) == {"base", "strict", "lenient"}
    for metric, base in shares["base"].items():  # a lower threshold flags at least as much, a higher less
        assert shares["strict"][metric] >= base >= shares["lenient"][metric], metric
    assert "Flag shares on the evaluation sets" in (out / "RECALIBRATION.md").read_text(encoding="utf-8")
