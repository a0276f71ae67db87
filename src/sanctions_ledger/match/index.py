"""The screening index: inverted postings over token keys, then feature scoring.

Retrieval never scans all names. Every distinct name token is a vocabulary entry with a
posting list of the names that contain it (adjacent token pairs are also indexed joined,
so "AL BUSTAN" is found by "ALBUSTAN"). A query token reaches vocabulary entries through
three keys: the token itself, its consonant skeleton (transliteration variants), and the
skeleton's one-deletion neighbourhood (symspell-style, for dropped or doubled letters and
typos). Postings are accumulated with IDF weights; very common tokens are skipped when
rarer ones exist. The best few names are then scored with :mod:`score`.
"""

from __future__ import annotations

import heapq
import math
import pickle
from array import array
from collections.abc import Collection, Iterable
from operator import itemgetter
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import MatchError
from sanctions_ledger.match.keys import abjad_key, acronyms, vowel_key
from sanctions_ledger.match.names import ACRONYM_SIM, length_weight
from sanctions_ledger.match.normalise import NameForm, analyse, skeleton
from sanctions_ledger.match.prescore import TokenTable, prescore
from sanctions_ledger.match.query import validate_query
from sanctions_ledger.match.score import (
    Party,
    Probe,
    clean_identifier,
    is_org_schema,
    score_name,
)
from sanctions_ledger.match.types import NAME_KINDS, PARTY_SCHEMATA, Hit, Query

__all__ = ["MatchIndex"]

FORMAT_VERSION = 2
RETRIEVED_NAMES = 150
"""Names kept per query by retrieval weight."""
CANDIDATE_NAMES = 8
"""Of those, names fully scored, best by an estimate of the name score."""
RETRIEVAL_FIRST = 2
"""The names retrieval weighs highest are always scored."""
NAMES_PER_PARTY = 3
"""At most this many names of one party are scored (its best-estimated aliases)."""
MIN_RELATIVE_RECALL = 0.3
"""A retrieved name is scored only if its weight reaches this share of the best one."""
_SKEL_SIM = 0.9
_DEL_SIM = 0.7
PROBE_NAMES = 4000
"""Up to this many names found, a common key re-ranks them by probing their tokens."""
_ABJ_SIM = 0.85
_COUNTRY_PROPS = ("nationality", "citizenship", "country", "birthCountry", "jurisdiction", "flag")
_ID_PROPS = (
    "passportNumber", "idNumber", "registrationNumber", "taxNumber", "imoNumber",
    "innCode", "ogrnCode", "swiftBic", "leiCode", "vatCode", "mmsi",
)


def _deletions(key: str) -> list[str]:
    if len(key) < 4:
        return []
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


def _index_tokens(form: NameForm) -> set[str]:
    return set(form.tokens)


