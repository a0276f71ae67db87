"""The array loops of retrieval and the pre-score: compiled ones, or numpy ones.

Five loops run on every query over a few hundred to a few thousand elements: summing the
weights retrieval keys give the names they reach (:func:`accumulate`), probing the names
found for a key too common to expand (:func:`best_entries`), keeping the best-weighted
of the names found (:func:`top_names`), listing the tokens of the names to pre-score
(:func:`name_tokens`), and estimating each name's score from the query-token x name-token
similarities (:func:`coverage`). Written with numpy, each is
several calls, and at these sizes the fixed cost of a numpy call outweighs its work.
``_kernels.pyx`` holds the same loops in Cython, compiled at install (``setup.py``); this
module uses them when they were compiled and the numpy versions below otherwise
(``SANCTIONS_LEDGER_PURE=1``, or no C compiler). The two give the same names, and the same
retrieval weights; the pre-score estimates agree to 1e-6 (both sum in double precision, in
different orders), which tests check on real data.
"""

from __future__ import annotations

import os
import threading

import numpy as np

__all__ = [
    "COMPILED", "accumulate", "best_entries", "coverage", "gather", "name_tokens", "top_names",
]

_per_thread = threading.local()
"""Scratch arrays of the numpy versions, per thread: Python runs while they are in use."""
_shared: dict[str, np.ndarray] = {}
"""Scratch arrays of the compiled loops, shared by the threads: a loop uses them without
letting another thread run (see ``_kernels.pyx``)."""


