from __future__ import annotations

import json

import pytest

from threadguard.ingest.registry import SNIFF_BYTES, sniff_format


def test_item_lines_build_threads_in_kids_order(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "hn_items.jsonl")
    assert report.format == "hn"
    story, uncrawled = threads
    assert (story.id, story.title, story.url) == ("5001", "Show HN: A tiny kite", "https://kite.example/")
    # the story's kids list 5003 before 5002, although 5002 comes first in the file
    assert [(c.id, c.parent_id, c.depth) for c in story.comments] == [
        ("5003", None, 1),
        ("5002", None, 1),
        ("5004", "5002", 2),
        ("5005", "5004", 3),
    ]
    dead, html, deleted, _ = story.comments
    assert dead.flags == {"unapproved"}
    assert html.text == "Neat kite. I'd fly it.\n\nSecond paragraph & more."
    assert deleted.flags == {"deleted", "author_missing"} and deleted.text == ""
    assert html.created == "2011-03-13T07:08:20Z"
    assert uncrawled.id == "5999" and uncrawled.comments[0].flags == {"orphan"}
    assert report.comments_read == 5


def test_poll_options_join_the_article_and_are_not_comments(read_all, fixtures_dir):
    [poll], report = read_all(fixtures_dir / "hn_poll.json")
    assert poll.article == "Tea\n\nCoffee"
    assert [c.id for c in poll.comments] == ["7003"] and report.comments_read == 1


def test_single_pretty_printed_item(read_all, fixtures_dir, tmp_path):
    items = [json.loads(line) for line in (fixtures_dir / "hn_items.jsonl").read_text().splitlines()]
    path = tmp_path / "item.json"
    path.write_text(json.dumps(items[1], indent=2))
    [thread], report = read_all(path)
    assert report.format == "hn"
    assert thread.id == "5001" and thread.comments[0].flags == {"orphan"}


# file -> (comments, title): SOURCES.md lists single items, no connected thread
SAMPLES = {
    "hnapi_readme_item_8863_story.json": (0, "My YC app: Dropbox - Throw away your USB drive"),
    "hnapi_readme_item_121003_ask.json": (0, "Ask HN: The Arc Effect"),
    "hnapi_readme_item_126809_poll.json": (
        0,
        "Poll: What would happen if News.YC had explicit support for polls?",
    ),
    "hnapi_readme_item_192327_job.json": (0, "Justin.tv is looking for a Lead Flash Engineer!"),
    "hnapi_readme_item_160705_pollopt.json": (0, None),
    "hnapi_readme_item_2921983_comment.json": (1, None),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_items(name, read_all, shared_formats):
    comments, title = SAMPLES[name]
    [thread], report = read_all(shared_formats / "hn_firebase" / name)
    assert report.comments_read == report.comments_output == comments
    assert thread.title == title


def test_real_comment_item_is_an_orphan_under_its_missing_parent(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "hn_firebase" / "hnapi_readme_item_2921983_comment.json")
    [comment] = thread.comments
    assert (thread.id, comment.parent_id, comment.author) == ("2921506", "2921506", "norvig")
    assert comment.flags == {"orphan"} and "\n\n" in comment.text and "<p>" not in comment.text


def test_real_ask_item_html_becomes_the_article(read_all, shared_formats):
    [thread], _ = read_all(shared_formats / "hn_firebase" / "hnapi_readme_item_121003_ask.json")
    assert thread.article.startswith("or HN: the Next Iteration\n\n") and "<i>" not in thread.article


def test_sniff_picks_hn_for_every_sample(shared_formats):
    for path in sorted((shared_formats / "hn_firebase").glob("*.json")):
        assert sniff_format(path.read_bytes()[:SNIFF_BYTES], path.name).name == "hn", path.name
