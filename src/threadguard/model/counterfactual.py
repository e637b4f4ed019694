"""Counterfactual identity augmentation: the same sentence about another group keeps its labels.

Hate-speech data mentions some identities mostly in attacks ("gay", "muslim"), so a model learns
the identity word itself as evidence of toxicity and flags neutral mentions. Copies of rows with
the identity word swapped for one of another group, with the labels kept and the target group
moved along, teach it that the words around the identity carry the signal, not the identity.
"""

from __future__ import annotations

import random
import re

import pandas as pd

from threadguard.model.lexicon import Lexicon


def identity_terms(lexicon: Lexicon) -> dict[str, str]:
    """Single-word neutral identity terms (with plural forms) and their group."""
    terms: dict[str, str] = {}
    for word in lexicon.words(("identity",)):
        group = next(h.group for h in lexicon.match([word]) if h.category == "identity")
        if group:
            terms[word] = group
    return terms


def augment(frame: pd.DataFrame, lexicon: Lexicon, share: float = 0.5, seed: int = 0) -> pd.DataFrame:
    """Swapped copies of up to `share` of the rows that mention an identity, labels kept."""
    terms = identity_terms(lexicon)
    # replacements come from the listed terms, not from their automatic plural variants ("transes")
    variants = {w + suffix for w in terms for suffix in ("s", "es")}
    by_group: dict[str, list[str]] = {}
    for word, group in terms.items():
        if word not in variants:
            by_group.setdefault(group, []).append(word)
    # sorted once: the draws below depend only on the seed, not on set iteration order
    groups = sorted(by_group)
    replacements = {group: sorted(words) for group, words in by_group.items()}
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, terms), key=len, reverse=True)) + r")\b", re.I
    )
    rng = random.Random(seed)
    rows: list[dict] = []
    for record in frame.to_dict("records"):
        match = pattern.search(record["text"])
        if match is None or rng.random() >= share:
            continue
        original = terms[match.group(1).lower()]
        new_group = rng.choice([g for g in groups if g != original])
        replacement = rng.choice(replacements[new_group])
        copy = dict(record)
        copy["text"] = record["text"][: match.start()] + replacement + record["text"][match.end() :]
        copy["dataset"] = f"{record['dataset']}+counterfactual"
        old_target, new_target = f"target_{original}", f"target_{new_group}"
        if copy.get(old_target) == 1.0:
            copy[old_target], copy[new_target] = 0.0, 1.0
        rows.append(copy)
    return pd.DataFrame(rows, columns=frame.columns)
