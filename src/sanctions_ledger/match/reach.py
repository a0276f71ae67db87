"""Which vocabulary entries a query reaches: the query's keys and each key's entries.

The per-token half of retrieval (:mod:`retrieve`), in plain functions over the index's
dicts so that it compiles with mypyc (``setup.py``): a query's own tokens, their joined
neighbours and split parts (:func:`query_keys`), and per key the vocabulary entries its
exact form, abjad key, skeleton, vowel key and one-deletion neighbourhoods reach, with a
retrieval similarity each (:func:`token_hits`).
"""

from __future__ import annotations

from itertools import chain

from rapidfuzz.distance import Indel

from sanctions_ledger.match.keys import (
    abjad_key,
    other_spellings,
    voiced_as_written,
    vowel_key,
)
from sanctions_ledger.match.national import national_keys
from sanctions_ledger.match.normalise import NameForm, skeleton
from sanctions_ledger.match.orgwords import org_word_symbols
from sanctions_ledger.match.tokens import length_weight

__all__ = ["MAX_FUZZY_TOKEN", "Expanded", "Key", "KeyMaps", "deletions", "expand_keys", "query_keys",
           "token_hits"]

SKEL_SIM = 0.9
DEL_SIM = 0.7
ABJ_SIM = 0.85
VOICE_SIM = 0.8
MAX_FUZZY_TOKEN = 48
"""Tokens longer than this get no one-letter deletions and are not split into two words,
in the index or in a query: both grow with the square of a token's length (a 40,000-letter
token took 3.3 GB). No listed name has a token near it: the longest in the shared lists
has 30 letters (joseonminjujuuiinmingonghwagug); a longer one is still found exactly."""

KeyMaps = tuple[
    dict[str, int], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]],
    dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]],
]
"""The index's vocabulary and key maps: (vocab, skeleton, deletion, vowel key, abjad key,
voicing key)."""


def deletions(key: str) -> list[str]:
    """Every one-letter deletion of ``key`` (none under 4 or over MAX_FUZZY_TOKEN letters)."""
    if len(key) < 4 or len(key) > MAX_FUZZY_TOKEN:
        return []
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


def token_hits(tok: str, abjad: bool, maps: KeyMaps, fuzzy: bool = True,
               tokens: list[str] | None = None) -> dict[int, float]:
    """Vocabulary entries a query token reaches, with a retrieval similarity each.

    The first key to reach an entry sets its similarity, in this order: the exact
    token, the abjad key, the skeleton, the vowel key, deletions of the token, then
    deletions of the skeleton. The dict is built in the reverse order so that a
    higher-priority key overwrites. Without ``fuzzy``, no deletions (a joined key: the
    words are already a guess).

    With ``tokens`` (the vocabulary by id), an entry whose similarity the skeleton or the
    vowel key set (of the token or of another romanisation of it) is weighed by how alike
    the two are as written (their Indel similarity, :data:`LOOSE_LIKENESS`): a short
    skeleton is shared by words that share nothing else (SANIYA and SHESHENYA are both SN,
    SA and CHUCHI both S), and they crowded a word one letter away (SAMIYA) out of the
    names kept. A deletion's entry is one or two letters off already: its own similarity
    says so."""
    vocab, skel_map, del_map, vk_map, abj_map, voice_map = maps
    tid = vocab.get(tok)
    if len(tok) < 2:
        return {} if tid is None else {tid: 1.0}
    skel = skeleton(tok)
    hits: dict[int, float] = {}
    loose: set[int] = set()
    """The entries whose similarity the skeleton or the vowel key set."""
    if fuzzy:
        raw_dels = deletions(tok)
        found = [ts for d in deletions(skel) if (ts := skel_map.get(d))]
        if found:
            hits = dict.fromkeys(chain.from_iterable(found), DEL_SIM * 0.9)
        found = [ts for key in (tok, *raw_dels) if (ts := del_map.get(key))]
        if found:
            hits.update(dict.fromkeys(chain.from_iterable(found), DEL_SIM))
        own = [vocab[d] for d in raw_dels if d in vocab]
        if own:
            hits.update(dict.fromkeys(own, DEL_SIM))
    ts = vk_map.get(vowel_key(tok))
    if ts:
        hits.update(dict.fromkeys(ts, SKEL_SIM))
        loose.update(ts)
    # other romanisations (keys.other_spellings), but not of joined words: a guess already
    alts = [key for _, key in other_spellings(tok)] if fuzzy and not abjad else []
    read: list[int] = []
    if fuzzy and not abjad and len(tok) >= 5:
        # an EU national romanisation of a Cyrillic name read the English way (LUKASJENKO
        # as LUKASHENKO; the vocabulary is not filed under these), weaker than the token's
        # own keys, which it must not crowd out: read so, many a non-Slavic j or ch
        # (HUNJIN) reaches other words
        for _, key in national_keys(tok):
            ts = vk_map.get(key)
            for t in ts or ():
                hits.setdefault(t, NATIONAL_SIM)
                read.append(t)
    if fuzzy:
        # a translation: the same word of the organisation words' table in another language
        # (vnutrennikh, Wewnętrznych and interior are INTERIOR), filed under its symbol
        for sym in org_word_symbols(tok) or ():
            for t in vk_map.get(sym) or ():
                hits.setdefault(t, SYMBOL_REACH_SIM)
    if "rn" in tok:
        alts.append(vowel_key(tok.replace("rn", "m")))  # HARNID for HAMID: OCR, or evasion
    for alt in alts:
        ts = vk_map.get(alt)
        if ts:
            hits.update(dict.fromkeys(ts, SKEL_SIM))
            loose.update(ts)
    if fuzzy and not abjad and len(tok) >= 3:
        # voicing only, vowels as written (Korean CHONG/JONG, POK/BOK)
        ts = voice_map.get(voiced_as_written(tok))
        if ts:
            hits.update(dict.fromkeys(ts, VOICE_SIM))
            loose.difference_update(ts)
    ts = skel_map.get(skel)
    if ts:
        hits.update(dict.fromkeys(ts, SKEL_SIM))
        loose.update(ts)
    for t in read:
        # reached by a national reading and by the token's own skeleton or vowel key: the
        # two agree, ahead of what the skeleton alone reaches (German AWANGARD reaches
        # AVANGARD and, as far as the skeleton goes, VYNOGRADU alike, the rarer first)
        if hits[t] >= SKEL_SIM:
            hits[t] = NATIONAL_AGREE_SIM
            loose.discard(t)
    if abjad:
        ts = abj_map.get(abjad_key(tok))
        if ts:
            hits.update(dict.fromkeys(ts, ABJ_SIM))
            loose.difference_update(ts)
    if tid is not None:
        hits[tid] = 1.0
        loose.discard(tid)
    if tokens is not None:
        for t in loose:
            hits[t] *= LOOSE_LIKENESS + (1 - LOOSE_LIKENESS) * Indel.normalized_similarity(
                tok, tokens[t])
    return hits


