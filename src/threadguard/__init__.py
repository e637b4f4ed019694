"""threadguard: a self-hosted, Perspective-compatible comment moderation engine."""

__version__ = "0.1.0"
