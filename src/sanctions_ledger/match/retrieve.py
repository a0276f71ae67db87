"""Retrieval: the names that share keys with a query, weighted, without a full scan.

Every distinct name token is a vocabulary entry with a posting list (CSR arrays). A
query token reaches vocabulary entries by its exact form, its skeleton, its vowel key,
its abjad key (for abjad tokens), and one-deletion neighbourhoods of the token and the
skeleton (symspell); joined neighbours and split parts of query tokens are keys too.
Each key contributes, per name, its best entry's weight (similarity x IDF weight); the
contributions are summed. Keys reaching more postings than ``df_cap`` (after the rarest
own query token) only re-rank the names found, by probing those names' tokens. The
accumulation is one compiled loop over all keys (:mod:`kernels`).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import chain
from typing import NamedTuple

import numpy as np

from sanctions_ledger.match.abbreviations import ACRONYM_SIM, SYLLABLE_SIM, syllable_abbreviation
from sanctions_ledger.match.kernels import accumulate, best_entries, gather
from sanctions_ledger.match.keys import abbreviation_keys, acronyms, run_acronyms
from sanctions_ledger.match.normalise import NameForm
from sanctions_ledger.match.prescore import TokenTable
from sanctions_ledger.match.reach import Key, KeyMaps, expand_keys, query_keys
from sanctions_ledger.match.tokens import ABBREV_SIM, MIN_TOKEN_SIM, IndexWeights

__all__ = ["Retrieval", "VocabularyExpansion", "expand_vocabulary"]

EXPAND_FACTOR = 4
"""The rarest own query token, when common, expands to at most this many times df_cap
postings."""
PROBE_NAMES = 4000
"""A common key re-ranks at most this many names found (the best so far)."""
SYLLABLE_POSTINGS = 500
"""A syllable key shared by more names than this finds none (a bounded check per query)."""
SYLLABLE_NAMES = 5
"""At most this many names found as spelled by one syllable abbreviation."""
PREFIXED_MIN = 9
"""Vocabulary tokens this long are kept sorted, to be found by a query word they begin with."""
PREFIX_POSTINGS = 50
"""A long token in more names than this is not looked up by its beginning."""
PREFIX_NAMES = 3
"""At most this many person names found by a query word that begins one of their long
words."""
DERIVED_FIRST = 2
"""Of the names that joined or split spellings of query tokens reach, this many (the
best by retrieval weight) are always scored in full."""


MEMO_KEYS = 65_536
"""Expanded query keys kept per index; the memo is emptied when full."""

_Entries = tuple[np.ndarray, np.ndarray, int]
_Common = tuple[np.ndarray, np.ndarray]
"""A common key's entries and weights: it only re-ranks the names found."""
VOCAB_CHUNK = 4096
"""Vocabulary tokens expanded at a time when the index is built."""


class VocabularyExpansion(NamedTuple):
    """Every vocabulary token expanded as a plain query key, side by side: the entries
    (vocabulary ids, weights) token ``tid`` reaches at offsets[tid]:offsets[tid + 1], and
    the number of postings they hold, sizes[tid]."""

    offsets: list[int]
    tids: np.ndarray
    weights: np.ndarray
    sizes: list[int]


def expand_vocabulary(maps: KeyMaps, weights: list[float], df: list[int]) -> VocabularyExpansion:
    """Expand every vocabulary token (``maps[0]``) as a plain query key, once, at build
    time: a query token the index knows then costs a slice instead of its deletion
    neighbourhood. In chunks, so that the Python lists in between stay small."""
    vocab = list(maps[0])
    offsets = [0]
    sizes: list[int] = []
    tid_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for start in range(0, len(vocab), VOCAB_CHUNK):
        keys = [(tok, False, False) for tok in vocab[start:start + VOCAB_CHUNK]]
        expanded = expand_keys(keys, maps, weights, df, vocab)
        for tids, _, size in expanded:
            offsets.append(offsets[-1] + len(tids))
            sizes.append(size)
        tid_parts.append(np.fromiter(chain.from_iterable(t for t, _, _ in expanded), dtype=np.int32))
        weight_parts.append(np.fromiter(chain.from_iterable(w for _, w, _ in expanded),
                                        dtype=np.float64))
    return VocabularyExpansion(
        offsets,
        np.concatenate(tid_parts) if tid_parts else np.zeros(0, dtype=np.int32),
        np.concatenate(weight_parts) if weight_parts else np.zeros(0),
        sizes,
    )


