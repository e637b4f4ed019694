"""Signed webhooks: `sha256=<hex HMAC-SHA256 of the raw body>` headers, as Coral's External Moderation
Phase (X-Coral-Signature) and Mastodon's admin webhooks (X-Hub-Signature, from WebSub) send them."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from threadguard.server.errors import ApiError


def split_secrets(value: str | None) -> list[str]:
    """The secrets of a comma-separated setting (several while one is rotated), blanks dropped."""
    return [s.strip() for s in (value or "").split(",") if s.strip()]


def signature_valid(raw: bytes, header: str | None, secrets: list[str]) -> bool:
    """Whether any `sha256=<hex>` value of the header (comma-separated values allowed) is the
    HMAC-SHA256 of `raw` under any secret; each comparison in constant time."""
    given = [
        v.strip()[len("sha256=") :] for v in (header or "").split(",") if v.strip().startswith("sha256=")
    ]
    expected = [hmac.new(s.encode(), raw, hashlib.sha256).hexdigest() for s in secrets]
    return any(hmac.compare_digest(e, g.lower()) for e in expected for g in given)


async def signed_body(request: Request, secrets: list[str], header: str, max_bytes: int, off: str) -> bytes:
    """The raw body of a signed webhook call: 404 while no secret is set (`off` says how to set one),
    413 over `max_bytes`, 401 unless the `header` signature verifies."""
    if not secrets:
        raise ApiError(404, off)
    raw = await request.body()
    if len(raw) > max_bytes:
        raise ApiError(413, f"request body larger than {max_bytes} bytes")
    if not signature_valid(raw, request.headers.get(header), secrets):
        raise ApiError(401, f"missing or wrong {header.title()}")
    return raw
