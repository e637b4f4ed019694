"""Signed webhooks: `sha256=<hex HMAC-SHA256 of the raw body>` headers, as Coral's External Moderation
Phase (X-Coral-Signature) and Mastodon's admin webhooks (X-Hub-Signature, from WebSub) send them."""

from __future__ import annotations

import hashlib
import hmac


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
