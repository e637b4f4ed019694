"""Code that builds its Perspective client from Google's discovery document runs unchanged."""

from __future__ import annotations

import httpx
from googleapiclient.discovery import build

from tests.service.conftest import make_client
from tests.service.live import live_server


def test_googleapiclient_builds_from_our_discovery_document_and_analyzes(tmp_path, scorer, texts) -> None:
    client, keys = make_client(f"sqlite:///{tmp_path / 'tg.db'}", scorer)
    with live_server(client.app) as base:
        url = f"{base}/$discovery/rest?version=v1alpha1"
        service = build("commentanalyzer", "v1alpha1", discoveryServiceUrl=url, developerKey=keys["mod"],
                        static_discovery=False, cache_discovery=False)  # fmt: skip
        body = {"comment": {"text": texts["insult_after_emoji"]}, "requestedAttributes": {"INSULT": {}},
                "doNotStore": True}  # fmt: skip
        answer = service.comments().analyze(body=body).execute()
        assert answer["attributeScores"]["INSULT"]["summaryScore"]["value"] > 0.5
        feedback = {"comment": {"text": texts["benign"]}, "clientToken": "t-9",
                    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}}}  # fmt: skip
        assert service.comments().suggestscore(body=feedback).execute()["clientToken"] == "t-9"
        document = httpx.get(f"{base}/$discovery/rest", params={"version": "v1alpha1"}).json()
        assert document["rootUrl"] == f"{base}/"
        assert httpx.get(f"{base}/$discovery/rest", params={"version": "v1"}).status_code == 404
    client.app.state.runtime.engine.dispose()
