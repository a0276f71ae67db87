"""The screening index: retrieval, a vectorised pre-score, then feature scoring.

Retrieval (:mod:`retrieve`) never scans all names: query keys (token, skeleton, vowel
key, abjad key, deletion neighbourhoods, joined and split spellings, acronyms) reach
vocabulary entries whose postings are accumulated with IDF weights. The best retrieved
names get a numpy estimate of their name score (:mod:`prescore`), and the best few of
those, at least ``limit``, are scored in full with :mod:`score`.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import MatchError
from sanctions_ledger.match import signed
from sanctions_ledger.match.abbreviations import initials_of
from sanctions_ledger.match.keys import (
    abjad_key,
    acronyms,
    other_spellings,
    syllable_keys,
    voiced_as_written,
    vowel_key,
)
from sanctions_ledger.match.normalise import NameForm, analyse, skeleton
from sanctions_ledger.match.orgwords import org_word_symbols
from sanctions_ledger.match.prescore import TokenTable
from sanctions_ledger.match.query import validate_query
from sanctions_ledger.match.rank import best_retrieved, hits, score_retrieved
from sanctions_ledger.match.reach import KeyMaps, deletions
from sanctions_ledger.match.retrieve import (
    PREFIXED_MIN,
    Retrieval,
    VocabularyExpansion,
    expand_vocabulary,
)
from sanctions_ledger.match.score import (
    Best,
    IndexedParty,
    Probe,
    clean_identifier,
    is_org_schema,
)
from sanctions_ledger.match.tokens import IndexWeights, length_weight
from sanctions_ledger.match.types import NAME_KINDS, PARTY_SCHEMATA, Hit, Query
from sanctions_ledger.match.variants import name_variants
from sanctions_ledger.vocab import COUNTRY_PROPS, IDENTIFIER_PROPS

__all__ = ["MatchIndex"]

FORMAT_VERSION = 24
MAX_INDEXED_NAME = 1000
"""A name is indexed on its first this many characters, the longest a query may be
(``query.MAX_NAME_LENGTH``): the longest listed name in the shared lists has 381; a name of
millions of characters in a hostile file must not take the index build down with it."""
QUERY_PART_WORDS = 2
"""A part of a query holding several names is searched on its own from this many words."""
QUERY_VARIANTS = 8
"""At most this many of a query's names are searched besides the whole (each is a search)."""
_COUNTRY_PROPS = COUNTRY_PROPS
_ID_PROPS = IDENTIFIER_PROPS


def _frozen(lists: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(ids) for key, ids in lists.items()}


def _index_tokens(form: NameForm) -> set[str]:
    return set(form.tokens)


def _held_names(values: Iterable[str]) -> list[str]:
    """Each value (cut to MAX_INDEXED_NAME characters) and the other names it holds
    (:mod:`.variants`: a bracketed acronym, semicolon-separated spellings...)."""
    out: list[str] = []
    for value in values:
        value = value[:MAX_INDEXED_NAME]
        out.append(value)
        out.extend(name_variants(value))
    return out


def _indexed_party(dataset: str, entity: EntityProxy) -> IndexedParty:
    """What the scorer compares besides names: birth dates, countries (lower case) and
    identifiers (cleaned, four characters or more)."""
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
    return IndexedParty(
        entity_id=entity.id or "",
        dataset=dataset,
        schema=entity.schema.name,
        caption=entity.caption,
        birth_dates=tuple(sorted(props.get("birthDate", ()))),
        countries=tuple(sorted(countries)),
        identifiers=tuple(sorted(ids)),
    )


