"""Plain-text page dump reader: the Resiliparse renders of real pages in ../shared/formats/seed_dump_renders
(true trees known from the HTML next to them), a seed-like fixture, damaged copies, and a render -> parse
round trip over random trees."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ingest.helpers import FIXTURES, assert_survives_damage, read, summary
from threadguard.ingest import IngestReport
from threadguard.ingest.text_dump import REPLY_WORDS, parse, render, sniff
from threadguard.thread.model import Comment, Thread

# Comments / max depth of the HTML each render came from (SOURCES.md of the html_* folders).
RENDERS = {
    "traf_cubadebate.cu-sesiona.resiliparse.txt": (11, 3),
    "traf_netzpolitik.org.abmahnungen.resiliparse.txt": (74, 5),
    "traf_thenervousbreakdown.com.loneliest.resiliparse.txt": (11, 2),
    "traf_theoriginalcopy.de.baby.resiliparse.txt": (52, 2),
    "traf_blog.wordpress.com.diverse.resiliparse.txt": (13, 3),
    # Div-based comments render without bullets: they cannot be told from article text, so none are
    # read, and the page's menus (same bullets) must not be mistaken for comments either.
    "readability_aclu_drupal_source.resiliparse.txt": (0, 0),
    "traf_tomshardware.com.rtx.resiliparse.txt": (0, 0),
    "traf_reddit.com.init.resiliparse.txt": (0, 0),
}


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_renders_of_real_pages(shared_formats: Path, name: str) -> None:
    threads, report = read(shared_formats / "seed_dump_renders" / name)
    n_comments, max_depth = RENDERS[name]
    assert report.format == "text-dump"
    counts = summary(threads)
    assert (counts["threads"], counts["comments"], counts["max_depth"]) == (1, n_comments, max_depth)
    assert report.comments_read == n_comments and report.unaccounted == 0
    comments = threads[0].comments
    assert all(c.author and c.text for c in comments)  # every comment on these pages has both
    for comment in comments:  # no "Reply" links or dates left at the end of a body
        assert comment.text.split("\n")[-1].lower() not in REPLY_WORDS
        assert not re.search(r"\d{1,2}:\d{2}", comment.text.split("\n")[-1]) or len(comment.text) > 60


def test_says_headers_numbered_items_and_replies(shared_formats: Path) -> None:
    (thread,) = read(
        shared_formats / "seed_dump_renders" / "traf_thenervousbreakdown.com.loneliest.resiliparse.txt"
    )[0]
    by_id = thread.by_id()
    assert by_id["c1"].author == "Art Edwards" and by_id["c1"].text.startswith("“How can you not hear")
    assert by_id["c3.1"].author == "Tim Anderson" and by_id["c3.1"].parent_id == "c3"
    assert by_id["c3"].author == "dwoz" and by_id["c3"].text.endswith("🙂")
    assert [c.id for c in thread.comments if c.depth == 2] == ["c3.1", "c8.1"]


def test_five_levels_of_numbered_replies(shared_formats: Path) -> None:
    (thread,) = read(
        shared_formats / "seed_dump_renders" / "traf_netzpolitik.org.abmahnungen.resiliparse.txt"
    )[0]
    deepest = next(c for c in thread.comments if c.depth == 5)
    assert deepest.id == "c1.1.1.1.1" and deepest.author == "Volker Rieck"
    assert thread.by_id()["c1"].author == "blah blubb"  # the "23. Juni" date line is not a numbered item


def test_comment_number_bullets_take_the_author_from_the_next_line(shared_formats: Path) -> None:
    (thread,) = read(shared_formats / "seed_dump_renders" / "traf_theoriginalcopy.de.baby.resiliparse.txt")[0]
    assert [(c.id, c.author) for c in thread.comments[:3]] == [
        ("c1", "Julia"),
        ("c1.1", "Helen"),
        ("c1.2", "Swantje Bernsmann"),
    ]


def test_seed_like_fixture() -> None:
    (thread,), report = read(FIXTURES / "text_dump_seed_like.txt")
    assert report.format == "text-dump" and report.unaccounted == 0
    assert thread.title == "Why the river flooded again"
    assert thread.article == (
        "The town council met on Tuesday to discuss the spring floods.\n"
        "Residents brought photos of the old levee.\n\n"
        "Engineers say the gauge readings were misread twice."
    )
    assert [(c.id, c.parent_id, c.depth, c.author, sorted(c.flags)) for c in thread.comments] == [
        ("c1", None, 1, None, ["author_missing"]),  # body with no header line above it
        ("c1.1", "c1", 2, "Pia_77", []),
        ("c2", None, 1, "Marek D.", []),
        ("c2.1", "c2", 2, None, ["author_missing"]),  # the bullet holds the first sentence
        ("c2.1.1", "c2.1", 3, "Marek D.", []),
        ("c3", None, 1, "Jo… 2", []),
    ]
    texts = [c.text for c in thread.comments]
    assert texts[0] == "Nobody warned the farms downstream this time either."
    assert texts[2] == (
        "The levee was patched, not rebuilt.\nThat is the whole story.\n\n"
        "Ask the council for the repair invoices."
    )
    assert texts[3] == "This reply lost its author line, so the bullet holds the first sentence."


def test_sniff() -> None:
    assert sniff((FIXTURES / "text_dump_seed_like.txt").read_bytes(), "page.txt")
    assert not sniff(b"<html><body><ul><li>\n  \xe2\x80\xa2 x</li></ul></body></html>", "page.html")
    assert not sniff(b'{"items": [\n  "\xe2\x80\xa2 x"]}', "page.json")
    assert not sniff(b"plain text without any list\n", "notes.txt")


def test_damaged_samples_give_warnings_not_exceptions(shared_formats: Path, tmp_path: Path) -> None:
    for path in sorted((shared_formats / "seed_dump_renders").glob("*.txt"))[:4]:
        assert_survives_damage(path, "text-dump", tmp_path, warns_on_cut=False)
    assert_survives_damage(FIXTURES / "text_dump_seed_like.txt", "text-dump", tmp_path, warns_on_cut=False)


# --- render -> parse round trip. Each limit below is a limit of the grammar, not of the parser. ---

# Words: letters (any script), digits, and punctuation that cannot start a bullet. No whitespace inside
# a word (lines have no leading/trailing spaces, words one space apart), no ":" (so no "Name says:"
# header and no "12:30" timestamp, which the parser treats as page furniture), no "•".
WORD = st.text(
    st.characters(categories=("L", "N"), exclude_characters="\u2022") | st.sampled_from(list(".,!?'\"-…_()")),
    min_size=1,
    max_size=9,
)
NAME_WORD = st.text(
    st.characters(categories=("L", "Nd")) | st.sampled_from(list("._…")), min_size=1, max_size=9
)


def _is_body_line(line: str) -> bool:
    # A body line must not look like a numbered item ("3. "), and must not be a "Reply"/"Like" link.
    return not re.match(r"\d{1,4}\. ", line) and line.lower() not in REPLY_WORDS and line.lower() != "like"


LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join).filter(_is_body_line)
# Bodies are never empty (an empty body is indistinguishable from an author-less comment); paragraphs are
# one or more hard-wrapped lines.
BODY = st.lists(st.lists(LINE, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3).map(
    "\n\n".join
)
# Authors: 1-3 words of letters, digits, dots, underscores and "…". An author must not read as a sentence
# (three words ending in "." or "…"), nor end in a timestamp.
AUTHOR = (
    st.lists(NAME_WORD, min_size=1, max_size=3)
    .map(" ".join)
    .filter(lambda a: not (len(a.split()) == 3 and a.endswith((".", "…"))))
)
# An author-less comment's bullet holds its first line, so when more paragraphs follow, that line must
# read as a sentence (here: at least three words ending in ".").
SENTENCE = (
    st.lists(WORD, min_size=3, max_size=8).map(lambda words: " ".join(words) + ".").filter(_is_body_line)
)


@st.composite
def threads(draw: st.DrawFn) -> Thread:
    depths = [1]
    for _ in range(draw(st.integers(0, 14))):
        depths.append(draw(st.integers(1, depths[-1] + 1)))  # pre-order: at most one level deeper
    comments: list[Comment] = []
    path: list[int] = []
    for depth in depths:
        path = [*path[: depth - 1], (path[depth - 1] + 1) if len(path) >= depth else 1]
        author = draw(st.none() | AUTHOR)
        body = draw(BODY)
        if author is None:
            body = draw(SENTENCE) + "\n\n" + body if draw(st.booleans()) else draw(LINE)
        cid = "c" + ".".join(map(str, path))
        comments.append(
            Comment(
                id=cid,
                parent_id=cid.rpartition(".")[0] or None,
                text=body,
                author=author,
                depth=depth,
                flags=set() if author else {"author_missing"},
            )
        )
    # At least half the comments have an author: a list where most items have none reads as page chrome.
    for comment in comments:
        if sum(c.author is not None for c in comments) * 2 >= len(comments):
            break
        if comment.author is None:
            comment.author, comment.flags, comment.text = draw(AUTHOR), set(), draw(BODY)
    title = draw(LINE)
    article = draw(st.none() | BODY)
    return Thread(source="text-dump", comments=comments, title=title, article=article)


@settings(max_examples=100, deadline=None)
@given(thread=threads())
def test_render_then_parse_gives_the_same_thread(thread: Thread) -> None:
    report = IngestReport()
    (parsed,) = parse(io.BytesIO(render(thread).encode("utf-8")), report)
    assert report.comments_read == len(parsed.comments) == len(thread.comments)
    assert (parsed.title, parsed.article) == (thread.title, thread.article)
    expected = [(c.id, c.parent_id, c.depth, c.author, c.text, c.flags) for c in thread.comments]
    assert [(c.id, c.parent_id, c.depth, c.author, c.text, c.flags) for c in parsed.comments] == expected
