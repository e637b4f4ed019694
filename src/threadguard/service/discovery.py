"""Google's discovery document for the Perspective API (`commentanalyzer` v1alpha1), served at
`/$discovery/rest?version=v1alpha1`, so that code that builds its client from discovery,
`googleapiclient.discovery.build("commentanalyzer", "v1alpha1", discoveryServiceUrl=...)`, runs
unchanged. rootUrl is this server as the request reached it; the methods are the two routes of
service/perspective.py, whose Pydantic models are the request and response schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from threadguard.server.errors import ApiError
from threadguard.service.perspective import (
    AnalyzeRequest,
    AnalyzeResponse,
    SuggestScoreRequest,
    SuggestScoreResponse,
)

VERSION = "v1alpha1"
router = APIRouter(tags=["Perspective API v1alpha1"])


def method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    path = f"{VERSION}/comments:{name}"
    return {
        "id": f"commentanalyzer.comments.{name}", "path": path, "flatPath": path, "httpMethod": "POST",
        "parameters": {}, "parameterOrder": [], "request": {"$ref": request}, "response": {"$ref": response},
        "description": description,
    }  # fmt: skip


def schema(name: str, model: type) -> dict[str, Any]:
    """A discovery schema: an object; fields are described by the model's JSON schema in `/docs`."""
    return {"id": name, "type": "object", "description": (model.__doc__ or name).strip().splitlines()[0]}


@router.get("/$discovery/rest")
async def discovery(request: Request, version: str = Query(VERSION, max_length=32)) -> dict[str, Any]:
    """The discovery document of commentanalyzer v1alpha1 pointing at this server."""
    if version != VERSION:
        raise ApiError(404, f"no discovery document for version {version[:32]!r}; only {VERSION}")
    root = str(request.base_url)
    return {
        "kind": "discovery#restDescription", "discoveryVersion": "v1", "id": f"commentanalyzer:{VERSION}",
        "name": "commentanalyzer", "version": VERSION, "title": "Perspective API (threadguard)",
        "protocol": "rest", "rootUrl": root, "servicePath": "", "baseUrl": root, "batchPath": "batch",
        "parameters": {"key": {"type": "string", "location": "query", "description": "API key."}},
        "schemas": {
            "AnalyzeCommentRequest": schema("AnalyzeCommentRequest", AnalyzeRequest),
            "AnalyzeCommentResponse": schema("AnalyzeCommentResponse", AnalyzeResponse),
            "SuggestCommentScoreRequest": schema("SuggestCommentScoreRequest", SuggestScoreRequest),
            "SuggestCommentScoreResponse": schema("SuggestCommentScoreResponse", SuggestScoreResponse),
        },
        "resources": {"comments": {"methods": {
            "analyze": method("analyze", "AnalyzeCommentRequest", "AnalyzeCommentResponse",
                              "Analyzes the provided text and returns scores for requested attributes."),
            "suggestscore": method("suggestscore", "SuggestCommentScoreRequest",
                                   "SuggestCommentScoreResponse", "Suggest comment scores as training data."),
        }}},
    }  # fmt: skip