class MatchIndex:
    """An in-memory screening index over listed parties (see module docs): it holds the
    arrays and maps built from them, and the :class:`Retrieval` that searches them."""

    def __init__(self) -> None:
        self.parties: list[IndexedParty] = []
        self.names: list[tuple[int, str, NameForm]] = []
        self.initials: list[str] = []
        self.vocab: dict[str, int] = {}
        self.df: list[int] = []
        self.post_flat = np.zeros(0, dtype=np.int32)
        self.post_off = np.zeros(1, dtype=np.int64)
        self.name_ds = np.zeros(0, dtype=np.int32)
        self.ds_codes: dict[str, int] = {}
        self.weights: list[float] = []
        self.own_off: list[int] = [0]
        self.own_tids = np.zeros(0, dtype=np.int32)
        self.own_weights = np.zeros(0)
        self.own_sizes: list[int] = []
        self.skel_map: dict[str, tuple[int, ...]] = {}
        self.del_map: dict[str, tuple[int, ...]] = {}
        self.id_map: dict[str, list[int]] = {}
        self.abj_map: dict[str, tuple[int, ...]] = {}
        self.voice_map: dict[str, tuple[int, ...]] = {}
        self.vk_map: dict[str, tuple[int, ...]] = {}
        self.acro_map: dict[str, tuple[int, ...]] = {}
        self.syl_map: dict[str, tuple[int, ...]] = {}
        self.long_tokens: list[str] = []
        self.party_names: list[list[int]] = []
        self.table = TokenTable([], [], [])
        self.df_cap = 0
        self.retrieval = self._retrieval()

    def __len__(self) -> int:
        return len(self.parties)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, entities: Iterable[tuple[str, EntityProxy]]) -> MatchIndex:
        """Index ``(dataset, entity)`` pairs; entities that are not parties are skipped."""
        self = cls()
        vocab = self.vocab
        postings: list[list[int]] = []
        acro_map: dict[str, list[int]] = {}
        syl_map: dict[str, list[int]] = {}
        for dataset, entity in entities:
            schema = entity.schema.name
            if schema not in PARTY_SCHEMATA or not entity.id:
                continue
            pidx = len(self.parties)
            props = entity.properties
            party = _indexed_party(dataset, entity)
            self.parties.append(party)
            self.party_names.append([])
            for key in party.identifiers:
                self.id_map.setdefault(key, []).append(pidx)
            is_org = is_org_schema(schema)
            seen: set[tuple[str, ...]] = set()
            for kind in NAME_KINDS:
                for value in _held_names(props.get(kind, ())):
                    form = analyse(value, is_org, schema == "Person")
                    if not form.tokens or form.tokens in seen:
                        continue
                    seen.add(form.tokens)
                    nid = len(self.names)
                    self.names.append((pidx, kind, form))
                    self.initials.append(initials_of(form))
                    self.party_names[pidx].append(nid)
                    for tok in _index_tokens(form):
                        tid = vocab.get(tok)
                        if tid is None:
                            tid = vocab[tok] = len(postings)
                            postings.append([])
                        postings[tid].append(nid)
                    if form.is_org:
                        for acro in acronyms(form.tokens, form.legal_forms):
                            acro_map.setdefault(acro, []).append(nid)
                        for key in syllable_keys(form.tokens):
                            syl_map.setdefault(key, []).append(nid)
        self.acro_map = _frozen(acro_map)
        self.syl_map = _frozen(syl_map)
        self._finish(postings)
        return self

    def _finish(self, postings: list[list[int]]) -> None:
        n = max(len(self.names), 1)
        max_idf = math.log(n + 1)
        self.df = [len(p) for p in postings]
        self.post_flat = np.fromiter((i for p in postings for i in p), dtype=np.int32)
        self.post_off = np.zeros(len(postings) + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.post_off[1:])
        self.ds_codes = {}
        self.name_ds = np.array(
            [self.ds_codes.setdefault(self.parties[p].dataset, len(self.ds_codes))
             for p, _, _ in self.names],
            dtype=np.int32,
        )
        self.weights = [0.0] * len(postings)
        skel_map: dict[str, list[int]] = {}
        del_map: dict[str, list[int]] = {}
        vk_map: dict[str, list[int]] = {}
        abj_map: dict[str, list[int]] = {}
        voice_map: dict[str, list[int]] = {}
        for tok, tid in self.vocab.items():
            idf = math.log((n + 1) / (len(postings[tid]) + 0.5))
            base = length_weight(tok)
            self.weights[tid] = base * (0.3 + 0.7 * max(idf, 0.0) / max_idf)
            skel = skeleton(tok)
            skel_map.setdefault(skel, []).append(tid)
            for d in deletions(tok):
                del_map.setdefault(d, []).append(tid)
            vkey = vowel_key(tok)
            if len(vkey) >= 3:
                vk_map.setdefault(vkey, []).append(tid)
                for _, alt in other_spellings(tok):  # NEZHAD reached as NEJAD too
                    vk_map.setdefault(alt, []).append(tid)
            akey = abjad_key(tok)
            if len(akey) >= 2:
                abj_map.setdefault(akey, []).append(tid)
            if len(tok) >= 3 and tok.isalpha():
                voice_map.setdefault(voiced_as_written(tok), []).append(tid)
            # one concept of the organisation words' table (orgwords): filed under its
            # symbol, which no vowel key can spell ("[TOPIC:INTERIOR]")
            for sym in org_word_symbols(tok) or ():
                vk_map.setdefault(sym, []).append(tid)
        # Tuples, not lists: exact size, and most keys reach one or two tokens.
        self.skel_map, self.del_map = _frozen(skel_map), _frozen(del_map)
        self.vk_map, self.abj_map = _frozen(vk_map), _frozen(abj_map)
        self.voice_map = _frozen(voice_map)
        vocab = self.vocab
        self.table = TokenTable(
            list(vocab), self.weights, [[vocab[t] for t in form.tokens] for _, _, form in self.names]
        )
        self.long_tokens = sorted(tok for tok in vocab if len(tok) >= PREFIXED_MIN)
        # Tokens in more names than this only re-rank: bounded work per query at any size.
        self.df_cap = max(500, min(n // 50, 5000))
        expansion = expand_vocabulary(self._key_maps(), self.weights, self.df)
        self.own_off, self.own_tids, self.own_weights, self.own_sizes = expansion
        self.retrieval = self._retrieval()

    def _key_maps(self) -> KeyMaps:
        return (self.vocab, self.skel_map, self.del_map, self.vk_map, self.abj_map,
                self.voice_map)

    def _retrieval(self) -> Retrieval:
        """The retrieval over this index's arrays (made again whenever they are replaced)."""
        return Retrieval(
            maps=self._key_maps(),
            weights=self.weights,
            df=self.df,
            df_cap=self.df_cap,
            post_flat=self.post_flat,
            post_off=self.post_off,
            expansion=VocabularyExpansion(self.own_off, self.own_tids, self.own_weights,
                                          self.own_sizes),
            acro_map=self.acro_map,
            syl_map=self.syl_map,
            long_tokens=self.long_tokens,
            names=self.names,
            table=self.table,
        )

    # -- weights ---------------------------------------------------------------------------

    def weigh(self, token: str) -> float:
        """How informative a token is: IDF over the indexed names, scaled by length."""
        return IndexWeights(self.vocab, self.weights)(token)

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: Query,
        *,
        limit: int = 10,
        threshold: float = 0.0,
        datasets: Collection[str] | None = None,
    ) -> list[Hit]:
        """The best-scoring parties for ``query``, highest first; equal (clamped) scores
        by the unclamped total, then by entity id."""
        if limit < 1:
            raise MatchError("limit must be at least 1")
        query = validate_query(query)
        best = self._best(query, query.name, limit, threshold, datasets)
        for name in name_variants(query.name, QUERY_PART_WORDS)[:QUERY_VARIANTS]:
            # A query holding several names (a bracketed acronym, spellings separated by
            # semicolons) is searched as each of them: per party, the best.
            for pidx, found in self._best(query, name, limit, threshold, datasets).items():
                if pidx not in best or found[:2] > best[pidx][:2]:
                    best[pidx] = found
        return hits(best, threshold, limit, self.names, self.parties)

    def _best(self, query: Query, name: str, limit: int, threshold: float,
              datasets: Collection[str] | None) -> dict[int, Best]:
        """Per party, its best name scored in full against ``name`` (one search)."""
        probe = Probe(
            form=analyse(name, is_org_schema(query.schema), query.schema == "Person"),
            schema=query.schema,
            birth_date=query.birth_date,
            country=query.country.lower() if query.country else None,
            identifier=query.identifier,
        )
        special: set[int] = set()
        spelled: set[int] = set()
        nids, scores = self.retrieval.retrieve(probe.form, special, spelled)
        if probe.identifier:
            nids, scores = self._with_identified(probe.identifier, nids, scores)
        if datasets is not None:
            nids, scores, spelled = self._in_datasets(datasets, nids, scores, spelled)
        if not len(nids):
            return {}
        return score_retrieved(probe, best_retrieved(nids, scores), special, spelled, limit,
                               threshold, self.table, IndexWeights(self.vocab, self.weights),
                               self.vocab, self.names, self.parties, self.initials,
                               self.party_names)

    def _with_identified(
        self, identifier: str, nids: np.ndarray, scores: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The names retrieved, plus every name of the parties listing the query's
        identifier, far ahead of any retrieval weight."""
        extra = [
            nid
            for pidx in self.id_map.get(clean_identifier(identifier), ())
            for nid in self.party_names[pidx]
        ]
        if not extra:
            return nids, scores
        nids, inv = np.unique(np.concatenate([nids, extra]), return_inverse=True)
        return nids, np.bincount(inv, weights=np.concatenate([scores, np.full(len(extra), 100.0)]))

    def _in_datasets(
        self, datasets: Collection[str], nids: np.ndarray, scores: np.ndarray, spelled: set[int]
    ) -> tuple[np.ndarray, np.ndarray, set[int]]:
        """Of the names retrieved and of those ``spelled``, the ones listed in ``datasets``."""
        codes = [self.ds_codes[d] for d in datasets if d in self.ds_codes]
        mask = np.isin(self.name_ds[nids], codes)
        return nids[mask], scores[mask], {nid for nid in spelled if self.name_ds[nid] in codes}

    # -- persistence -----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path``, signed with its folder's key (:mod:`.signed`)."""
        with open(path, "wb") as fh:
            self.dump(fh, signed.folder_key(path.parent))

    def dump(self, fh: BinaryIO, key: bytes) -> None:
        """Write the index to an open binary file, signed with ``key`` (what :meth:`load` reads)."""
        state = {k: v for k, v in self.__dict__.items() if k != "retrieval"}
        signed.write_signed(fh, key, lambda out: pickle.dump((FORMAT_VERSION, state), out,
                                                             protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, path: Path, key: bytes | None = None) -> MatchIndex:
        """Read an index written by :meth:`save` or :meth:`dump`: unpickled only when its
        signature verifies under ``key`` (default: the key of its folder), else
        :class:`~.signed.UntrustedCache` (pickles run code)."""
        payload = signed.read_signed(path, key if key is not None else signed.folder_key(path.parent))
        version, state = pickle.loads(payload)
        if version != FORMAT_VERSION:
            raise MatchError(f"index cache {path} has format {version}, expected {FORMAT_VERSION}")
        self = cls()
        self.__dict__.update(state)
        self.retrieval = self._retrieval()
        return self
