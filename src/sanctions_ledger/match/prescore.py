"""A vectorised first pass over the retrieved names: which deserve full scoring.

Full scoring (:func:`names.compare_names` plus the features) costs tens of microseconds
per name. This pass estimates the name score of every retrieved name at once: one
rapidfuzz ``cdist`` of the query tokens against the distinct tokens of all retrieved
names, raised where the vowel key, the voicing-free key or the skeleton agree
(transliteration variants) or the abjad key is close (names written without short
vowels); then, per name, the weighted share of the query matched and of the name matched,
combined like the name score (the loops are in :mod:`kernels`). The keys of every indexed
token are computed once, at build time (:class:`TokenTable`). Only the best few names go
on to full scoring. Joins, acronyms and symbols are not seen here; the index always fully
scores acronym hits and the names retrieval weighs highest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from sanctions_ledger.match.kernels import coverage, name_tokens
from sanctions_ledger.match.keys import abjad_key, voiceless_key, vowel_key
from sanctions_ledger.match.national import national_keys
from sanctions_ledger.match.normalise import NameForm, skeleton

__all__ = ["TokenTable", "prescore"]

_FLOOR = 0.6
"""Token similarities under this count as no match in the estimate."""
_KEYS: tuple[tuple[Callable[[str], str], float], ...] = ((vowel_key, 0.92), (voiceless_key, 0.8), (skeleton, 0.85))
"""Key function and the similarity its agreement implies."""
_KEY_VALUES = np.array([value for _, value in _KEYS], dtype=np.float32)
_INITIAL = 0.85
"""An initial against a word it starts (names.INITIAL_SIM)."""
_NATIONAL = 0.92
"""A query token whose EU national reading has an indexed token's vowel key
(:mod:`national`): as the vowel key's agreement, so that a name the full scoring compares as
read back is among those it scores (the estimate saw no letters in common)."""
class TokenTable:
    """Per indexed token: its keys as integer codes and its weight; per name: its tokens."""

    def __init__(
        self, vocab: Sequence[str], weights: Sequence[float], names: Sequence[Sequence[int]]
    ) -> None:
        self.tokens = list(vocab)
        self.token_arr = np.array(self.tokens, dtype=object)
        self.codes: list[dict[str, int]] = []
        rows = []
        for fn, _ in _KEYS:
            table: dict[str, int] = {}
            rows.append([table.setdefault(fn(t), len(table)) for t in self.tokens])
            self.codes.append(table)
        self.keys = np.array(rows, dtype=np.int32).reshape(len(_KEYS), len(self.tokens))
        """Per key function (rows) and token (columns): the token's key as an integer code."""
        self.weights = np.asarray(weights, dtype=np.float32)
        self.flat = np.fromiter((t for n in names for t in n), dtype=np.int32)
        self.offsets = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum([len(n) for n in names], out=self.offsets[1:])

    def __reduce__(self) -> tuple[Any, ...]:
        # By value, so that the table pickles the same compiled (mypyc: no instance
        # __dict__) or not.
        return (_restored, (self.tokens, self.token_arr, self.codes, self.keys, self.weights,
                            self.flat, self.offsets))


def _restored(tokens: list[str], token_arr: np.ndarray, codes: list[dict[str, int]],
              keys: np.ndarray, weights: np.ndarray, flat: np.ndarray,
              offsets: np.ndarray) -> TokenTable:
    table = TokenTable([], [], [])
    table.tokens, table.token_arr, table.codes, table.keys = tokens, token_arr, codes, keys
    table.weights, table.flat, table.offsets = weights, flat, offsets
    return table


def prescore(
    table: TokenTable, query: NameForm, nids: np.ndarray, weigh: Callable[[str], float],
    vocab: Mapping[str, int],
) -> np.ndarray:
    """Estimated name score (0..1) of each indexed name ``nids`` against ``query``;
    ``vocab``: the table's tokens by id."""
    qtoks = query.tokens
    if not qtoks or not len(nids):
        return np.zeros(len(nids))
    idx, uniq, inverse, off = name_tokens(table.flat, table.offsets, nids, len(table.tokens))
    utoks = table.token_arr.take(uniq).tolist()
    sim = cdist(qtoks, utoks, scorer=Indel.normalized_similarity, dtype=np.float32)
    if any(query.vowelless):
        ak = cdist(
            [abjad_key(t) for t in qtoks], [abjad_key(t) for t in utoks],
            scorer=Indel.normalized_similarity, dtype=np.float32,
        )
        sim = np.maximum(sim, ak * np.float32(0.97))
    # An initial stands for a word that starts with it (the full scoring's INITIAL_SIM).
    initials = [j for j, t in enumerate(utoks) if len(t) == 1]
    for i, tok in enumerate(qtoks):
        if len(tok) == 1:
            for j, other in enumerate(utoks):
                if other[0] == tok and sim[i, j] < _INITIAL:
                    sim[i, j] = _INITIAL
        else:
            for j in initials:
                if utoks[j] == tok[0] and sim[i, j] < _INITIAL:
                    sim[i, j] = _INITIAL
    # Where a key agrees, the similarity is at least the value of the best agreeing key
    # (in coverage).
    known = [vocab.get(t, -1) for t in qtoks]
    if min(known) >= 0:  # every query token is indexed: its key codes are in the table
        qk = np.ascontiguousarray(table.keys[:, known])
    else:
        qk = np.array(
            [[codes.get(fn(t), -1) for t in qtoks]
             for (fn, _), codes in zip(_KEYS, table.codes, strict=True)],
            dtype=np.int32,
        )
    wq = np.array([weigh(t) for t in qtoks], dtype=np.float32)
    return coverage(sim, qk, table.keys, _KEY_VALUES, _national_codes(qtoks, table.codes[0]),
                    _NATIONAL, uniq, inverse, idx, off, wq, table.weights, _FLOOR)


def _national_codes(qtoks: tuple[str, ...], codes: dict[str, int]) -> np.ndarray:
    """Per query token, the vowel-key codes of its EU national readings (``national_keys``)
    that some indexed token has, -1 for none: Swedish TJIZJOV read as CHIZHOV agrees with
    CHIZHOV's key, which it shares few letters with."""
    found = [[codes.get(key, -1) for _, key in national_keys(tok)] for tok in qtoks]
    width = max(1, max(len(row) for row in found))
    return np.array([row + [-1] * (width - len(row)) for row in found], dtype=np.int32)
