"""Near duplicates: one statement republished on several sites is stored once, the copies
pointing at it (``duplicate_of``).

Method: MinHash over the word 5-grams of the folded text, with locality-sensitive hashing.
Each item's signature (128 minima of a multiply-shift hash family) and its 20 band buckets (6
values each) are stored in ``item_signatures`` and ``item_bands``, so the index works on SQLite
and PostgreSQL alike and across processes: a new item is compared only with the items that share
a bucket.

Threshold: two items are the same statement when their estimated Jaccard similarity is at least
**0.8**. A republication (a party's statement copied by a portal, with a different page around
it, a line added or a typo fixed) keeps most 5-grams and scores well above 0.9; statements of
different parties on the same event share phrases ("the working class", the event's name) but
score below 0.3 on 5-grams. 0.8 leaves room for edited copies without merging look-alikes. With
20 bands of 6 rows, a pair at 0.8 becomes a candidate with probability 0.998, a pair at 0.3 with
probability 0.015, so few comparisons are made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import item_bands, item_signatures
from tribune.understand.textnorm import normalise_text

THRESHOLD = 0.8
PERMUTATIONS = 128
BANDS = 20
ROWS = 6
SHINGLE_WORDS = 5
_SEED = 20241128

_rng = np.random.default_rng(_SEED)
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def shingles(text: str) -> set[bytes]:
    """The word 5-grams of the folded text (the whole text when it is shorter)."""
    words = normalise_text(text).split()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def minhash(text: str) -> np.ndarray:
    """The MinHash signature of a text: PERMUTATIONS unsigned 32-bit minima."""
    found = shingles(text)
    if not found:
        return np.full(PERMUTATIONS, np.iinfo(np.uint32).max, dtype=np.uint32)
    x = np.fromiter((_hash64(s) for s in found), dtype=np.uint64, count=len(found))
    with np.errstate(over="ignore"):
        hashed = (np.outer(x, _A) + _B) >> np.uint64(32)  # multiply-shift, mod 2**64
    minima: np.ndarray = hashed.min(axis=0).astype(np.uint32)
    return minima


def item_minhash(title: str, text: str) -> np.ndarray:
    """An item's signature: of its text, or of its title when it has no text."""
    return minhash(text or title)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def band_buckets(signature: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) pairs; the bucket is a signed 64-bit hash of the band's rows."""
    out = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        out.append((band, _hash64(rows) - 2**63))
    return out


_INSERT_SIGNATURE = sa.insert(item_signatures)
_INSERT_BANDS = sa.insert(item_bands)


def record(conn: Connection, item_id: int, signature: np.ndarray) -> None:
    """Store an item's signature and bands (in the caller's transaction)."""
    conn.execute(_INSERT_SIGNATURE, {"item_id": item_id, "minhash": signature.tobytes()})
    conn.execute(
        _INSERT_BANDS,
        [{"band": b, "bucket": k, "item_id": item_id} for b, k in band_buckets(signature)],
    )


def _candidates_statement() -> sa.TextClause:
    """One equality per band, OR-ed, with the band numbers inline and the buckets bound."""
    bands = " OR ".join(f"(band = {b} AND bucket = :k{b})" for b in range(BANDS))
    return sa.text(f"SELECT DISTINCT item_id FROM item_bands WHERE {bands}")


_CANDIDATES = _candidates_statement()  # built once: building it per item cost more than running it


def candidates_query(signature: np.ndarray) -> sa.Executable:
    """The items sharing a band bucket with ``signature``.

    One equality per band, OR-ed: both databases look each up in the primary key, where a
    row-value ``IN`` list makes SQLite scan the whole band table for every new item.
    """
    return _CANDIDATES.bindparams(**_bucket_params(signature))


def _bucket_params(signature: np.ndarray) -> dict[str, int]:
    return {f"k{band}": bucket for band, bucket in band_buckets(signature)}


def near_duplicates(
    conn: Connection, signature: np.ndarray, *, exclude: Sequence[int] = ()
) -> list[tuple[int, float]]:
    """Stored items at or above THRESHOLD, most similar first: (item id, similarity)."""
    candidates = conn.execute(_CANDIDATES, _bucket_params(signature)).scalars().all()
    ids = [i for i in candidates if i not in set(exclude)]
    if not ids:
        return []
    rows = conn.execute(
        sa.select(item_signatures.c.item_id, item_signatures.c.minhash).where(
            item_signatures.c.item_id.in_(ids)
        )
    ).all()
    scored = [
        (row.item_id, similarity(signature, np.frombuffer(row.minhash, dtype=np.uint32)))
        for row in rows
    ]
    return sorted(((i, s) for i, s in scored if s >= THRESHOLD), key=lambda p: (-p[1], p[0]))