class MatchIndex:
    """An in-memory screening index over listed parties (see module docs)."""

    def __init__(self) -> None:
        self.parties: list[Party] = []
        self.names: list[tuple[int, str, NameForm]] = []
        self.vocab: dict[str, int] = {}
        self.postings: list[array] = []
        self.weights: list[float] = []
        self.skel_map: dict[str, list[int]] = {}
        self.del_map: dict[str, list[int]] = {}
        self.id_map: dict[str, list[int]] = {}
        self.abj_map: dict[str, list[int]] = {}
        self.vk_map: dict[str, list[int]] = {}
        self.acro_map: dict[str, list[int]] = {}
        self.party_names: list[list[int]] = []
        self.table = TokenTable([], [], [])
        self.name_flat = array("i")
        self.name_off = array("q", [0])
        self.tok_weight: dict[str, float] = {}
        self.df_cap = 0

    def __len__(self) -> int:
        return len(self.parties)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, entities: Iterable[tuple[str, EntityProxy]]) -> MatchIndex:
        """Index ``(dataset, entity)`` pairs; entities that are not parties are skipped."""
        self = cls()
        vocab = self.vocab
        postings: list[list[int]] = []
        for dataset, entity in entities:
            schema = entity.schema.name
            if schema not in PARTY_SCHEMATA or not entity.id:
                continue
            pidx = len(self.parties)
            props = entity.properties
            ids = set()
            for prop in _ID_PROPS:
                for value in props.get(prop, ()):
                    key = clean_identifier(value)
                    if len(key) >= 4:
                        ids.add(key)
            countries: set[str] = set()
            for prop in _COUNTRY_PROPS:
                countries.update(v.lower() for v in props.get(prop, ()))
            party = Party(
                entity_id=entity.id,
                dataset=dataset,
                schema=schema,
                caption=entity.caption,
                birth_dates=tuple(sorted(props.get("birthDate", ()))),
                countries=tuple(sorted(countries)),
                identifiers=tuple(sorted(ids)),
            )
            self.parties.append(party)
            self.party_names.append([])
            for key in ids:
                self.id_map.setdefault(key, []).append(pidx)
            is_org = is_org_schema(schema)
            seen: set[tuple[str, ...]] = set()
            for kind in NAME_KINDS:
                for value in props.get(kind, ()):
                    form = analyse(value, is_org)
                    if not form.tokens or form.tokens in seen:
                        continue
                    seen.add(form.tokens)
                    nid = len(self.names)
                    self.names.append((pidx, kind, form))
                    self.party_names[pidx].append(nid)
                    for tok in _index_tokens(form):
                        tid = vocab.get(tok)
                        if tid is None:
                            tid = vocab[tok] = len(postings)
                            postings.append([])
                        postings[tid].append(nid)
                    if form.is_org:
                        for acro in acronyms(form.tokens, form.legal_forms) if form.is_org else ():
                            self.acro_map.setdefault(acro, []).append(nid)
        self._finish(postings)
        return self

    def _finish(self, postings: list[list[int]]) -> None:
        n = max(len(self.names), 1)
        max_idf = math.log(n + 1)
        self.postings = [array("i", p) for p in postings]
        self.weights = [0.0] * len(postings)
        for tok, tid in self.vocab.items():
            idf = math.log((n + 1) / (len(postings[tid]) + 0.5))
            base = length_weight(tok)
            self.weights[tid] = base * (0.3 + 0.7 * max(idf, 0.0) / max_idf)
            skel = skeleton(tok)
            self.skel_map.setdefault(skel, []).append(tid)
            for d in _deletions(tok):
                self.del_map.setdefault(d, []).append(tid)
            vkey = vowel_key(tok)
            if len(vkey) >= 3 and vkey != skel:
                self.vk_map.setdefault(vkey, []).append(tid)
            akey = abjad_key(tok)
            if len(akey) >= 2:
                self.abj_map.setdefault(akey, []).append(tid)
        self.tok_weight = {tok: self.weights[tid] for tok, tid in self.vocab.items()}
        vocab = self.vocab
        self.name_flat = array("i", (vocab[t] for _, _, form in self.names for t in form.tokens))
        self.name_off = array("q", [0])
        for _, _, form in self.names:
            self.name_off.append(self.name_off[-1] + len(form.tokens))
        self.table = TokenTable(
            list(vocab), self.weights, [[vocab[t] for t in form.tokens] for _, _, form in self.names]
        )
        # Tokens in more names than this only re-rank: bounded work per query at any size.
        self.df_cap = max(500, min(n // 50, 5000))

    # -- weights ---------------------------------------------------------------------------

    def weigh(self, token: str) -> float:
        """How informative a token is: IDF over the indexed names, scaled by length."""
        w = self.tok_weight.get(token)
        return length_weight(token) if w is None else w

    # -- retrieval -------------------------------------------------------------------------

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
        raw_dels = _deletions(tok)
        for key in (tok, *raw_dels):
            for t in self.del_map.get(key, ()):
                if t not in hits:
                    hits[t] = _DEL_SIM
        for d in raw_dels:
            t2 = self.vocab.get(d)
            if t2 is not None and t2 not in hits:
                hits[t2] = _DEL_SIM
        for d in _deletions(skel):
            for t in self.skel_map.get(d, ()):
                if t not in hits:
                    hits[t] = _DEL_SIM * 0.9
        return hits

    def _retrieve(self, form: NameForm, special: set[int] | None = None) -> dict[int, float]:
        """Names sharing keys with the query, each with the sum over query tokens of the
        best IDF-weighted key match (one vocabulary entry per query token and name)."""
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
            entries = sorted(
                ((tid, sim * min(qw, self.weights[tid])) for tid, sim in hits.items()),
                key=lambda e: (-e[1], e[0]),
            )
            size = sum(len(self.postings[tid]) for tid, _ in entries)
            plans.append((size, order, entries))
        acc: dict[int, float] = {}
        get = acc.get
        # Acronyms: a query token that spells an organisation's initials, or a query
        # whose initials are an indexed token.
        if form.is_org and len(form.tokens) <= 3:
            for tok in form.tokens:
                if 3 <= len(tok) <= 8 and tok.isalpha():
                    for nid in self.acro_map.get(tok, ()):
                        acc[nid] = max(get(nid, 0.0), ACRONYM_SIM * self.weigh(tok))
                        if special is not None:
                            special.add(nid)
        for acro in acronyms(form.tokens, form.legal_forms) if form.is_org else ():
            tid = vocab.get(acro)
            if tid is not None and len(self.postings[tid]) <= self.df_cap:
                w = ACRONYM_SIM * self.weights[tid]
                for nid in self.postings[tid]:
                    acc[nid] = max(get(nid, 0.0), w)
                    if special is not None:
                        special.add(nid)
        if not plans:
            return acc
        plans.sort()
        # The query's rarest own token is always expanded in full, so that a name made
        # only of common tokens (ALI HAMID ABDALLAH AHMAD) still finds its candidates.
        own = [size for size, order, _ in plans if order < len(abjad)]
        cap = max(self.df_cap, min(own) if own else plans[0][0])
        for size, _, entries in plans:
            if size > cap:
                # A very common key: it only re-ranks the names already found, by
                # probing their tokens (or, past PROBE_NAMES, by its best entry).
                if acc and len(acc) <= PROBE_NAMES:
                    ew = dict(reversed(entries))  # best weight per token wins
                    flat, off = self.name_flat, self.name_off
                    for nid in acc:
                        best = 0.0
                        for tid in flat[off[nid] : off[nid + 1]]:
                            w = ew.get(tid, 0.0)
                            if w > best:
                                best = w
                        if best:
                            acc[nid] += best
                elif acc:
                    tid, w = entries[0]
                    for nid in self.postings[tid]:
                        if nid in acc:
                            acc[nid] += w
                continue
            local: dict[int, float] = {}
            lget = local.get
            for tid, w in entries:
                for nid in self.postings[tid]:
                    if lget(nid, 0.0) < w:
                        local[nid] = w
            for nid, w in local.items():
                acc[nid] = get(nid, 0.0) + w
        return acc

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: Query,
        *,
        limit: int = 10,
        threshold: float = 0.0,
        datasets: Collection[str] | None = None,
    ) -> list[Hit]:
        """The best-scoring parties for ``query``, highest first, ties by entity id."""
        if limit < 1:
            raise MatchError("limit must be at least 1")
        query = validate_query(query)
        probe = Probe(
            form=analyse(query.name, is_org_schema(query.schema)),
            schema=query.schema,
            birth_date=query.birth_date,
            country=query.country.lower() if query.country else None,
            identifier=query.identifier,
        )
        special: set[int] = set()
        acc = self._retrieve(probe.form, special)
        if probe.identifier:
            for pidx in self.id_map.get(clean_identifier(probe.identifier), ()):
                for nid in self.party_names[pidx]:
                    acc[nid] = acc.get(nid, 0.0) + 100.0
        if datasets is not None:
            allowed = set(datasets)
            acc = {
                nid: w for nid, w in acc.items()
                if self.parties[self.names[nid][0]].dataset in allowed
            }
        if not acc:
            return []
        top = heapq.nlargest(RETRIEVED_NAMES, acc.items(), key=itemgetter(1))
        floor = top[0][1] * MIN_RELATIVE_RECALL
        kept = [(nid, w) for nid, w in top if w >= floor]
        # Full scoring for the best few by a vectorised estimate of the name score, and
        # for the best few by retrieval weight (joins, acronyms: what the estimate misses).
        pre = prescore(self.table, probe.form, [nid for nid, _ in kept], self.weigh)
        est = sorted(
            ((float(p), -nid) for p, (nid, _) in zip(pre, kept, strict=True)), reverse=True
        )
        always = {-nid for nid, _ in kept[:RETRIEVAL_FIRST]}
        always.update(-nid for nid, _ in kept if nid in special)
        est = [e for e in est if e[1] in always] + [e for e in est if e[1] not in always]
        best: dict[int, tuple[float, int, tuple, str]] = {}
        per_party: dict[int, int] = {}
        scored = 0
        for _, neg in est:
            if scored >= CANDIDATE_NAMES:
                break
            nid = -neg
            pidx, kind, form = self.names[nid]
            seen = per_party.get(pidx, 0)
            if seen >= NAMES_PER_PARTY:
                continue
            per_party[pidx] = seen + 1
            scored += 1
            score, feats, expl = score_name(probe, form, kind, self.parties[pidx], self.weigh)
            if score <= 0.0:
                continue
            prev = best.get(pidx)
            if prev is None or (score, -nid) > (prev[0], -prev[1]):
                best[pidx] = (score, nid, feats, expl)
        hits: list[Hit] = []
        for pidx, (score, nid, feats, expl) in best.items():
            if score < threshold:
                continue
            party = self.parties[pidx]
            _, kind, form = self.names[nid]
            hits.append(
                Hit(
                    entity_id=party.entity_id,
                    dataset=party.dataset,
                    schema=party.schema,
                    caption=party.caption,
                    matched_name=form.original,
                    name_kind=kind,
                    score=score,
                    features=feats,
                    explanation=expl,
                )
            )
        hits.sort(key=lambda h: (-h.score, h.entity_id))
        return hits[:limit]

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (a local cache: load only files you wrote)."""
        with open(path, "wb") as fh:
            pickle.dump((FORMAT_VERSION, self.__dict__), fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path) -> MatchIndex:
        """Read an index written by :meth:`save` (pickle: never load untrusted files)."""
        with open(path, "rb") as fh:
            version, state = pickle.load(fh)
        if version != FORMAT_VERSION:
            raise MatchError(f"index cache {path} has format {version}, expected {FORMAT_VERSION}")
        self = cls()
        self.__dict__.update(state)
        return self
