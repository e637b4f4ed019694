"""Coral's built-in Perspective setting against threadguard: the exact bodies Coral's
services/perspective/perspective.ts sends (comments:analyze per locale, comments:suggestscore feedback)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from threadguard.store.schema import Feedback

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"
LOCALES = ("en", "es", "fr", "de", "pt")  # Coral's convertLanguage: every other locale sends "en"


def coral_analyze(text: str, language: str) -> dict:
    return {"comment": {"text": text}, "doNotStore": True, "requestedAttributes": {"TOXICITY": {}},
            "languages": [language]}  # fmt: skip


@pytest.mark.parametrize("language", LOCALES)
def test_each_coral_locale_gets_the_toxicity_score_coral_reads(client_keys, texts, language) -> None:
    client, keys = client_keys
    client.app.state.runtime.settings.score_unsupported_languages = True
    response = client.post(
        f"{ANALYZE}?key={keys['mod']}", json=coral_analyze(texts["insult_after_emoji"], language)
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    value = answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert 0.8 <= value <= 1  # Coral's default threshold: this insult is marked toxic
    assert answer["languages"] == ["en"]  # what it was scored as


@pytest.mark.parametrize("language", LOCALES[1:])
def test_by_default_languages_the_model_lacks_are_perspectives_400(client_keys, texts, language) -> None:
    client, keys = client_keys
    response = client.post(f"{ANALYZE}?key={keys['mod']}", json=coral_analyze(texts["benign"], language))
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"


def test_coral_feedback_is_stored_as_a_labelled_row(client_keys, texts) -> None:
    client, keys = client_keys
    meta = {"url": "https://news.example.com/2026/story-1.html?commentID=c-42",
            "reply_to_id_Coral_comment_id": "c-41", "Coral_comment_id": "c-42"}  # fmt: skip
    body = {
        "comment": {"text": texts["insult_after_emoji"]},
        "context": {"entries": [{"text": json.dumps(meta)}]},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"],
        "communityId": "Coral:https://comments.example.com",
        "clientToken": "comment:c-42",
    }
    response = client.post(f"{SUGGEST}?key={keys['mod']}", json=body)
    assert response.status_code == 200 and response.json()["clientToken"] == "comment:c-42"
    with client.app.state.runtime.sessions() as session:
        (row,) = session.scalars(select(Feedback))
    assert row.text == texts["insult_after_emoji"] and row.attribute_scores == {"TOXICITY": 1}
    assert (row.community, row.client_token) == ("Coral:https://comments.example.com", "comment:c-42")
    assert row.context == {"coral": meta}  # Coral's ids, not read as a parent comment


def test_unknown_fields_such_as_discourses_are_ignored(client_keys, texts) -> None:
    """Discourse's discourse-perspective-api plugin sends sessionId and scoreType."""
    client, keys = client_keys
    body = {"comment": {"text": texts["benign"], "futureField": 1}, "sessionId": "s-1",
            "requestedAttributes": {"TOXICITY": {"scoreType": "PROBABILITY"}}, "languages": ["en"],
            "doNotStore": True, "somethingNew": {"a": [1]}}  # fmt: skip
    response = client.post(f"{ANALYZE}?key={keys['mod']}", json=body)
    assert response.status_code == 200
    assert response.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.5
