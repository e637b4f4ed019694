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

# The attributes whose score alone can flag a comment. PROFANITY is reported but never flags on its own:
# "That goal was f***ing brilliant!" is profane and harmless; profanity that harms also scores TOXICITY or
# INSULT, which do flag.
FLAGGING_ATTRIBUTES: tuple[str, ...] = tuple(a for a in ATTRIBUTES if a != "PROFANITY")

TARGET_GROUPS: tuple[str, ...] = (
    "religion",
    "race_ethnicity",
    "nationality_origin",
    "gender",
    "sexual_orientation",
    "gender_identity",
    "disability",
)
