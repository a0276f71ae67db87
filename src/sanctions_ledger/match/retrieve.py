"""Retrieval: the names that share keys with a query, weighted, without a full scan.

Every distinct name token is a vocabulary entry with a posting list (CSR arrays). A
query token reaches vocabulary entries by its exact form, its skeleton, its vowel key,
its abjad key (for abjad tokens), and one-deletion neighbourhoods of the token and the
skeleton (symspell); joined neighbours and split parts of query tokens are keys too.
Each key contributes, per name, its best entry's weight (similarity x IDF weight); the
contributions are summed. Keys reaching more postings than ``df_cap`` (after the rarest
own query token) only re-rank the names found, by probing those names' tokens. The
accumulation runs in numpy over all keys at once.
"""

from __future__ import annotations

import numpy as np

from sanctions_ledger.match.keys import abjad_key, acronyms, vowel_key
from sanctions_ledger.match.names import ACRONYM_SIM
from sanctions_ledger.match.normalise import NameForm, skeleton
from sanctions_ledger.match.prescore import TokenTable

__all__ = ["Retrieval", "gather"]

_SKEL_SIM = 0.9
_DEL_SIM = 0.7
_ABJ_SIM = 0.85
EXPAND_FACTOR = 4
"""The rarest own query token, when common, expands to at most this many times df_cap
postings."""
PROBE_NAMES = 4000
"""A common key re-ranks at most this many names found (the best so far)."""


def deletions(key: str) -> list[str]:
    if len(key) < 4:
        return []
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


