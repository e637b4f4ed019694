from pathlib import Path

import pytest

from threadguard.model.lexicon import Lexicon


def make() -> Lexicon:
    return Lexicon(
        [
            ("idiot", "insult", None),
            ("asylum seeker", "identity", "nationality_origin"),
            ("firing squad", "violence", None),
            ("squad", "reporting", None),
        ]
    )


def test_plural_forms_match() -> None:
    hits = make().match(["two", "idiots"])
    assert [(h.first, h.last, h.category) for h in hits] == [(1, 1, "insult")]


def test_longest_multiword_entry_wins() -> None:
    hits = make().match(["the", "firing", "squad", "and", "asylum", "seekers"])
    assert [(h.first, h.last, h.category, h.group) for h in hits] == [
        (1, 2, "violence", None),
        (4, 5, "identity", "nationality_origin"),
    ]


def test_unknown_group_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown target group"):
        Lexicon([("x", "slur", "martians")])


def test_shipped_lexicon_loads_with_groups() -> None:
    lexicon = Lexicon.load()
    assert "idiot" in lexicon.words(("insult",))
    slur_groups = {h.group for h in lexicon.match(["towelheads"])}
    assert slur_groups == {"religion"}


def test_words_only_single_tokens(tmp_path: Path) -> None:
    assert "asylum seeker" not in make().words()


def test_a_multiword_hit_covers_its_tokens_and_an_unfinished_phrase_falls_back() -> None:
    hits = make().match(["firing", "squad", "squad", "firing", "idiot"])
    assert [(h.first, h.last, h.category) for h in hits] == [
        (0, 1, "violence"),
        (2, 2, "reporting"),
        (4, 4, "insult"),
    ]