LOOSE_LIKENESS = 0.0
"""An entry reached by the skeleton or the vowel key keeps this share of its similarity
however unlike the two are as written; the rest scales with their Indel similarity. Half
(0.5) left a skeleton-only word above one a letter off (SHESHENYA 0.69, SAMIYA 0.64 for
SANIYA); measured in docs/matching.md."""
NATIONAL_SIM = 0.6
"""Retrieval similarity of an entry reached only by an EU national reading of the token."""
NATIONAL_AGREE_SIM = 0.95
"""An entry that a national reading of the token and the token's own skeleton or vowel key
both reach."""
SYMBOL_REACH_SIM = 0.8
"""Retrieval similarity of an entry reached only as a translation (one concept of the
organisation words' table); the score compares the two at 0.9."""

Key = tuple[str, bool, bool]
"""A query key: the string, whether it is an abjad token, whether it joins query words."""
Expanded = tuple[list[int], list[float], int]
"""A key's vocabulary entries, their retrieval weights, and the postings they hold."""


def expand_keys(
    keys: list[Key], maps: KeyMaps, weights: list[float], df: list[int], tokens: list[str],
) -> list[Expanded]:
    """Per query key (token, abjad flag, joined flag): the entries :func:`token_hits` reaches, each
    weighted by its similarity times the lesser of the key's and the entry's weight (a
    key the vocabulary lacks weighs by its length), and their posting count."""
    out: list[Expanded] = []
    for tok, abjad, joined in keys:
        hits = token_hits(tok, abjad, maps, not joined, tokens)
        known = maps[0].get(tok)
        qw = length_weight(tok) if known is None else weights[known]
        tids: list[int] = []
        sims: list[float] = []
        size = 0
        for tid, sim in hits.items():
            w = weights[tid]
            tids.append(tid)
            sims.append(sim * (w if w < qw else qw))
            size += df[tid]
        out.append((tids, sims, size))
    return out


def query_keys(form: NameForm, vocab: dict[str, int]) -> list[Key]:
    """The query's own tokens first, then joined neighbours ("MINO CONGO" for
    "MINOCONGO"), then split parts of tokens the vocabulary lacks; each once."""
    toks = form.tokens
    abjad = dict(zip(toks, form.vowelless, strict=True))
    own = list(dict.fromkeys(toks))
    # Spacing differs between lists: "MINO CONGO" / "MINOCONGO" in both directions.
    joined = [a + b for a, b in zip(toks, toks[1:], strict=False)]
    joined += [
        a + b + c for a, b, c in zip(toks, toks[1:], toks[2:], strict=False)
        if len(a + b + c) <= 12
    ]
    keys: list[str] = []
    for tok in toks:
        if tok in vocab and len(tok) >= 6 and tok[:2] in ("al", "el"):
            # An article written joined: ALOTAIBI is also AL OTAIBI.
            keys.append(tok[2:])
        if 6 <= len(tok) <= MAX_FUZZY_TOKEN and tok not in vocab:
            piece = ""
            for i in range(2, len(tok) - 1):
                head, tail = tok[:i], tok[i:]
                if head in vocab and tail in vocab:
                    keys += [head, tail]
                elif form.is_org and len(tok) >= 7:
                    # A syllable abbreviation: one part is a whole word (COMECARNES).
                    for part in (head, tail):
                        if len(part) >= 4 and len(part) > len(piece) and part in vocab:
                            piece = part
            if piece:
                keys.append(piece)
    out: dict[str, Key] = {tok: (tok, abjad[tok], False) for tok in own}
    for tok in joined:
        out.setdefault(tok, (tok, abjad.get(tok, False), True))
    for tok in keys:
        out.setdefault(tok, (tok, abjad.get(tok, False), False))
    return list(out.values())