def gather(flat: np.ndarray, offsets: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The concatenated rows ``ids`` of a CSR array, and each row's length."""
    starts = offsets[ids]
    lens = offsets[ids + 1] - starts
    pos = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    return flat[pos], lens


class Retrieval:
    """Mixin of :class:`MatchIndex`: the retrieval half (see module docs)."""

    vocab: dict[str, int]
    weights: list[float]
    df: list[int]
    post_flat: np.ndarray
    post_off: np.ndarray
    skel_map: dict[str, list[int]]
    vk_map: dict[str, list[int]]
    del_map: dict[str, list[int]]
    abj_map: dict[str, list[int]]
    acro_map: dict[str, list[int]]
    table: TokenTable
    df_cap: int

    def weigh(self, token: str) -> float:
        raise NotImplementedError

    def _token_hits(self, tok: str, abjad: bool = False) -> dict[int, float]:
        """Vocabulary entries a query token reaches, with a retrieval similarity each."""
        hits: dict[int, float] = {}
        tid = self.vocab.get(tok)
        if tid is not None:
            hits[tid] = 1.0
        if len(tok) < 2:
            return hits
        if abjad:
            for t in self.abj_map.get(abjad_key(tok), ()):
                if t not in hits:
                    hits[t] = _ABJ_SIM
        skel = skeleton(tok)
        for t in self.skel_map.get(skel, ()):
            if t not in hits:
                hits[t] = _SKEL_SIM
        for t in self.vk_map.get(vowel_key(tok), ()):
            if t not in hits:
                hits[t] = _SKEL_SIM
        raw_dels = deletions(tok)
        for key in (tok, *raw_dels):
            for t in self.del_map.get(key, ()):
                if t not in hits:
                    hits[t] = _DEL_SIM
        for d in raw_dels:
            t2 = self.vocab.get(d)
            if t2 is not None and t2 not in hits:
                hits[t2] = _DEL_SIM
        for d in deletions(skel):
            for t in self.skel_map.get(d, ()):
                if t not in hits:
                    hits[t] = _DEL_SIM * 0.9
        return hits

    def _plans(self, form: NameForm) -> tuple[list[tuple[int, int, list[tuple[int, float]]]], int]:
        """Per query key (token, joined neighbours, split parts): the vocabulary entries it
        reaches with their weights, and the number of postings they hold; and how many
        of the keys are the query's own tokens (they come first)."""
        abjad = dict(zip(form.tokens, form.vowelless, strict=True))
        query_toks = list(abjad)
        # Spacing differs between lists: "MINO CONGO" / "MINOCONGO" in both directions.
        query_toks += [a + b for a, b in zip(form.tokens, form.tokens[1:], strict=False)]
        query_toks += [
            a + b + c
            for a, b, c in zip(form.tokens, form.tokens[1:], form.tokens[2:], strict=False)
            if len(a + b + c) <= 12
        ]
        vocab = self.vocab
        for tok in form.tokens:
            if tok in vocab and len(tok) >= 6 and tok[:2] in ("al", "el"):
                # An article written joined: ALOTAIBI is also AL OTAIBI.
                query_toks.append(tok[2:])
            if len(tok) >= 6 and tok not in vocab:
                piece = ""
                for i in range(2, len(tok) - 1):
                    head, tail = tok[:i], tok[i:]
                    if head in vocab and tail in vocab:
                        query_toks += [head, tail]
                    elif form.is_org and len(tok) >= 7:
                        # A syllable abbreviation: one part is a whole word (COMECARNES).
                        for part in (head, tail):
                            if len(part) >= 4 and len(part) > len(piece) and part in vocab:
                                piece = part
                if piece:
                    query_toks.append(piece)
        plans: list[tuple[int, int, list[tuple[int, float]]]] = []
        for order, tok in enumerate(dict.fromkeys(query_toks)):
            qw = self.weigh(tok)
            hits = self._token_hits(tok, abjad.get(tok, False))
            if not hits:
                continue
            weights = self.weights
            entries = [(tid, sim * (qw if qw < weights[tid] else weights[tid]))
                       for tid, sim in hits.items()]
            df = self.df
            size = sum(df[tid] for tid in hits)
            plans.append((size, order, entries))
        return plans, len(abjad)

    def _retrieve(
        self, form: NameForm, special: set[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Names sharing keys with the query (sorted ids) and their retrieval weights."""
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
        for acro in acronyms(form.tokens, form.legal_forms) if form.is_org else ():
            tid = vocab.get(acro)
            if tid is not None and self.df[tid] <= self.df_cap:
                a, b = self.post_off[tid], self.post_off[tid + 1]
                extra_n.extend(self.post_flat[a:b].tolist())
                extra_w.extend([ACRONYM_SIM * self.weights[tid]] * int(b - a))
        if special is not None:
            special.update(extra_n)
        plans.sort()
        cap = self.df_cap
        tids: list[int] = []
        ws: list[float] = []
        ps: list[int] = []
        common: list[list[tuple[int, float]]] = []
        own_done = False
        for k, (size, order, entries) in enumerate(plans):
            if size > cap and (own_done or order >= own_count):
                common.append(entries)
                continue
            if size > cap:
                # The query's rarest own token is expanded even when common, so that a
                # name made only of common tokens (ALI HAMID ABDALLAH AHMAD) still finds
                # its candidates: its best entries, up to a bounded number of postings.
                entries = sorted(entries, key=lambda e: (-e[1], e[0]))
                budget = max(cap, min(self.df[entries[0][0]], cap * EXPAND_FACTOR))
                kept_entries = []
                for tid, w in entries:
                    if self.df[tid] <= budget:
                        kept_entries.append((tid, w))
                        budget -= self.df[tid]
                entries = kept_entries
            own_done = own_done or order < own_count
            for tid, w in entries:
                tids.append(tid)
                ws.append(w)
                ps.append(k)
        n_names = len(self.table.offsets)
        if tids:
            nids, lens = gather(self.post_flat, self.post_off, np.array(tids, dtype=np.int64))
            w_el = np.repeat(np.array(ws), lens)
            pkey = np.repeat(np.array(ps, dtype=np.int64), lens) * n_names + nids
            srt = np.lexsort((-w_el, pkey))
            pkey = pkey[srt]
            first = np.empty(len(pkey), dtype=bool)
            first[:1] = True
            np.not_equal(pkey[1:], pkey[:-1], out=first[1:])
            cand_n = nids[srt][first].astype(np.int64)
            cand_w = w_el[srt][first]
        else:
            cand_n = np.zeros(0, dtype=np.int64)
            cand_w = np.zeros(0)
        if extra_n:
            cand_n = np.concatenate([cand_n, np.array(extra_n, dtype=np.int64)])
            cand_w = np.concatenate([cand_w, np.array(extra_w)])
        if not len(cand_n):
            return cand_n, cand_w
        found, inv = np.unique(cand_n, return_inverse=True)
        score = np.bincount(inv, weights=cand_w)
        for entries in common:
            # A very common key: it only re-ranks the names already found (the best
            # PROBE_NAMES of them), by probing their tokens.
            if len(found) > PROBE_NAMES:
                probe = np.sort(np.argpartition(-score, PROBE_NAMES - 1)[:PROBE_NAMES])
            else:
                probe = np.arange(len(found))
            et = np.array([e[0] for e in entries], dtype=np.int64)
            ew = np.array([e[1] for e in entries])
            srt = np.argsort(et)
            et, ew = et[srt], ew[srt]
            ntids, nlens = gather(self.table.flat, self.table.offsets, found[probe])
            pos = np.minimum(np.searchsorted(et, ntids), len(et) - 1)
            wv = np.where(et[pos] == ntids, ew[pos], 0.0)
            score[probe] += np.maximum.reduceat(wv, np.cumsum(nlens) - nlens)
        return found, score
