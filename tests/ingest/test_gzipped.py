import gzip
import tracemalloc

from threadguard.ingest.gzipped import READ_SIZE, InputFile


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
        damage = f.damage()
        assert damage.reason == "truncated_gzip" and damage.offset == len(data) - 10


def test_corrupt_gzip_is_reported_not_raised(tmp_path):
    data = bytearray(_members(2))
    data[20:40] = b"\x00" * 20
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(data))
    with InputFile(path) as f:
        f.stream.read()
        assert f.damage().reason == "corrupt_gzip" and f.damage().offset < 40


def test_plain_files_pass_through(tmp_path):
    path = tmp_path / "plain.jsonl"
    path.write_bytes(b'{"text": "x"}\n')
    with InputFile(path) as f:
        assert f.stream.read() == b'{"text": "x"}\n'
        assert f.damage() is None


def _lines(n: int, start: int = 0) -> bytes:
    return b"".join(b'{"id": "%d", "text": "comment number %d"}\n' % (i, i) for i in range(start, start + n))


def test_a_crc_error_keeps_every_row_of_the_damaged_block(tmp_path):
    """The issue's file: 500 rows whose checksum fails at the end. zlib raises on the whole 64 KiB block;
    every row it decoded is still delivered, and the damage is located."""
    data = bytearray(gzip.compress(_lines(500)))
    data[-8] ^= 0xFF  # the CRC32 of the member
    path = tmp_path / "crc.jsonl.gz"
    path.write_bytes(bytes(data))
    with InputFile(path) as f:
        assert f.stream.read() == _lines(500)
        damage = f.damage()
    assert damage.reason == "corrupt_gzip" and "incorrect data check" in damage.detail
    assert len(data) - 8 <= damage.offset < len(data) and f"{damage.offset:,}" in str(damage)


def test_damage_in_a_middle_member_keeps_the_members_before_it(tmp_path):
    members = [gzip.compress(_lines(100, 100 * k)) for k in range(5)]
    members[2] = members[2][:-8] + bytes(b ^ 0x55 for b in members[2][-8:-4]) + members[2][-4:]
    path = tmp_path / "members.jsonl.gz"
    path.write_bytes(b"".join(members))
    with InputFile(path) as f:
        assert f.stream.read() == _lines(300)  # members 1-3 decode; the third's checksum is wrong
        damage = f.damage()
    end_of_third = sum(len(m) for m in members[:3])
    assert damage.reason == "corrupt_gzip" and end_of_third - 8 <= damage.offset < end_of_third


def test_zero_padding_after_the_last_member_is_no_damage(tmp_path):
    path = tmp_path / "padded.gz"
    path.write_bytes(_members(2) + b"\x00" * 512)
    with InputFile(path) as f:
        assert f.stream.read().count(b"\n") == 200 and f.damage() is None


def test_a_stream_seeks_back_by_decompressing_again(tmp_path):
    path = tmp_path / "two.gz"
    path.write_bytes(_members(2))
    with InputFile(path) as f:
        first = f.stream.read()
        f.stream.seek(7)
        assert f.stream.read() == first[7:] and f.damage() is None


def test_a_small_file_that_inflates_hugely_never_sits_in_memory_at_once(tmp_path):
    size = 64 * 2**20
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(b"\x00" * size))  # about 64 KiB on disk
    tracemalloc.start()
    try:
        with InputFile(path) as f:
            total = 0
            while chunk := f.stream.read(READ_SIZE):
                total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == size and peak < 4 * 2**20
