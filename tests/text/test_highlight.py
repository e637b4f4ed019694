"""Span segments: the text is cut at UTF-16 span boundaries, covered pieces are labelled."""

from __future__ import annotations

from threadguard.text.highlight import segments


def test_overlapping_spans_cut_the_text_and_label_each_piece() -> None:
    text = "😀 you stupid idiot"  # the emoji is two UTF-16 code units
    pieces = segments(text, {"INSULT": [{"begin": 7, "end": 19}], "TOXICITY": [{"begin": 14, "end": 19}]})
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.labels) for p in pieces] == [
        ("😀 you ", ()),
        ("stupid ", ("INSULT",)),
        ("idiot", ("INSULT", "TOXICITY")),
    ]
    assert pieces[2].label == "INSULT, TOXICITY"


def test_spans_that_do_not_fit_the_text_are_ignored() -> None:
    text = "plain words"
    bad = {"INSULT": [{"begin": 5, "end": 99}, {"begin": "x", "end": 2}, {"end": 3}, {"begin": 4, "end": 2}]}
    assert [(p.text, p.labels) for p in segments(text, bad)] == [(text, ())]
    assert segments("", {"INSULT": [{"begin": 0, "end": 0}]}) == []
