"""Server settings: from `threadguard serve` options, or from THREADGUARD_* environment variables
(which is how the options reach each worker process)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from threadguard.server.signatures import split_secrets
from threadguard.store.database import DEFAULT_URL


@dataclass
class Settings:
    db_url: str = DEFAULT_URL
    policy_path: str | None = None  # None: the shipped news-site policy
    model_path: str | None = None  # None: the shipped model
    tier: str = "auto"  # fast, accurate or auto (see Scorer)
    require_api_key: bool = True  # comments:analyze without a valid ?key= is refused, as Perspective does
    secure_cookies: bool = True  # session cookie only over HTTPS (browsers treat localhost as secure)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))  # signs session cookies
    migrate: bool = True  # apply schema migrations when the app starts
    # Stored comments older than this many days are deleted by `threadguard db purge` (run it daily,
    # e.g. from cron); None keeps them forever. The audit log is always kept.
    retention_days: int | None = None
    # Coral's External Moderation Phase signing secrets, comma-separated (two while one is rotated);
    # None: POST /integrations/coral/moderation is off
    coral_signing_secrets: str | None = None
    # Mastodon admin webhooks' secrets, comma-separated (one per webhook, or old and new while one is
    # rotated); None: POST /integrations/mastodon/webhook is off
    mastodon_webhook_secrets: str | None = None
    # Where flagged statuses are reported back (POST /api/v1/reports): the instance's base URL and an
    # access token with the write:reports scope; either None: no reports are filed
    mastodon_api_url: str | None = None
    mastodon_api_token: str | None = None
    # comments:analyze in a language the model was not trained on (Coral's es, fr, de, pt sites):
    # False answers Perspective's 400; True scores it as English and says so in `languages`
    score_unsupported_languages: bool = False
    # onnxruntime's intra-op threads for the accurate-tier encoder in each worker. One: the server runs
    # a worker per core and each request's text on its own, so more threads per worker only fight the
    # other workers for the cores (2 workers busy on 2 idle cores: 10.9 ms per text with a thread per
    # core each, 5.4 ms with one; at load average 2: 25 ms and 9 ms; identical logits)
    encoder_threads: int = 1

    ENV = {  # noqa: RUF012
        "db_url": "THREADGUARD_DB",
        "policy_path": "THREADGUARD_POLICY",
        "model_path": "THREADGUARD_MODEL",
        "tier": "THREADGUARD_TIER",
        "require_api_key": "THREADGUARD_REQUIRE_API_KEY",
        "secure_cookies": "THREADGUARD_SECURE_COOKIES",
        "secret_key": "THREADGUARD_SECRET_KEY",
        "migrate": "THREADGUARD_MIGRATE",
        "retention_days": "THREADGUARD_RETENTION_DAYS",
        "coral_signing_secrets": "THREADGUARD_CORAL_SIGNING_SECRETS",
        "mastodon_webhook_secrets": "THREADGUARD_MASTODON_WEBHOOK_SECRETS",
        "mastodon_api_url": "THREADGUARD_MASTODON_API_URL",
        "mastodon_api_token": "THREADGUARD_MASTODON_API_TOKEN",
        "score_unsupported_languages": "THREADGUARD_SCORE_UNSUPPORTED_LANGUAGES",
        "encoder_threads": "THREADGUARD_ENCODER_THREADS",
    }
    NUMBERS = ("retention_days", "encoder_threads")

    @classmethod
    def from_env(cls) -> Settings:
        values: dict[str, object] = {}
        for name, variable in cls.ENV.items():
            raw = os.environ.get(variable)
            if raw is None or raw == "":
                continue
            is_flag = isinstance(getattr(cls, name, None), bool)
            if name in cls.NUMBERS:
                values[name] = _positive_int(variable, raw)
            else:
                values[name] = raw.lower() in ("1", "true", "yes") if is_flag else raw
        return cls(**values)  # type: ignore[arg-type]

    @property
    def coral_secrets(self) -> list[str]:
        return split_secrets(self.coral_signing_secrets)

    @property
    def mastodon_secrets(self) -> list[str]:
        return split_secrets(self.mastodon_webhook_secrets)

    def to_env(self) -> dict[str, str]:
        """The environment that makes `from_env` rebuild these settings in a worker process."""
        out = {}
        for name, variable in self.ENV.items():
            value = getattr(self, name)
            if value is not None:
                out[variable] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out


def _positive_int(variable: str, raw: str) -> int:
    """A whole number of at least 1 from the environment, or a ValueError that names the variable."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{variable} must be a whole number of at least 1, not {raw[:40]!r}")
    return value
