"""The Perspective contract, in the shapes real clients send."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from threadguard.attributes import ATTRIBUTES
from threadguard.server.errors import ApiError
from threadguard.service.perspective import AttributeParameters, check_detected_language
from threadguard.store.schema import CommentRow, Feedback
from threadguard.text.language import UNDETERMINED, Detection

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"


def analyze(client: TestClient, key: str, body: Any, **kwargs: Any):
    return client.post(f"{ANALYZE}?key={key}", json=body, **kwargs)


def utf16_slice(text: str, begin: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * begin : 2 * end].decode("utf-16-le")


def test_the_minimal_request_gets_perspectives_response(sqlite_client, texts) -> None:
    client, key = sqlite_client
    text = texts["threat"]
    response = analyze(client, key, {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"attributeScores", "languages", "detectedLanguages"}
    toxicity = body["attributeScores"]["TOXICITY"]
    assert 0.0 <= toxicity["summaryScore"]["value"] <= 1.0
    assert toxicity["summaryScore"]["type"] == "PROBABILITY"
    assert toxicity["spanScores"] == [{"begin": 0, "end": len(text), "score": toxicity["summaryScore"]}]
    assert body["languages"] == ["en"] and body["detectedLanguages"] == ["en"]


def test_empty_languages_several_attributes_and_thresholds(sqlite_client, texts) -> None:
    client, key = sqlite_client
    body = {
        "comment": {"text": texts["threat"]},
        "languages": [],
        "requestedAttributes": {
            "THREAT": {"scoreType": "PROBABILITY", "scoreThreshold": 0.0},
            "SEXUALLY_EXPLICIT": {"scoreThreshold": 0.99},
            "INSULT": {},
        },
        "clientToken": "token-42",
    }
    answer = analyze(client, key, body).json()
    assert set(answer["attributeScores"]) == {"THREAT", "INSULT"}  # SEXUALLY_EXPLICIT is under its threshold
    assert answer["attributeScores"]["THREAT"]["summaryScore"]["value"] > 0.5
    assert answer["clientToken"] == "token-42"


def test_every_attribute_can_be_requested(sqlite_client, texts) -> None:
    client, key = sqlite_client
    body = {"comment": {"text": texts["benign"]}, "requestedAttributes": {a: {} for a in ATTRIBUTES}}
    scores = analyze(client, key, body).json()["attributeScores"]
    assert set(scores) == set(ATTRIBUTES)
    assert scores["IDENTITY_ATTACK"]["summaryScore"]["value"] < 0.5  # a neutral mention of a group


def test_span_offsets_count_utf16_code_units(sqlite_client, texts) -> None:
    client, key = sqlite_client
    text = texts["insult_after_emoji"]
    body = {"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}, "spanAnnotations": True}
    spans = analyze(client, key, body).json()["attributeScores"]["INSULT"]["spanScores"]
    pieces = [utf16_slice(text, s["begin"], s["end"]) for s in spans]
    assert any("idiot" in piece or "stupid" in piece for piece in pieces), pieces
    assert all(s["begin"] >= 4 for s in spans)  # two emoji are four UTF-16 code units


def test_html_comments_are_scored_as_their_text(sqlite_client, texts) -> None:
    client, key = sqlite_client
    html = {"comment": {"text": texts["insult_html"], "type": "HTML"}, "requestedAttributes": {"INSULT": {}}}
    plain = {"comment": {"text": "You are a stupid idiot & a liar"}, "requestedAttributes": {"INSULT": {}}}
    assert analyze(client, key, html).json() == analyze(client, key, plain).json()


def test_context_is_used_in_both_shapes(sqlite_client, texts) -> None:
    client, key = sqlite_client
    alone = {
        "comment": {"text": texts["elliptic_reply"]},
        "requestedAttributes": {"THREAT": {}, "TOXICITY": {}},
    }
    pair = {**alone, "context": {"articleAndParentComment": {
        "article": {"text": texts["article"]}, "parentComment": {"text": texts["parent"]}}}}  # fmt: skip
    entries = {**alone, "context": {"entries": [{"text": texts["article"]}, {"text": texts["parent"]}]}}
    without = analyze(client, key, alone).json()["attributeScores"]
    with_pair = analyze(client, key, pair).json()["attributeScores"]
    assert with_pair != without
    assert analyze(client, key, entries).json()["attributeScores"] == with_pair


def test_a_form_encoded_content_type_is_still_read_as_json(sqlite_client, texts) -> None:
    client, key = sqlite_client
    raw = '{"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}'
    response = client.post(
        f"{ANALYZE}?key={key}", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 200


def _error(response, code: int, error_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == code, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if error_type:
        assert error["details"][0]["errorType"] == error_type
    return error


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({"comment": {"text": "fine"}, "requestedAttributes": {"FLIRTATION": {}}}, "ATTRIBUTE_NOT_SUPPORTED"),
        ({"comment": {"text": "fine"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["fr"]},
         "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"),
        ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY"),
        ({"comment": {"text": "  \n "}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY"),
        ({"comment": {}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY"),
        ({"comment": {"text": "<p></p>", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}},
         "COMMENT_EMPTY"),
        ({"comment": {"text": "é" * 10241}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_TOO_LONG"),
        ({"comment": {"text": "fine"}, "requestedAttributes": {}}, None),
        ({"comment": {"text": "fine"}}, None),
        ({"comment": {"text": "fine"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}, None),
        ({"comment": {"text": "fine"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}, None),
        ({"comment": "fine", "requestedAttributes": {"TOXICITY": {}}}, None),
        ([1, 2], None),
    ],
)  # fmt: skip
def test_bad_requests_get_googles_400(sqlite_client, body, error_type) -> None:
    client, key = sqlite_client
    error = _error(analyze(client, key, body), 400, error_type)
    assert error["status"] == "INVALID_ARGUMENT"


def test_the_limit_is_20_kb_of_utf8(sqlite_client) -> None:
    client, key = sqlite_client
    ok = {"comment": {"text": "a" * 20480}, "requestedAttributes": {"TOXICITY": {}}}
    assert analyze(client, key, ok).status_code == 200


def test_a_detected_unsupported_language_is_refused_unless_the_client_names_one(sqlite_client, texts) -> None:
    client, key = sqlite_client
    body = {"comment": {"text": texts["german"]}, "requestedAttributes": {"TOXICITY": {}}}
    error = _error(analyze(client, key, body), 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert error["details"][0]["languageNotSupportedByAttributeError"]["detectedLanguages"] == ["de"]
    answer = analyze(client, key, {**body, "languages": ["en"]}).json()
    assert answer["languages"] == ["en"] and answer["detectedLanguages"] == ["de"]


@pytest.mark.parametrize("index", range(3))
def test_short_english_misread_as_another_language_is_scored_not_refused(sqlite_client, texts, index) -> None:
    client, key = sqlite_client
    body = {"comment": {"text": texts["short_english_misread"][index]}, "requestedAttributes": {"THREAT": {}}}
    response = analyze(client, key, body)
    assert response.status_code == 200, response.text  # a 400 here is published by a fail-open client
    answer = response.json()
    assert answer["languages"] == ["en"] and answer["detectedLanguages"] == ["nds"]  # what lid.176 says
    assert "THREAT" in answer["attributeScores"]
    _error(analyze(client, key, {**body, "languages": ["de"]}), 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")


def test_short_text_in_another_language_is_scored_too(sqlite_client, texts) -> None:
    client, key = sqlite_client
    body = {"comment": {"text": texts["short_german_threat"]}, "requestedAttributes": {"THREAT": {}}}
    answer = analyze(client, key, body).json()
    assert answer["languages"] == ["en"] and answer["detectedLanguages"] == ["de"]


@pytest.mark.parametrize(
    ("language", "confidence", "letters", "refused"),
    [
        ("de", 1.0, 66, True),
        ("de", 0.9, 40, True),
        ("de", 0.995, 15, False),  # sure, but of a few words only
        ("es", 0.6, 120, False),  # long, but unsure
        ("nds", 0.79, 7, False),
        ("en", 1.0, 100, False),
        (UNDETERMINED, 0.0, 2, False),
    ],
)
def test_only_a_confident_detection_on_enough_letters_refuses(language, confidence, letters, refused) -> None:
    detection = Detection(language, confidence, letters)
    attributes = {"TOXICITY": AttributeParameters()}
    if refused:
        with pytest.raises(ApiError) as raised:
            check_detected_language(detection, [], attributes)
        assert raised.value.details[0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    else:
        check_detected_language(detection, [], attributes)
    check_detected_language(detection, ["en"], attributes)  # the client's own language is never refused


def test_malformed_json(sqlite_client) -> None:
    client, key = sqlite_client
    response = client.post(
        f"{ANALYZE}?key={key}",
        content=b'{"comment": {"text": "x"',
        headers={"Content-Type": "application/json"},
    )
    assert _error(response, 400)["message"] == "Invalid JSON payload received."


def test_keys_are_required_and_checked(sqlite_client) -> None:
    client, key = sqlite_client
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
    assert _error(client.post(ANALYZE, json=body), 403)["status"] == "PERMISSION_DENIED"
    _error(client.post(f"{ANALYZE}?key=tg_not-a-key", json=body), 400, "API_KEY_INVALID")
    assert client.post(ANALYZE, json=body, headers={"X-Goog-Api-Key": key}).status_code == 200


def _all_stored_text(engine) -> str:
    """Everything in every table, as one string."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return "\n".join(
            str(row) for table in metadata.sorted_tables for row in connection.execute(select(table))
        )


