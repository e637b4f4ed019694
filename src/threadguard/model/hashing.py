"""xxHash32 of many short byte strings at once, in numpy: the char n-gram hash of the fast tier.

The same values as `xxhash.xxh32_intdigest(data, seed)` (tested against it), for strings shorter
than 16 bytes, the only case n-grams need: the per-string Python call was most of the cost of a
token never seen before.
"""

from __future__ import annotations

import numpy as np

_P1, _P2, _P3, _P4, _P5 = (np.uint32(p) for p in (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1))


def _rotl(h: np.ndarray, bits: int) -> np.ndarray:
    return (h << np.uint32(bits)) | (h >> np.uint32(32 - bits))


def xxh32_slices(buffer: np.ndarray, starts: np.ndarray, length: int, seed: int = 0) -> np.ndarray:
    """xxh32 of `buffer[s : s + length]` for each s in `starts` (uint8 buffer; length < 16), uint32."""
    if not 0 <= length < 16:
        raise ValueError(f"length must be in [0, 16), got {length}")
    h = np.full(len(starts), (seed + int(_P5) + length) & 0xFFFFFFFF, dtype=np.uint32)
    at = 0
    while at + 4 <= length:
        word = buffer[starts + at].astype(np.uint32)
        for k in (1, 2, 3):
            word |= buffer[starts + at + k].astype(np.uint32) << np.uint32(8 * k)
        h = _rotl(h + word * _P3, 17) * _P4
        at += 4
    while at < length:
        h = _rotl(h + buffer[starts + at].astype(np.uint32) * _P5, 11) * _P1
        at += 1
    h ^= h >> np.uint32(15)
    h *= _P2
    h ^= h >> np.uint32(13)
    h *= _P3
    h ^= h >> np.uint32(16)
    return h
