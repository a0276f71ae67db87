"""A vectorised first pass over the retrieved names: which deserve full scoring.

Full scoring (:func:`names.compare_names` plus the features) costs tens of microseconds
per name in Python. This pass estimates the name score of every retrieved name at once
with numpy: one rapidfuzz ``cdist`` of the query tokens against the distinct tokens of
all retrieved names, raised where the vowel key, the voicing-free key or the skeleton
agree (transliteration variants) or the abjad key is close (names written without short
vowels); then, per name, the weighted share of the query matched and of the name
matched, combined like the name score. The keys of every indexed token are computed
once, at build time (:class:`TokenTable`). Only the best few names go on to full
scoring. Joins, acronyms and symbols are not seen here; the index always fully scores
acronym hits and the names retrieval weighs highest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from sanctions_ledger.match.keys import abjad_key, voiceless_key, vowel_key
from sanctions_ledger.match.normalise import NameForm, skeleton

__all__ = ["TokenTable", "prescore"]

_FLOOR = 0.6
"""Token similarities under this count as no match in the estimate."""
_KEYS = ((vowel_key, 0.92), (voiceless_key, 0.8), (skeleton, 0.85))
"""Key function and the similarity its agreement implies."""


class TokenTable:
    """Per indexed token: its keys as integer codes and its weight; per name: its tokens."""

    def __init__(
        self, vocab: Sequence[str], weights: Sequence[float], names: Sequence[Sequence[int]]
    ) -> None:
        self.tokens = list(vocab)
        self.token_arr = np.array(self.tokens, dtype=object)
        self.codes: list[dict[str, int]] = []
        self.keys: list[np.ndarray] = []
        for fn, _ in _KEYS:
            table: dict[str, int] = {}
            self.keys.append(
                np.array([table.setdefault(fn(t), len(table)) for t in self.tokens], dtype=np.int32)
            )
            self.codes.append(table)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.flat = np.fromiter((t for n in names for t in n), dtype=np.int32)
        self.offsets = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum([len(n) for n in names], out=self.offsets[1:])


def prescore(
    table: TokenTable, query: NameForm, nids: np.ndarray, weigh: Callable[[str], float]
) -> np.ndarray:
    """Estimated name score (0..1) of each indexed name ``nids`` against ``query``."""
    qtoks = query.tokens
    if not qtoks or not len(nids):
        return np.zeros(len(nids))
    offsets = table.offsets
    starts = offsets[nids]
    lens = offsets[nids + 1] - starts
    idx = table.flat[np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())]
    uniq, inverse = np.unique(idx, return_inverse=True)
    utoks = table.token_arr[uniq].tolist()
    sim = cdist(qtoks, utoks, scorer=Indel.normalized_similarity, dtype=np.float32)
    for (fn, value), codes, keys in zip(_KEYS, table.codes, table.keys, strict=True):
        qk = np.array([codes.get(fn(t), -1) for t in qtoks], dtype=np.int32)
        same = qk[:, None] == keys[uniq][None, :]
        if same.any():
            sim = np.where(same, np.maximum(sim, np.float32(value)), sim)
    if any(query.vowelless):
        ak = cdist(
            [abjad_key(t) for t in qtoks], [abjad_key(t) for t in utoks],
            scorer=Indel.normalized_similarity, dtype=np.float32,
        )
        sim = np.maximum(sim, ak * np.float32(0.97))
    sim[sim < _FLOOR] = 0.0
    wq = np.array([weigh(t) for t in qtoks], dtype=np.float32)
    cols = sim[:, inverse]  # query tokens x all names' tokens, names side by side
    off = np.cumsum(lens) - lens
    best_q = np.maximum.reduceat(cols, off, axis=1)  # per query token and name
    cov_q = (wq @ best_q) / max(float(wq.sum()), 1e-9)
    wflat = table.weights[idx]
    cov_c = np.add.reduceat(cols.max(axis=0) * wflat, off) / np.maximum(
        np.add.reduceat(wflat, off), 1e-9
    )
    result: np.ndarray = np.power(np.minimum(cov_q, 1.0), 0.55) * np.power(
        np.minimum(cov_c, 1.0), 0.45
    )
    return result
