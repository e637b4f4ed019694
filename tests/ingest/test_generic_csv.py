from __future__ import annotations

from threadguard.ingest import generic_csv


def test_header_columns_quoted_newlines_and_bom(read_all, fixtures_dir):
    threads, report = read_all(fixtures_dir / "generic.csv")
    assert report.format == "csv"
    first, second = threads
    assert [(c.id, c.parent_id, c.depth, c.author, c.text) for c in first.comments] == [
        ("1", None, 1, "Zoe", "Line one\nline two, with comma"),
        ("2", "1", 2, "Abe", 'She said "hi"'),
        ("3", None, 1, "Cat", ""),
    ]
    assert first.comments[0].created == "2023-01-01T00:00:00Z"
    assert first.comments[1].flags == {"deleted"}
    assert (first.id, second.id, second.comments[0].text) == ("a", "b", "Other thread")
    assert not report.warnings


def test_semicolons_and_a_legacy_encoding(read_all, fixtures_dir):
    [thread], report = read_all(fixtures_dir / "generic_latin1.csv")
    assert [c.id for c in thread.comments] == ["1", "2"]
    assert thread.comments[0].author == "René" and thread.comments[0].text.startswith("Café")
    assert any(name.startswith("encoding_") for name in report.warnings)


def test_utf16_tab_separated_as_spreadsheets_save_it(read_all, tmp_path):
    path = tmp_path / "comments.txt"
    path.write_bytes('id\tauthor\tbody\n1\tEve\tsnow ☃ "quoted"\n'.encode("utf-16"))
    [thread], report = read_all(path)
    assert report.format == "csv"
    assert [(c.author, c.text) for c in thread.comments] == [("Eve", 'snow ☃ "quoted"')]


def test_last_row_cut_inside_quotes_is_kept_and_flagged(read_all, fixtures_dir, tmp_path):
    data = (fixtures_dir / "generic.csv").read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.index(b"line two")])
    [thread], report = read_all(path, "csv")
    [comment] = thread.comments
    assert comment.text == "Line one\n" and comment.flags == {"truncated"}
    assert report.warnings["truncated_input"] == 1


def test_rows_without_a_text_column_value_are_counted(read_all, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("id,author,text\n1,Ann,hello\n2,Bob\n")
    [thread], report = read_all(path)
    assert [c.id for c in thread.comments] == ["1"] and report.warnings["missing_text"] == 1


def test_sniff_needs_a_text_column_and_an_id_or_author():
    assert generic_csv.sniff(b"id,parent_id,author,text\n", "x.csv")
    assert generic_csv.sniff(b"author;message\n", "x.csv")
    assert not generic_csv.sniff(b"id,name,score\n1,a,2\n", "x.csv")
    assert not generic_csv.sniff(b"Some text, with a comma, and an id\n", "dump.txt")


def test_a_200_kb_comment_is_read_in_a_fresh_process_without_batch(tmp_path) -> None:
    """The csv module's 128 KB field limit is raised by the CSV reader itself, not by importing batch."""
    import subprocess
    import sys

    path = tmp_path / "big.csv"
    path.write_text('id,text\n1,"' + "word " * 40_000 + '"\n2,short\n', encoding="utf-8")
    code = (
        "import sys; from threadguard.ingest import read_threads; "
        "threads = list(read_threads(sys.argv[1])); "
        "assert 'threadguard.batch' not in sys.modules; "
        "print(sum(len(t.comments) for t in threads), max(len(c.text) for t in threads for c in t.comments))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", str(len("word " * 40_000))]


def test_a_comment_over_the_cap_is_cut_flagged_and_counted(read_all, tmp_path):
    from threadguard.ingest.limits import MAX_COMMENT_CHARS

    path = tmp_path / "long.csv"
    path.write_text(f"id,parent_id,text\n1,,{'w' * (MAX_COMMENT_CHARS + 1)}\n2,1,a reply\n", encoding="utf-8")
    [thread], report = read_all(path)
    first, reply = thread.comments
    assert len(first.text) == MAX_COMMENT_CHARS and "truncated" in first.flags
    assert (reply.parent_id, reply.depth, reply.flags) == ("1", 2, set())  # still hangs from it
    assert report.warnings["too_long"] == 1 and report.comments_read == 2


def test_a_field_over_the_csv_cap_is_too_long_and_the_next_row_is_read(read_all, tmp_path):
    from threadguard.ingest.limits import MAX_FIELD_CHARS

    path = tmp_path / "huge.csv"
    path.write_text(f"id,text\n1,{'w' * (MAX_FIELD_CHARS + 1)}\n2,after\n", encoding="utf-8")
    [thread], report = read_all(path)
    assert [(c.id, c.text) for c in thread.comments] == [("2", "after")]
    assert report.warnings["too_long"] == 1 and report.comments_read == 1
