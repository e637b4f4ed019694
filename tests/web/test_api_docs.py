from __future__ import annotations

import httpx

from threadguard.web.api_docs import operations, schemas, type_of


def test_types_read_like_the_contract() -> None:
    assert type_of({"$ref": "#/components/schemas/TextEntry"}) == "TextEntry"
    assert type_of({"anyOf": [{"$ref": "#/x/Score"}, {"type": "null"}]}) == "Score or null"
    assert type_of({"type": "array", "items": {"type": "string"}}) == "array of string"
    assert type_of({"type": "object", "additionalProperties": {"$ref": "#/x/Score"}}) == "map of Score"


def test_the_spec_becomes_operations_and_schemas() -> None:
    spec = {
        "paths": {"/a": {"post": {"summary": "Do", "tags": ["t"], "parameters": [
            {"name": "key", "in": "query", "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/c/Req"}}}},
            "responses": {"200": {}, "400": {}}}}},
        "components": {"schemas": {"Req": {"required": ["text"],
                                           "properties": {"text": {"type": "string"}}}}},
    }  # fmt: skip
    (op,) = operations(spec)
    assert (op["method"], op["path"], op["bodies"], op["responses"]) == (
        "POST",
        "/a",
        ["application/json: Req"],
        ["200", "400"],
    )
    assert schemas(spec) == [{"name": "Req", "description": "", "fields": [
        {"name": "text", "type": "string", "required": True, "description": ""}]}]  # fmt: skip


def test_docs_are_served_without_a_cdn(live_server) -> None:
    page = httpx.get(f"{live_server['base']}/docs", timeout=30)
    assert page.status_code == 200
    assert "<code>POST /v1alpha1/comments:analyze</code>" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
