"""Seeded expansion of hand-written templates into labelled examples the public data lacks."""

from __future__ import annotations

import json
import random
import re
from importlib import resources
from typing import Any

import pandas as pd

from threadguard.attributes import ATTRIBUTES, TARGET_GROUPS

SLOT_RE = re.compile(r"\{(\w+)\}")
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
OBFUSCATED_SLOTS = ("insult", "insult_adj", "harm_verb")  # filled with an evasive spelling 30% of the time


def load_templates() -> dict[str, Any]:
    path = resources.files("threadguard") / "resources" / "synthetic" / "templates.json"
    return json.loads(path.read_text(encoding="utf-8"))


def obfuscate(word: str, rng: random.Random) -> str:
    """One evasion a commenter would use: leetspeak, a mask, spacing or repeated letters."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 3:
        return word
    kind = rng.choice(("leet", "mask", "spacing", "repeat"))
    if kind == "leet":
        return "".join(LEET.get(ch, ch) if rng.random() < 0.6 else ch for ch in word)
    if kind == "mask":
        i = rng.choice(letters[1:-1] or letters)
        return word[:i] + "*" + word[i + 1 :]
    if kind == "spacing" and " " not in word:
        return " ".join(word)
    i = rng.choice(letters)
    return word[:i] + word[i] * rng.randint(3, 6) + word[i + 1 :]


def _fill(template: str, slots: dict[str, list[str]], group: dict[str, list[str]], rng: random.Random) -> str:
    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "group":
            return rng.choice(group["plural"])
        if name == "group_slur":
            return (
                obfuscate(rng.choice(group["slur_plural"]), rng)
                if rng.random() < 0.3
                else rng.choice(group["slur_plural"])
            )
        if name == "group_singular":
            return rng.choice(group["singular"])
        value = rng.choice(slots[name])
        if name in OBFUSCATED_SLOTS and rng.random() < 0.3:
            value = obfuscate(value, rng)
        return SLOT_RE.sub(pick, value)

    text = SLOT_RE.sub(pick, template)
    text = re.sub(r"\s+([.,!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return text[0].upper() + text[1:]


def generate(per_template: int = 80, seed: int = 0) -> pd.DataFrame:
    """Labelled rows: `text`, one column per attribute and per `target_<group>` (0..1)."""
    spec = load_templates()
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for template in spec["templates"]:
        uses_group = "{group" in template["text"]
        for _ in range(per_template):
            group_name = rng.choice(TARGET_GROUPS)
            text = _fill(template["text"], spec["slots"], spec["groups"][group_name], rng)
            if text in seen:
                continue
            seen.add(text)
            row: dict[str, Any] = {"text": text}
            row.update({name: float(template["labels"].get(name, 0.0)) for name in ATTRIBUTES})
            attack = template["labels"].get("IDENTITY_ATTACK", 0.0)
            for g in TARGET_GROUPS:
                row[f"target_{g}"] = float(attack) if (uses_group and g == group_name) else 0.0
            rows.append(row)
    return pd.DataFrame(rows)