def test_do_not_store_keeps_nothing_not_even_in_logs(client_keys, caplog) -> None:
    client, keys = client_keys
    marker = "zebra-umbrella-7431 you stupid idiot"
    caplog.set_level(logging.DEBUG)
    bodies = [
        {"comment": {"text": marker}, "requestedAttributes": {"INSULT": {}}, "doNotStore": True},
        {"comment": {"text": marker}, "requestedAttributes": {"NOPE": {}}, "doNotStore": True},
        {
            "comment": {"text": marker},
            "requestedAttributes": {"INSULT": {}},
            "doNotStore": True,
            "languages": ["de"],
        },
    ]
    assert [analyze(client, keys["mod"], b).status_code for b in bodies] == [200, 400, 400]
    assert "zebra-umbrella" not in _all_stored_text(client.app.state.runtime.engine)
    assert "zebra-umbrella" not in caplog.text


def test_stored_requests_enter_the_queue_under_their_communitys_policy(client_keys, texts) -> None:
    client, keys = client_keys
    body = {"comment": {"text": "Shut up, you stupid idiot."}, "requestedAttributes": {"INSULT": {}},
            "communityId": "sports"}  # fmt: skip
    analyze(client, keys["mod"], body)
    with client.app.state.runtime.sessions() as session:
        row = session.scalar(select(CommentRow))
    assert (row.text, row.community, row.origin) == ("Shut up, you stupid idiot.", "sports", "api")
    assert row.score_insult > 0.5 and row.policy_action in ("review", "reject")


