"""POST /v1/moderations driven by the official `openai` client and LangChain's OpenAI moderation
middleware, unchanged, against a real server: OpenAI's shapes, our scores behind them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from tests.service.conftest import make_client
from tests.service.live import live_server
from threadguard.service.moderations import CATEGORIES
from threadguard.thread.context import ContextScorer

OPENAI_CATEGORIES = {
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
    "violence/graphic",
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, scorer: ContextScorer) -> Iterator[tuple[str, str]]:
    client, keys = make_client(f"sqlite:///{tmp_path_factory.mktemp('db') / 'tg.db'}", scorer)
    with live_server(client.app) as base:
        yield base, keys["mod"]
    client.app.state.runtime.engine.dispose()


@pytest.fixture(scope="module")
def oai(server: tuple[str, str]) -> openai.OpenAI:
    base, key = server
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0)


def expected(scorer: ContextScorer, text: str) -> dict[str, Any]:
    """What the mapping table says for `text`, from the engine's own scores and flag thresholds."""
    (result,) = scorer.score([text], [None], False)
    thresholds = scorer.scorer.flag_thresholds
    scores, flags = {}, {}
    for name, category in CATEGORIES.items():
        values = [result.attributes[a] for a in category.attributes]
        hits = [result.attributes[a] >= thresholds[a] for a in category.attributes]
        pick, agree = (min, all) if category.all_of else (max, any)
        scores[name] = pick(values) if values else 0.0
        flags[name] = agree(hits) if hits else False
    return {"flagged": result.flagged, "scores": scores, "flags": flags}


def check(moderation: Any, want: dict[str, Any]) -> None:
    dumped = moderation.model_dump(by_alias=True)
    assert set(dumped["categories"]) == set(dumped["category_scores"]) == OPENAI_CATEGORIES
    assert moderation.flagged is want["flagged"]
    assert dumped["categories"] == want["flags"]
    assert dumped["category_scores"] == pytest.approx(want["scores"], abs=1e-5)
    assert moderation.flagged == any(dumped["categories"].values())


def test_a_string_is_moderated_with_our_scores_behind_openais_categories(oai, scorer, texts) -> None:
    response = oai.moderations.create(input=texts["insult_after_emoji"])
    assert response.id.startswith("modr-") and response.model == scorer.version
    (moderation,) = response.results
    check(moderation, expected(scorer, texts["insult_after_emoji"]))
    assert moderation.flagged and moderation.categories.harassment
    unscored = [name for name, category in CATEGORIES.items() if not category.scored]
    dumped = moderation.model_dump(by_alias=True)
    for name in unscored:
        assert dumped["category_scores"][name] == 0 and dumped["categories"][name] is False
        assert dumped["category_applied_input_types"][name] == []
    assert dumped["category_applied_input_types"]["harassment"] == ["text"]


def test_a_list_gets_one_result_per_string_in_order(oai, scorer, texts) -> None:
    inputs = [texts["benign"], texts["threat"], texts["insult_after_emoji"]]
    response = oai.moderations.create(input=inputs, model="omni-moderation-latest")
    assert len(response.results) == 3
    for moderation, text in zip(response.results, inputs, strict=True):
        check(moderation, expected(scorer, text))
    assert not response.results[0].flagged and response.results[2].flagged


def test_text_parts_are_moderated_like_strings(oai, scorer, texts) -> None:
    parts = [{"type": "text", "text": texts["benign"]}, {"type": "text", "text": texts["insult_after_emoji"]}]
    response = oai.moderations.create(input=parts)
    for moderation, part in zip(response.results, parts, strict=True):
        check(moderation, expected(scorer, part["text"]))


def test_an_image_part_is_a_clear_400_in_openais_shape(oai, server) -> None:
    parts = [
        {"type": "text", "text": "hello"},
        {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
    ]
    with pytest.raises(openai.BadRequestError, match="image inputs are not supported"):
        oai.moderations.create(input=parts)
    base, key = server
    raw = httpx.post(
        f"{base}/v1/moderations", json={"input": parts}, headers={"Authorization": f"Bearer {key}"}
    )
    assert raw.status_code == 400
    message = "image inputs are not supported: threadguard scores text only; send text parts"
    assert raw.json() == {
        "error": {"message": message, "type": "invalid_request_error", "param": "input[1]",
                  "code": "image_input_not_supported"}
    }  # fmt: skip


@pytest.mark.parametrize("body", [{}, {"input": []}, {"input": 5}, {"input": [{"type": "audio"}]}])
def test_bad_input_is_a_400_in_openais_shape(server, body) -> None:
    base, key = server
    raw = httpx.post(f"{base}/v1/moderations", json=body, headers={"Authorization": f"Bearer {key}"})
    assert raw.status_code == 400
    error = raw.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["type"] == "invalid_request_error"


def test_a_wrong_or_missing_key_is_openais_authentication_error(server) -> None:
    base, _key = server
    wrong = openai.OpenAI(base_url=f"{base}/v1", api_key="not-a-threadguard-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.moderations.create(input="hello")
    raw = httpx.post(f"{base}/v1/moderations", json={"input": "hello"})
    assert raw.status_code == 401 and raw.json()["error"]["type"] == "authentication_error"


def test_langchains_openai_moderation_middleware_follows_openai_base_url(server, texts, monkeypatch) -> None:
    """LangChain 1.x's moderation for agents (the successor of OpenAIModerationChain) builds its own
    `OpenAI()` client, which reads OPENAI_BASE_URL and OPENAI_API_KEY."""
    from langchain_core.messages import HumanMessage
    from langchain_openai.middleware import OpenAIModerationMiddleware

    base, key = server
    monkeypatch.setenv("OPENAI_BASE_URL", f"{base}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", key)
    middleware = OpenAIModerationMiddleware(check_output=False, exit_behavior="end")
    clean = middleware.before_model({"messages": [HumanMessage(texts["benign"])]}, None)  # type: ignore[arg-type]
    assert clean is None
    stopped = middleware.before_model({"messages": [HumanMessage(texts["insult_after_emoji"])]}, None)  # type: ignore[arg-type]
    assert stopped is not None and stopped["jump_to"] == "end"
    assert "harassment" in stopped["messages"][0].content
