"""The names threadguard scores, shared by every layer (Perspective's attribute names)."""

ATTRIBUTES: tuple[str, ...] = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "IDENTITY_ATTACK",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "SEXUALLY_EXPLICIT",
)

TARGET_GROUPS: tuple[str, ...] = (
    "religion",
    "race_ethnicity",
    "nationality_origin",
    "gender",
    "sexual_orientation",
    "gender_identity",
    "disability",
)
