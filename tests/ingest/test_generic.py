from __future__ import annotations

import io
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from threadguard.ingest import IngestReport, generic
from threadguard.ingest.registry import SNIFF_BYTES
from threadguard.thread.model import SOURCE_FLAGS, Comment
from threadguard.thread.tree import make_thread


def test_lines_group_by_thread_with_alternative_keys(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "generic.jsonl")
    assert report.format == "jsonl"
    garden, second = threads
    assert (garden.id, garden.title, garden.url, garden.article) == (
        "t-1",
        "Garden thread",
        "https://g.example/1",
        "About tomatoes.",
    )
    assert [(c.id, c.parent_id, c.depth, c.author, c.text) for c in garden.comments] == [
        ("1", None, 1, "Wen", "Tomatoes need sun."),
        ("2", "1", 2, "Xia", "And water."),  # "body"
        ("3", "2", 3, None, "Body under another key."),  # "comment", "parent", integer ids
    ]
    assert [c.created for c in garden.comments] == ["2023-05-01T08:00:00Z", "2023-05-01T08:00:00Z", None]
    assert [c.flags for c in garden.comments] == [set(), {"deleted"}, {"spam", "unapproved"}]
    assert [(c.id, c.text) for c in second.comments] == [
        ("9", "Second thread."),
        ("record:6", "No id, still read."),
    ]
    # "not json at all" and the line without any text field; "sparkly" is no flag
    assert report.warnings["invalid_json"] == 1 and report.warnings["missing_text"] == 1
    assert report.warnings["unknown_flag"] == 1
    assert report.comments_read == 5


def test_sniff_leaves_other_json_lines_formats_alone(fixtures_dir, shared_formats):
    others = [
        fixtures_dir / "pushshift.ndjson",
        fixtures_dir / "livefyre_comments.ndjson",
        fixtures_dir / "remark42_backup.ndjson",
        fixtures_dir / "hn_items.jsonl",
        *(shared_formats / "pushshift_ndjson").glob("*.ndjson"),
        *(shared_formats / "livefyre").glob("*.ndjson"),
        *(shared_formats / "remark42").glob("*.ndjson"),
    ]
    for path in others:
        assert not generic.sniff(path.read_bytes()[:SNIFF_BYTES], path.name), path.name
    path = fixtures_dir / "generic.jsonl"
    assert generic.sniff(path.read_bytes()[:SNIFF_BYTES], path.name)
    assert not generic.sniff(b'{"id": 1, "title": "no text field"}\n', "x.jsonl")


def test_render_writes_one_line_per_comment_with_thread_metadata_once():
    thread = make_thread(
        "test",
        [
            Comment("b", "a", "reply\nwith newline"),
            Comment("a", None, "top", author="Ann", flags={"deleted"}),
        ],
        id="t",
        title="Title",
    )
    thread.comments[1].flags.add("orphan")  # repair flags are not written
    lines = list(generic.render([thread]))
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert '"title": "Title"' in lines[0] and "title" not in lines[1]
    assert '"flags": ["deleted"]' in lines[0] and '"flags": []' in lines[1]


ids = st.text(min_size=1, max_size=8)
optional_text = st.none() | st.text(min_size=1, max_size=20)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC))


@st.composite
def threads(draw):
    thread_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    built = []
    for thread_id in thread_ids:
        comment_ids = draw(st.lists(ids, min_size=1, max_size=12, unique=True))
        comments = []
        for i, comment_id in enumerate(comment_ids):
            parent = draw(st.none() | st.sampled_from(comment_ids[:i])) if i else None
            created = draw(st.none() | moments.map(lambda m: m.isoformat().replace("+00:00", "Z")))
            flags = draw(st.sets(st.sampled_from(SOURCE_FLAGS), max_size=2))
            comments.append(
                Comment(
                    comment_id, parent, draw(st.text(max_size=40)), draw(optional_text), created, flags=flags
                )
            )
        meta = {key: draw(optional_text) for key in ("title", "url", "article")}
        built.append(make_thread("jsonl", comments, id=thread_id, **meta))
    return built


def _shape(thread):
    comments = [(c.id, c.parent_id, c.author, c.text, c.created, c.depth, c.flags) for c in thread.comments]
    return thread.id, thread.title, thread.url, thread.article, comments


@settings(max_examples=60, deadline=None)
@given(threads())
def test_render_then_parse_gives_the_same_threads(original):
    data = "\n".join(generic.render(original)).encode("utf-8")
    report = IngestReport()
    parsed = list(generic.parse(io.BytesIO(data), report))
    for thread in parsed:
        report.count_thread(thread)
    assert [_shape(t) for t in parsed] == [_shape(t) for t in original]
    assert report.unaccounted == 0 and not report.warnings