def test_suggested_scores_are_kept_as_labelled_feedback(client_keys, texts) -> None:
    client, keys = client_keys
    body = {
        "comment": {"text": texts["threat"]},
        "context": {"entries": [{"text": texts["parent"]}]},  # one entry: the comment replied to
        "attributeScores": {
            "THREAT": {"summaryScore": {"value": 1.0}},
            "TOXICITY": {"summaryScore": {"value": 0.8}},
        },
        "languages": ["en"],
        "communityId": "news",
        "clientToken": "t-1",
    }
    response = client.post(f"{SUGGEST}?key={keys['mod']}", json=body)
    assert response.json() == {
        "detectedLanguages": ["en"],
        "requestedLanguages": ["en"],
        "clientToken": "t-1",
    }
    with client.app.state.runtime.sessions() as session:
        feedback = session.scalar(select(Feedback))
    assert feedback.text == texts["threat"]
    assert feedback.attribute_scores == {"THREAT": 1.0, "TOXICITY": 0.8}
    assert feedback.context == {"article": None, "parent": texts["parent"]}
    assert feedback.community == "news" and feedback.api_key_id is not None
    bad = {**body, "attributeScores": {"THREAT": {"summaryScore": {"value": 1.5}}}}
    _error(client.post(f"{SUGGEST}?key={keys['mod']}", json=bad), 400)
    unknown = {**body, "attributeScores": {"CIVILITY": {"summaryScore": {"value": 0.5}}}}
    _error(client.post(f"{SUGGEST}?key={keys['mod']}", json=unknown), 400, "ATTRIBUTE_NOT_SUPPORTED")