class _Plans(NamedTuple):
    """Query keys with entries, in key order: each key's posting count and order number,
    and its entries (vocabulary ids, weights) side by side, key k at offsets[k]:offsets[k + 1]."""

    sizes: list[int]
    orders: list[int]
    offsets: list[int]
    tids: np.ndarray
    weights: np.ndarray
    spelled: list[int]
    """Vocabulary entries that joined or split spellings of query tokens spell exactly."""
    exact: list[int]
    """Per key, its own vocabulary entry (-1 if the vocabulary lacks the key)."""


class Retrieval:
    """The retrieval half of :class:`MatchIndex` (see module docs), over the index's
    arrays: it owns only its memo of expanded query keys (not saved with the index).

    ``maps``: the vocabulary and the spelling-key maps (:data:`reach.KeyMaps`);
    ``weights``, ``df``: per vocabulary entry, its IDF weight and its number of names;
    ``df_cap``: entries in more names than this only re-rank; ``post_flat``/``post_off``:
    the posting lists (CSR); ``expansion``: the vocabulary expanded at build time;
    ``acro_map``, ``syl_map``: acronyms and syllable keys of organisation names to names;
    ``long_tokens``: the sorted vocabulary tokens of PREFIXED_MIN letters or more;
    ``names``: (party index, kind, form) per name id; ``table``: the tokens of each name.
    """

    def __init__(
        self,
        *,
        maps: KeyMaps,
        weights: list[float],
        df: list[int],
        df_cap: int,
        post_flat: np.ndarray,
        post_off: np.ndarray,
        expansion: VocabularyExpansion,
        acro_map: dict[str, tuple[int, ...]],
        syl_map: dict[str, tuple[int, ...]],
        long_tokens: list[str],
        names: list[tuple[int, str, NameForm]],
        table: TokenTable,
    ) -> None:
        self.maps = maps
        self.vocab = maps[0]
        self.weights = weights
        self.df = df
        self.df_cap = df_cap
        self.post_flat = post_flat
        self.post_off = post_off
        self.expansion = expansion
        self.acro_map = acro_map
        self.syl_map = syl_map
        self.long_tokens = long_tokens
        self.names = names
        self.table = table
        self.weigh = IndexWeights(self.vocab, weights)
        self.memo: dict[Key, _Entries] = {}
        """Expanded query keys the vocabulary lacks (names share tokens)."""

    def forget(self) -> None:
        """Empty the memo of expanded query keys."""
        self.memo.clear()

    def retrieve(
        self, form: NameForm, special: set[int] | None = None, spelled: set[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Names sharing keys with the query (sorted ids) and their retrieval weights;
        into ``special`` the names acronyms reach (a query token that spells a name's
        initials, the whole query's initials as a token), into ``spelled`` the
        best few that joined or split spellings of query tokens, syllable abbreviations
        and acronyms of part of the query reach (all what the pre-score misses)."""
        plans, own_count = self._plans(form)
        extra_n: list[int] = []
        extra_w: list[float] = []
        whole, whole_tids = self._acronym_hits(form, extra_n, extra_w)
        if special is not None:
            special.update(extra_n)
        acro_tids: list[int] = []
        if form.is_org and len(form.tokens) >= 3:
            acro_tids = self._part_acronym_hits(form, whole, whole_tids, extra_n, extra_w)
        if form.is_org and len(form.tokens) <= 2 and self.syl_map:
            self._syllable_hits(form, extra_n, extra_w, spelled)
        if self.long_tokens and not form.is_org:
            self._prefix_hits(form, extra_n, extra_w, spelled)
        keep, ranks, common = self._select(plans, own_count)
        kept = keep.nonzero()[0]
        found, score = accumulate(self.post_flat, self.post_off, plans.tids.take(kept),
                                  plans.weights.take(kept), ranks.take(kept), len(plans.sizes),
                                  len(self.names))
        if extra_n:
            found, inv = np.unique(np.concatenate([found, np.array(extra_n, dtype=np.int64)]),
                                   return_inverse=True)
            score = np.bincount(inv, weights=np.concatenate([score, np.array(extra_w)]))
        elif not len(found):
            return found, score
        if spelled is not None and len(found):
            if plans.spelled:
                self._spelled(plans.spelled, found, score, spelled)
            if acro_tids:
                self._spelled(acro_tids, found, score, spelled)
        self._rerank(common, found, score)
        return found, score

    # -- the query's keys ------------------------------------------------------------------

    def _names_of(self, tid: int) -> list[int]:
        """The names holding vocabulary entry ``tid`` (its posting list)."""
        return self.post_flat[self.post_off[tid]:self.post_off[tid + 1]].tolist()

    def _plans(self, form: NameForm) -> tuple[_Plans, int]:
        """Per query key (token, joined neighbours, split parts): the vocabulary entries it
        reaches with their weights, and the number of postings they hold; and how many
        of the keys are the query's own tokens (they come first).

        A vocabulary token's expansion was computed at build time; other keys are
        expanded here and memoised (names share tokens)."""
        vocab = self.vocab
        keys = query_keys(form, vocab)
        tids_known = [None if abjad or joined else vocab.get(tok) for tok, abjad, joined in keys]
        memo = self._memoise([key for key, tid in zip(keys, tids_known, strict=True) if tid is None])
        own_off, own_tids, own_weights, own_sizes = self.expansion
        sizes: list[int] = []
        orders: list[int] = []
        exact: list[int] = []
        offsets = [0]
        tid_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for order, (key, tid) in enumerate(zip(keys, tids_known, strict=True)):
            if tid is not None:
                a, b = own_off[tid], own_off[tid + 1]
                if a == b:
                    continue
                sizes.append(own_sizes[tid])
                tid_parts.append(own_tids[a:b])
                weight_parts.append(own_weights[a:b])
            else:
                tids, weights, size = memo[key]
                if not len(tids):
                    continue
                sizes.append(size)
                tid_parts.append(tids)
                weight_parts.append(weights)
            orders.append(order)
            exact.append(-1 if tid is None else tid)
            offsets.append(offsets[-1] + len(tid_parts[-1]))
        toks = set(form.tokens)
        own_count = len(toks)
        if not tid_parts:
            empty = np.zeros(0, dtype=np.int64)
            return _Plans([], [], [0], empty, empty.astype(np.float64), [], []), own_count
        spelled = [
            tid for tok, _, _ in keys[own_count:]
            if (tid := vocab.get(tok)) is not None
            and "al" + tok not in toks and "el" + tok not in toks  # an article, not a split
        ]
        # int64 from here on: int32 index arrays would be cast at every use below
        return _Plans(sizes, orders, offsets, np.concatenate(tid_parts).astype(np.int64),
                      np.concatenate(weight_parts), spelled, exact), own_count

    def _memoise(self, keys: list[Key]) -> dict[Key, _Entries]:
        """The expansions of ``keys``, from the memo or expanded into it (the memo is emptied
        first when it would pass MEMO_KEYS).

        The answer is a dict of its own: a key found warm in the memo stays in the answer even
        when the memo is emptied for the cold ones (or by another thread) before the caller
        reads it, which once raised KeyError in bulk runs past MEMO_KEYS distinct keys."""
        memo = self.memo
        found: dict[Key, _Entries] = {}
        cold: list[Key] = []
        for key in keys:
            entry = memo.get(key)
            if entry is None:
                cold.append(key)
            else:
                found[key] = entry
        if not cold:
            return found
        cold = list(dict.fromkeys(cold))
        expanded = expand_keys(cold, self.maps, self.weights, self.df, self.table.tokens)
        if len(memo) + len(cold) > MEMO_KEYS:
            memo.clear()
        for key, (key_tids, key_weights, key_size) in zip(cold, expanded, strict=True):
            entry = (np.array(key_tids, dtype=np.int64), np.array(key_weights, dtype=np.float64), key_size)
            memo[key] = entry
            found[key] = entry
        return found

    # -- names found besides the postings --------------------------------------------------

    def _acronym_hits(
        self, form: NameForm, extra_n: list[int], extra_w: list[float]
    ) -> tuple[tuple[str, ...], list[int]]:
        """Into ``extra_n``/``extra_w``: the organisation names whose initials a query token
        spells, and those holding the whole query's initials as a word. Returns the
        query's acronyms and the vocabulary entries (not common) that hold them."""
        if form.is_org and len(form.tokens) <= 3:
            for tok in form.tokens:
                if 3 <= len(tok) <= 8 and tok.isalpha():
                    hits = self.acro_map.get(tok, ())
                    extra_n.extend(hits)
                    extra_w.extend([ACRONYM_SIM * self.weigh(tok)] * len(hits))
        whole = acronyms(form.tokens, form.legal_forms) if form.is_org else ()
        whole_tids = [tid for acro in whole
                      if (tid := self.vocab.get(acro)) is not None and self.df[tid] <= self.df_cap]
        for tid in whole_tids:
            hits_of = self._names_of(tid)
            extra_n.extend(hits_of)
            extra_w.extend([ACRONYM_SIM * self.weights[tid]] * len(hits_of))
        return whole, whole_tids

    def _part_acronym_hits(
        self, form: NameForm, whole: tuple[str, ...], whole_tids: list[int],
        extra_n: list[int], extra_w: list[float],
    ) -> list[int]:
        """Into ``extra_n``/``extra_w``: the names holding an acronym of part of the query
        (IRGC in ISLAMIC REVOLUTION GUARDS CORPS GROUND FORCE). Returns the vocabulary
        entries of these and of the whole query's acronyms: the best names they reach
        are scored after the others whatever their retrieval weight (BIO CORPORATION for
        BOSNIAN INVESTMENT ORGANIZATION weighs little next to the names sharing
        INVESTMENT)."""
        acro_tids = list(whole_tids)
        for acro in run_acronyms(form.tokens):
            tid = self.vocab.get(acro)
            if acro not in whole and tid is not None and self.df[tid] <= self.df_cap:
                acro_tids.append(tid)
                hits_of = self._names_of(tid)
                extra_n.extend(hits_of)
                extra_w.extend([ACRONYM_SIM * self.weights[tid]] * len(hits_of))
        return acro_tids

    def _syllable_hits(
        self, form: NameForm, extra_n: list[int], extra_w: list[float], spelled: set[int] | None
    ) -> None:
        """Into ``extra_n``/``extra_w`` and ``spelled``: the names a query word the index
        lacks spells as a syllable abbreviation (COPETE = COlombo PEruana de TEjidos). Such
        a word stands for a whole name (with a legal form, or one more word at most), and
        the pre-score does not see it: the names are scored after the others."""
        for tok in form.tokens:
            if 5 <= len(tok) <= 12 and tok not in self.vocab and tok.isalpha():
                syllabic = self._syllabic(tok)
                extra_n.extend(syllabic)
                extra_w.extend([SYLLABLE_SIM * self.weigh(tok)] * len(syllabic))
                if spelled is not None:
                    spelled.update(syllabic)

    def _syllabic(self, tok: str) -> list[int]:
        """Organisation names whose words' leading letters, in order, spell ``tok`` as a
        syllable abbreviation (:func:`names.syllable_abbreviation`): found by the first
        two letters of two consecutive words (:func:`keys.syllable_keys`), at most
        SYLLABLE_POSTINGS names per key, each checked."""
        found: dict[int, None] = {}
        for key in abbreviation_keys(tok):
            nids = self.syl_map.get(key, ())
            if len(nids) <= SYLLABLE_POSTINGS:
                found.update(dict.fromkeys(nids))
        names = self.names
        return [nid for nid in found if syllable_abbreviation(tok, names[nid][2].tokens)][
            :SYLLABLE_NAMES]

    def _prefix_hits(
        self, form: NameForm, extra_n: list[int], extra_w: list[float], spelled: set[int] | None
    ) -> None:
        """Into ``extra_n``/``extra_w`` and ``spelled``: a person's long word written short
        (NAZARI for NAZARIKOLEHJOUB, a compound surname), by a query word the index does not
        hold (one it holds finds its own names, and would find every patronymic it
        begins). The pre-score sees no likeness, so the names are scored after the others.
        Not for organisations: a word of one language is the beginning of a longer word of
        another (SVETL, bright, in SVETLOVSKOYE)."""
        for tok in form.tokens:
            if len(tok) >= 5 and tok not in self.vocab and tok.isalpha():
                qw = self.weigh(tok)
                for nid, tid in self._prefixed(tok):
                    extra_n.append(nid)
                    extra_w.append(ABBREV_SIM * min(qw, self.weights[tid]))
                    if spelled is not None:
                        spelled.add(nid)

    def _prefixed(self, tok: str) -> list[tuple[int, int]]:
        """(name, vocabulary id) of the names holding a long word that ``tok`` is the
        beginning of, written short (NAZARI for NAZARIKOLEHJOUB): a prefix whose edit
        similarity is under MIN_TOKEN_SIM, as the token comparison takes it (an
        abbreviation, not a close spelling: PETR is not PETROV)."""
        longs, names = self.long_tokens, self.names
        out: list[tuple[int, int]] = []
        n = len(tok)
        i = bisect_left(longs, tok)
        while i < len(longs) and longs[i].startswith(tok) and len(out) < PREFIX_NAMES:
            word = longs[i]
            i += 1
            if 2 * n / (n + len(word)) >= MIN_TOKEN_SIM:
                continue
            tid = self.vocab[word]
            if self.df[tid] <= PREFIX_POSTINGS:
                out.extend((nid, tid) for nid in self._names_of(tid) if not names[nid][2].is_org)
        return out[:PREFIX_NAMES]

    # -- walking the postings --------------------------------------------------------------

    def _select(self, plans: _Plans, own_count: int) -> tuple[np.ndarray, np.ndarray, list[_Common]]:
        """Which of the keys' entries find names (a mask over ``plans.tids``) and their
        rank (the key's place, rarest key first); and the common keys, which only re-rank
        the names found. A key is common when it reaches more than ``df_cap`` postings,
        except the rarest of the query's own tokens, which is expanded in part."""
        sizes, orders, offs, exact = plans.sizes, plans.orders, plans.offsets, plans.exact
        keep = np.zeros(len(plans.tids), dtype=bool)
        ranks = np.zeros(len(plans.tids), dtype=np.int64)
        common: list[_Common] = []
        own_done = False
        by_size = sorted(range(len(sizes)), key=lambda i: (sizes[i], orders[i]))
        for k, i in enumerate(by_size):
            size, order, a, b = sizes[i], orders[i], offs[i], offs[i + 1]
            if size > self.df_cap and (own_done or order >= own_count):
                own = exact[i] if order < own_count else -1
                common.append(self._common_key(plans, a, b, own, k, keep, ranks))
                continue
            if size > self.df_cap:
                self._expand_rarest(plans, a, b, keep)
            else:
                keep[a:b] = True
            ranks[a:b] = k
            own_done = own_done or order < own_count
        return keep, ranks, common

    def _common_key(
        self, plans: _Plans, a: int, b: int, own: int, rank: int, keep: np.ndarray,
        ranks: np.ndarray,
    ) -> _Common:
        """The entries and weights with which a common key (entries a:b) re-ranks the
        names found. A query word the index holds in few names (``own``, its vocabulary
        entry; -1 for none) finds them, however common its spelling variants (ABDOLLAHI:
        ABDALLAH): its own entry is expanded (into ``keep``, ``ranks``), the others only
        re-rank."""
        seg_w = plans.weights[a:b]
        if 0 <= own and self.df[own] <= self.df_cap:
            pos = int(np.flatnonzero(plans.tids[a:b] == own)[0])
            keep[a + pos] = True
            ranks[a:b] = rank
            seg_w = seg_w.copy()
            seg_w[pos] = 0.0
        return plans.tids[a:b], seg_w

    def _expand_rarest(self, plans: _Plans, a: int, b: int, keep: np.ndarray) -> None:
        """Into ``keep``: the best entries of the query's rarest own token (entries a:b),
        common as it is, up to a bounded number of postings, so that a name made only of
        common tokens (ALI HAMID ABDALLAH AHMAD) still finds its candidates."""
        df, cap = self.df, self.df_cap
        seg = plans.tids[a:b]
        best_first = np.lexsort((seg, -plans.weights[a:b])).tolist()
        seg_tids = seg.tolist()
        budget = max(cap, min(df[seg_tids[best_first[0]]], cap * EXPAND_FACTOR))
        for pos in best_first:
            n = df[seg_tids[pos]]
            if n <= budget:
                keep[a + pos] = True
                budget -= n

    def _spelled(
        self, tids: list[int], found: np.ndarray, score: np.ndarray, out: set[int]
    ) -> None:
        """Into ``out``: of the names found that hold one of the vocabulary entries
        ``tids`` (spelled by joined or split query tokens), the best DERIVED_FIRST by
        retrieval weight. The pre-score compares token with token and misses them
        (KYRGYZTRANSAVIA / KYRGYZ TRANS AVIA)."""
        rare = [tid for tid in tids if self.df[tid] <= self.df_cap]
        if not rare:
            return
        nids, _ = gather(self.post_flat, self.post_off, np.array(rare, dtype=np.int64))
        pos = np.minimum(np.searchsorted(found, nids), len(found) - 1)
        pos = np.unique(pos[found.take(pos) == nids])  # found is sorted
        if len(pos):
            best = pos.take(np.lexsort((found.take(pos), -score.take(pos)))[:DERIVED_FIRST])
            out.update(found.take(best).tolist())

    def _rerank(self, common: list[_Common], found: np.ndarray, score: np.ndarray) -> None:
        """Add to ``score`` (in place) what each very common key weighs on the names
        already found (the best PROBE_NAMES of them), by probing their tokens."""
        flat, offsets, n_vocab = self.table.flat, self.table.offsets, len(self.vocab)
        for et, ew in common:
            if len(found) > PROBE_NAMES:
                probe = np.sort((-score).argpartition(PROBE_NAMES - 1)[:PROBE_NAMES])
                score[probe] += best_entries(flat, offsets, found[probe], et, ew, n_vocab)
            else:
                score += best_entries(flat, offsets, found, et, ew, n_vocab)