def gather(flat: np.ndarray, offsets: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The concatenated rows ``ids`` of a CSR array, and each row's length."""
    starts = offsets.take(ids)
    lens = offsets.take(ids + 1) - starts
    ends = lens.cumsum()
    pos = (starts - ends + lens).repeat(lens) + np.arange(int(ends[-1]) if len(ends) else 0)
    return flat.take(pos), lens


def _slots(store: dict[str, np.ndarray], name: str, size: int, fill: float | int) -> np.ndarray:
    """A scratch array of at least ``size`` entries (one per name or per token), made full
    of ``fill`` (the compiled loops leave their arrays so; the token slots need no set
    content). A larger index replaces it."""
    arr = store.get(name)
    if arr is None or len(arr) < size:
        arr = np.full(size, fill, dtype=np.float64 if isinstance(fill, float) else np.int64)
        store[name] = arr
    return arr


def _accumulate_numpy(
    post_flat: np.ndarray, post_off: np.ndarray, tids: np.ndarray, weights: np.ndarray,
    ranks: np.ndarray, n_ranks: int,
) -> tuple[np.ndarray, np.ndarray]:
    if not len(tids):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    # Per (name, key): the key's best entry in the name; keys of a name in rank order, so
    # that the sum below adds them in that order.
    nids, lens = gather(post_flat, post_off, tids)
    w_el = weights.repeat(lens)
    pkey = nids.astype(np.int64) * max(n_ranks, 1) + ranks.repeat(lens)
    srt = pkey.argsort()
    pkey = pkey.take(srt)
    first = np.empty(len(pkey), dtype=bool)
    first[:1] = True
    np.not_equal(pkey[1:], pkey[:-1], out=first[1:])
    starts = first.nonzero()[0]
    cand_n = nids.take(srt.take(starts)).astype(np.int64)
    cand_w = np.maximum.reduceat(w_el.take(srt), starts)
    new_name = np.empty(len(cand_n), dtype=bool)  # cand_n is sorted
    new_name[:1] = True
    np.not_equal(cand_n[1:], cand_n[:-1], out=new_name[1:])
    return cand_n[new_name], np.bincount(new_name.cumsum() - 1, weights=cand_w)


def _best_entries_numpy(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, lut: np.ndarray
) -> np.ndarray:
    ntids, nlens = gather(flat, offsets, nids)
    best: np.ndarray = np.maximum.reduceat(lut.take(ntids), nlens.cumsum() - nlens)
    return best


def _top_names_numpy(nids: np.ndarray, scores: np.ndarray, share: float, limit: int) -> np.ndarray:
    floor = np.flatnonzero(scores >= scores.max() * share)
    order = np.argsort(-scores.take(floor), kind="stable")[:limit]
    top: np.ndarray = nids.take(floor.take(order)).astype(np.int64)
    return top


def _name_tokens_numpy(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, n_tokens: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    idx, lens = gather(flat, offsets, nids)
    off = np.zeros(len(nids) + 1, dtype=np.int64)
    np.cumsum(lens, out=off[1:])
    # The distinct tokens without sorting: a slot per token maps it to its position.
    # Every slot read was written first, so the array is never cleared.
    slots = _slots(_per_thread.__dict__, "token_slots", n_tokens, 0)
    where = np.arange(len(idx))
    slots[idx] = where  # one position of each token wins (which one does not matter)
    uniq = idx[slots[idx] == where]
    slots[uniq] = np.arange(len(uniq))
    return idx.astype(np.int64), uniq.astype(np.int64), slots[idx], off


def _coverage_numpy(
    sim: np.ndarray, qkeys: np.ndarray, keys: np.ndarray, key_values: np.ndarray,
    qnat: np.ndarray, nat_value: float, uniq: np.ndarray, inverse: np.ndarray, idx: np.ndarray,
    off: np.ndarray, wq: np.ndarray, wtok: np.ndarray, floor: float,
) -> np.ndarray:
    same = qkeys[:, :, None] == keys.take(uniq, axis=1)[:, None, :]
    implied = np.maximum.reduce(np.where(same, key_values[:, None, None], np.float32(0.0)), axis=0)
    read = (qnat[:, :, None] == keys[0].take(uniq)[None, None, :]).any(axis=1)
    implied = np.maximum(implied, np.where(read, np.float32(nat_value), np.float32(0.0)))
    sim = np.maximum(sim, implied)
    np.putmask(sim, sim < floor, np.float32(0.0))
    starts = off[:-1]
    cols = sim.take(inverse, axis=1)  # query tokens x all names' tokens, names side by side
    best_q = np.maximum.reduceat(cols, starts, axis=1)  # per query token and name
    cov_q = (wq.astype(np.float64) @ best_q) / max(float(wq.sum(dtype=np.float64)), 1e-9)
    wflat = wtok.take(idx).astype(np.float64)
    cov_c = np.add.reduceat(np.maximum.reduce(cols, axis=0) * wflat, starts) / np.maximum(
        np.add.reduceat(wflat, starts), 1e-9
    )
    result: np.ndarray = np.power(np.minimum(cov_q, 1.0), 0.55) * np.power(
        np.minimum(cov_c, 1.0), 0.45
    )
    return result


try:
    if os.environ.get("SANCTIONS_LEDGER_PURE"):
        raise ImportError("pure build asked for")
    from sanctions_ledger.match import _kernels
except ImportError:
    _kernels = None  # type: ignore[assignment]

COMPILED = _kernels is not None
"""Whether the compiled loops are in use."""


def accumulate(
    post_flat: np.ndarray, post_off: np.ndarray, tids: np.ndarray, weights: np.ndarray,
    ranks: np.ndarray, n_ranks: int, n_names: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The names (sorted ids) that the vocabulary entries ``tids`` (int64) hold, and each
    name's weight: per key (``ranks``: each entry's key, 0..n_ranks-1), the weight of the
    key's best entry in the name, summed over the keys in rank order. ``post_flat``
    (int32) and ``post_off`` (int64): the posting lists of ``n_names`` names, as CSR."""
    if _kernels is None:
        return _accumulate_numpy(post_flat, post_off, tids, weights, ranks, n_ranks)
    return _kernels.accumulate(post_flat, post_off, tids, weights, ranks, n_ranks,
                               _slots(_shared, "best", n_names, -1.0),
                               _slots(_shared, "total", n_names, -1.0))


def best_entries(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, tids: np.ndarray,
    weights: np.ndarray, n_tokens: int,
) -> np.ndarray:
    """Per name ``nids`` of a CSR table (int32 ``flat``, int64 ``offsets``): the highest of
    ``weights`` (float64, one per entry ``tids``, distinct ids under ``n_tokens``) at the
    entries the name holds, 0 if none."""
    if _kernels is None:
        lut = np.zeros(n_tokens)
        lut[tids] = weights
        return _best_entries_numpy(flat, offsets, nids, lut)
    return _kernels.best_entries(flat, offsets, nids, tids, weights,
                                 _slots(_shared, "entry_weights", n_tokens, 0.0))


def top_names(nids: np.ndarray, scores: np.ndarray, share: float, limit: int) -> np.ndarray:
    """Of the names ``nids`` (sorted int64 ids, at least one) with their ``scores``
    (float64), the ids of the best ``limit`` whose score reaches ``share`` of the best one's,
    best first; of names of one score, the lowest ids first."""
    if _kernels is None:
        return _top_names_numpy(nids, scores, share, limit)
    return _kernels.top_names(nids, scores, share, limit)


def name_tokens(
    flat: np.ndarray, offsets: np.ndarray, nids: np.ndarray, n_tokens: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tokens (ids under ``n_tokens``) of the names ``nids`` of a CSR table (int32
    ``flat``, int64 ``offsets``), concatenated; the distinct ones among them (in no set
    order); each token's position among the distinct; and each name's first position (and
    the end)."""
    if _kernels is None:
        return _name_tokens_numpy(flat, offsets, nids, n_tokens)
    return _kernels.name_tokens(flat, offsets, nids, _slots(_shared, "token_slots", n_tokens, 0))


def coverage(
    sim: np.ndarray, qkeys: np.ndarray, keys: np.ndarray, key_values: np.ndarray,
    qnat: np.ndarray, nat_value: float, uniq: np.ndarray, inverse: np.ndarray, idx: np.ndarray,
    off: np.ndarray, wq: np.ndarray, wtok: np.ndarray, floor: float,
) -> np.ndarray:
    """Per name, the pre-score's estimate: ``sim`` (float32, query tokens x distinct
    tokens, which the compiled loop changes in place) raised to ``key_values`` (float32, one
    per key) where a key agrees (``qkeys``, ``keys``: int32 key codes per key of the query's
    tokens and of every token), and to ``nat_value`` where one of a query token's
    ``qnat`` codes (int32, query tokens x any number, -1 for none: the vowel keys of its EU
    national readings) is the token's first key (its vowel key); zeroed under ``floor``;
    then the query tokens' weighted share matched (weights ``wq``) and the name tokens'
    (weights ``wtok`` by token), combined as ``q ** 0.55 * c ** 0.45``."""
    if _kernels is None:
        return _coverage_numpy(sim, qkeys, keys, key_values, qnat, nat_value, uniq, inverse,
                               idx, off, wq, wtok, floor)
    return _kernels.coverage(sim, qkeys, keys, key_values, qnat, nat_value, uniq, inverse, idx,
                             off, wq, wtok, floor)
