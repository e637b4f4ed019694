"""The OpenAPI spec as a readable page, rendered on the server: FastAPI's own /docs loads Swagger UI
from a CDN, which an offline host cannot reach."""

from __future__ import annotations

from typing import Any


def type_of(schema: dict[str, Any]) -> str:
    """A short type name for a JSON schema: `string`, `array of Score`, `TextEntry or null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " or ".join(type_of(s) for s in schema[key])
    if schema.get("type") == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        return f"map of {type_of(extra) if isinstance(extra, dict) else 'any'}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    return str(schema.get("type", "any"))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per path and method, with its parameters and request body type."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {})
            bodies = [f"{media}: {type_of(v.get('schema', {}))}" for media, v in content.items()]
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0],
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": type_of(p.get("schema", {})), "description": p.get("description", "")}
                               for p in op.get("parameters", [])],
                "bodies": bodies, "responses": sorted(op.get("responses", {})),
            })  # fmt: skip
    return out


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [{"name": field, "type": type_of(s), "required": field in required,
                   "description": s.get("description", "")}
                  for field, s in schema.get("properties", {}).items()]  # fmt: skip
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out
