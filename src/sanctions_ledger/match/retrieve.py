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

from sanctions_ledger.match.kernels import accumulate, best_entries, gather
from sanctions_ledger.match.keys import abbreviation_keys, acronyms, run_acronyms
from sanctions_ledger.match.names import ACRONYM_SIM, SYLLABLE_SIM, syllable_abbreviation
from sanctions_ledger.match.normalise import NameForm
from sanctions_ledger.match.prescore import TokenTable
from sanctions_ledger.match.reach import Key, KeyMaps, expand_keys, query_keys
from sanctions_ledger.match.tokens import ABBREV_SIM, MIN_TOKEN_SIM

__all__ = ["Retrieval"]

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


MEMO_ATTR = "_key_memo"
"""Where an index keeps its memo of expanded query keys (not saved with the index)."""
MEMO_KEYS = 65_536
"""Expanded query keys kept per index; the memo is emptied when full."""

_Entries = tuple[np.ndarray, np.ndarray, int]
VOCAB_CHUNK = 4096
"""Vocabulary tokens expanded at a time when the index is built."""


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
    """Mixin of :class:`MatchIndex`: the retrieval half (see module docs)."""

    vocab: dict[str, int]
    weights: list[float]
    own_off: list[int]
    own_tids: np.ndarray
    own_weights: np.ndarray
    own_sizes: list[int]
    df: list[int]
    post_flat: np.ndarray
    post_off: np.ndarray
    skel_map: dict[str, tuple[int, ...]]
    vk_map: dict[str, tuple[int, ...]]
    del_map: dict[str, tuple[int, ...]]
    abj_map: dict[str, tuple[int, ...]]
    voice_map: dict[str, tuple[int, ...]]
    acro_map: dict[str, tuple[int, ...]]
    syl_map: dict[str, tuple[int, ...]]
    long_tokens: list[str]
    names: list[tuple[int, str, NameForm]]
    table: TokenTable
    df_cap: int

    def weigh(self, token: str) -> float:
        raise NotImplementedError

    def _key_maps(self) -> KeyMaps:
        return (self.vocab, self.skel_map, self.del_map, self.vk_map, self.abj_map,
                self.voice_map)

    def _names_of(self, tid: int) -> list[int]:
        """The names holding vocabulary entry ``tid`` (its posting list)."""
        return self.post_flat[self.post_off[tid]:self.post_off[tid + 1]].tolist()

    def _expand_vocabulary(self) -> None:
        """Expand every vocabulary token as a plain query key, once, at build time: a query
        token the index knows then costs a slice instead of its deletion neighbourhood.
        In chunks, so that the Python lists in between stay small."""
        maps = self._key_maps()
        vocab = list(self.vocab)
        self.own_off = [0]
        self.own_sizes = []
        tid_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for start in range(0, len(vocab), VOCAB_CHUNK):
            keys = [(tok, False, False) for tok in vocab[start:start + VOCAB_CHUNK]]
            expanded = expand_keys(keys, maps, self.weights, self.df)
            for tids, _, size in expanded:
                self.own_off.append(self.own_off[-1] + len(tids))
                self.own_sizes.append(size)
            tid_parts.append(np.fromiter(chain.from_iterable(t for t, _, _ in expanded), dtype=np.int32))
            weight_parts.append(np.fromiter(chain.from_iterable(w for _, w, _ in expanded),
                                            dtype=np.float64))
        self.own_tids = np.concatenate(tid_parts) if tid_parts else np.zeros(0, dtype=np.int32)
        self.own_weights = np.concatenate(weight_parts) if weight_parts else np.zeros(0)

    def _plans(self, form: NameForm) -> tuple[_Plans, int]:
        """Per query key (token, joined neighbours, split parts): the vocabulary entries it
        reaches with their weights, and the number of postings they hold; and how many
        of the keys are the query's own tokens (they come first).

        A vocabulary token's expansion was computed at build time; other keys are
        expanded here and memoised per index (names share tokens)."""
        vocab = self.vocab
        memo: dict[Key, _Entries] = self.__dict__.setdefault(MEMO_ATTR, {})
        keys = query_keys(form, vocab)
        tids_known = [None if abjad or joined else vocab.get(tok) for tok, abjad, joined in keys]
        cold = [key for key, tid in zip(keys, tids_known, strict=True)
                if tid is None and key not in memo]
        if cold:
            expanded = expand_keys(cold, self._key_maps(), self.weights, self.df)
            if len(memo) + len(cold) > MEMO_KEYS:
                memo.clear()
            for key, (key_tids, key_weights, key_size) in zip(cold, expanded, strict=True):
                memo[key] = (np.array(key_tids, dtype=np.int64),
                             np.array(key_weights, dtype=np.float64), key_size)
        own_off, own_tids, own_weights, own_sizes = (
            self.own_off, self.own_tids, self.own_weights, self.own_sizes)
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

    def _retrieve(
        self, form: NameForm, special: set[int] | None = None, spelled: set[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Names sharing keys with the query (sorted ids) and their retrieval weights;
        into ``special`` the names acronyms reach (a query token that spells a name's
        initials, the whole query's initials as a token), into ``spelled`` the
        best few that joined or split spellings of query tokens, syllable abbreviations
        and acronyms of part of the query reach (all what the pre-score misses)."""
        plans, own_count = self._plans(form)
        vocab = self.vocab
        extra_n: list[int] = []
        extra_w: list[float] = []
        # Acronyms: a query token that spells an organisation's initials, or a query
        # whose initials are an indexed token.
        if form.is_org and len(form.tokens) <= 3:
            for tok in form.tokens:
                if 3 <= len(tok) <= 8 and tok.isalpha():
                    hits = self.acro_map.get(tok, ())
                    extra_n.extend(hits)
                    extra_w.extend([ACRONYM_SIM * self.weigh(tok)] * len(hits))
        whole = acronyms(form.tokens, form.legal_forms) if form.is_org else ()
        whole_tids = [tid for acro in whole
                      if (tid := vocab.get(acro)) is not None and self.df[tid] <= self.df_cap]
        for tid in whole_tids:
            hits_of = self._names_of(tid)
            extra_n.extend(hits_of)
            extra_w.extend([ACRONYM_SIM * self.weights[tid]] * len(hits_of))
        if special is not None:
            special.update(extra_n)
        # Acronyms of part of the query (IRGC in ISLAMIC REVOLUTION GUARDS CORPS GROUND
        # FORCE), and of all of it again: the best names they reach are scored after the
        # others whatever their retrieval weight (BIO CORPORATION for BOSNIAN INVESTMENT
        # ORGANIZATION weighs little next to the names sharing INVESTMENT).
        acro_tids: list[int] = []
        if form.is_org and len(form.tokens) >= 3:
            acro_tids = list(whole_tids)
            for acro in run_acronyms(form.tokens):
                tid = vocab.get(acro)
                if acro not in whole and tid is not None and self.df[tid] <= self.df_cap:
                    acro_tids.append(tid)
                    hits_of = self._names_of(tid)
                    extra_n.extend(hits_of)
                    extra_w.extend([ACRONYM_SIM * self.weights[tid]] * len(hits_of))
        if form.is_org and len(form.tokens) <= 2 and self.syl_map:
            # Syllable abbreviations (COPETE = COlombo PEruana de TEjidos), which stand
            # for a whole name (with a legal form, or one more word at most): checked
            # here, scored after the others (the pre-score does not see them).
            for tok in form.tokens:
                if 5 <= len(tok) <= 12 and tok not in vocab and tok.isalpha():
                    syllabic = self._syllabic(tok)
                    extra_n.extend(syllabic)
                    extra_w.extend([SYLLABLE_SIM * self.weigh(tok)] * len(syllabic))
                    if spelled is not None:
                        spelled.update(syllabic)
        if self.long_tokens and not form.is_org:
            # A person's long word written short (NAZARI for NAZARIKOLEHJOUB, a compound
            # surname), by a word the index does not hold (one it holds finds its own
            # names, and would find every patronymic it begins). The pre-score sees no
            # likeness, so the names are scored after the others, like the above. Not
            # organisations: a word of one language is the beginning of a longer word of
            # another (SVETL, bright, in SVETLOVSKOYE).
            for tok in form.tokens:
                if len(tok) >= 5 and tok not in vocab and tok.isalpha():
                    qw = self.weigh(tok)
                    for nid, tid in self._prefixed(tok):
                        extra_n.append(nid)
                        extra_w.append(ABBREV_SIM * min(qw, self.weights[tid]))
                        if spelled is not None:
                            spelled.add(nid)
        sizes, orders, offs, all_tids, all_w, _, exact = plans
        cap = self.df_cap
        df = self.df
        keep = np.zeros(len(all_tids), dtype=bool)
        ranks = np.zeros(len(all_tids), dtype=np.int64)
        common: list[tuple[np.ndarray, np.ndarray]] = []
        own_done = False
        by_size = sorted(range(len(sizes)), key=lambda i: (sizes[i], orders[i]))
        for k, i in enumerate(by_size):
            size, order, a, b = sizes[i], orders[i], offs[i], offs[i + 1]
            if size > cap and (own_done or order >= own_count):
                seg_w = all_w[a:b]
                tid = exact[i]
                if order < own_count and 0 <= tid and df[tid] <= cap:
                    # A query word the index holds in few names finds them, however
                    # common its spelling variants (ABDOLLAHI: ABDALLAH): its own entry
                    # is expanded, the others only re-rank.
                    pos = int(np.flatnonzero(all_tids[a:b] == tid)[0])
                    keep[a + pos] = True
                    ranks[a:b] = k
                    seg_w = seg_w.copy()
                    seg_w[pos] = 0.0
                common.append((all_tids[a:b], seg_w))
                continue
            if size > cap:
                # The query's rarest own token is expanded even when common, so that a
                # name made only of common tokens (ALI HAMID ABDALLAH AHMAD) still finds
                # its candidates: its best entries, up to a bounded number of postings.
                seg = all_tids[a:b]
                best_first = np.lexsort((seg, -all_w[a:b])).tolist()
                seg_tids = seg.tolist()
                budget = max(cap, min(df[seg_tids[best_first[0]]], cap * EXPAND_FACTOR))
                for pos in best_first:
                    n = df[seg_tids[pos]]
                    if n <= budget:
                        keep[a + pos] = True
                        budget -= n
            else:
                keep[a:b] = True
            ranks[a:b] = k
            own_done = own_done or order < own_count
        kept = keep.nonzero()[0]
        found, score = accumulate(self.post_flat, self.post_off, all_tids.take(kept),
                                  all_w.take(kept), ranks.take(kept), len(sizes), len(self.names))
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
        for et, ew in common:
            # A very common key: it only re-ranks the names already found (the best
            # PROBE_NAMES of them), by probing their tokens.
            if len(found) > PROBE_NAMES:
                probe = np.sort((-score).argpartition(PROBE_NAMES - 1)[:PROBE_NAMES])
                score[probe] += best_entries(self.table.flat, self.table.offsets, found[probe],
                                             et, ew, len(self.vocab))
            else:
                score += best_entries(self.table.flat, self.table.offsets, found, et, ew,
                                      len(self.vocab))
        return found, score
