import numpy as np
import pytest
import xxhash

from threadguard.model.hashing import xxh32_slices


@pytest.mark.parametrize("length", range(16))
def test_equals_xxhash_for_every_short_length_and_seed(length: int) -> None:
    rng = np.random.default_rng(length)
    buffer = rng.integers(0, 256, size=4096, dtype=np.uint8)
    starts = rng.integers(0, len(buffer) - length, size=500)
    data = buffer.tobytes()
    for seed in (0, 3, 5, 0xFFFFFFFF):
        expected = [xxhash.xxh32_intdigest(data[s : s + length], seed=seed) for s in starts]
        assert xxh32_slices(buffer, starts, length, seed).tolist() == expected


def test_refuses_lengths_it_does_not_implement() -> None:
    with pytest.raises(ValueError, match="length"):
        xxh32_slices(np.zeros(32, dtype=np.uint8), np.array([0]), 16)
