import gzip

from threadguard.batch.gzipped import InputFile


def _members(n: int) -> bytes:
    return b"".join(gzip.compress(f"line {i}\n".encode() * 100) for i in range(n))


def test_all_members_are_read(tmp_path):
    path = tmp_path / "ok.gz"
    path.write_bytes(_members(4))
    with InputFile(path) as f:
        assert f.stream.read().count(b"\n") == 400
        assert f.damage() is None
        assert f.position() == path.stat().st_size


def test_truncated_gzip_keeps_what_decompresses_and_says_so(tmp_path):
    data = _members(4)
    path = tmp_path / "cut.gz"
    path.write_bytes(data[:-10])
    with InputFile(path) as f:
        text = f.stream.read()
        assert text.startswith(b"line 0\n" * 100 + b"line 1\n" * 100 + b"line 2\n" * 100)
        assert f.damage() == "truncated_gzip"


def test_corrupt_gzip_is_reported_not_raised(tmp_path):
    data = bytearray(_members(2))
    data[20:40] = b"\x00" * 20
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(data))
    with InputFile(path) as f:
        f.stream.read()
        assert f.damage().startswith("corrupt_gzip")


def test_plain_files_pass_through(tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b'{"text": "x"}\n')
    with InputFile(path) as f:
        assert f.stream.read() == b'{"text": "x"}\n'
        assert f.damage() is None
