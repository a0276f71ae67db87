"""Abbreviations of organisation names: acronyms (IRGC), syllable abbreviations (COPETE for
COLOMBO PERUANA DE TEJIDOS) and a name's initials, which retrieval files names under and the
name comparison scores (see docs/matching.md, "acronyms and syllable abbreviations")."""

from __future__ import annotations

from sanctions_ledger.match.keys import portmanteau, word_initials
from sanctions_ledger.match.normalise import NameForm

__all__ = [
    "ACRONYM_SIM",
    "LISTED_SHORT_ACRONYM_SIM",
    "SYLLABLE_SIM",
    "Abbreviation",
    "abbreviation",
    "initials_of",
    "may_spell",
    "spelled_by_initials",
    "syllable_abbreviation",
]

ACRONYM_SIM = 0.9
"""NIOC for National Iranian Oil Company: every significant word's first letter."""
SYLLABLE_SIM = 0.8
"""COBIENES for COmercializadora de BIENES: leading syllables run together."""
LISTED_SHORT_ACRONYM_SIM = 0.72
"""A listed name's word of three letters that is the acronym of the query's words (a
customer NIGHT CONSULTING GROUP against a listed weak alias NCG): one of 17,576 three-letter
acronyms, which the initials of thousands of other three-word names spell too; the party
itself would match by its full name. Not the other way: a query that is only an acronym
(AFO, BIO) has no other evidence to give."""

_COMPANY = frozenset({"company", "companies", "corporation", "corp", "co"})


def _may_abbreviate(tok: str, words: tuple[str, ...]) -> bool:
    """Cheap necessary condition for :func:`portmanteau`: the first letter starts a word
    and the second continues that word or starts another."""
    first, second = tok[0], tok[1]
    starts = False
    for w in words:
        if w[0] == second:
            starts = True
        if w[0] == first and len(w) > 1 and w[1] == second:
            return True
    return starts and any(w[0] == first for w in words)


Abbreviation = tuple[tuple[int, ...], float, str]


def may_spell(tok: str) -> bool:
    """Whether a token is of the kind that may abbreviate others: 3-12 letters."""
    return 3 <= len(tok) <= 12 and tok.isalpha()


def initials_of(form: NameForm) -> str:
    """An organisation name's initials, of all its words and of its significant words
    ("|" between): a query acronym of a run of its words is a substring of one of them
    (DTO in LAREDO DRUG TRAFFICKING ORGANIZATION, ``ldto``); empty for other names."""
    if not form.is_org or len(form.tokens) < 3:
        return ""
    heads, sig = word_initials(form.tokens)
    return heads if sig == heads else heads + "|" + sig


def spelled_by_initials(
    shorts: list[str], nids: list[int], initials: list[str], limit: int
) -> list[int]:
    """Of the names ``nids``, in order, the first ``limit`` whose initials
    (:func:`initials_of`) hold one of the query tokens ``shorts`` (3-5 letters)."""
    out: list[int] = []
    for nid in nids:
        heads = initials[nid]
        if not heads:
            continue
        for tok in shorts:
            if tok in heads:
                out.append(nid)
                break
        if len(out) >= limit:
            break
    return out


def syllable_abbreviation(tok: str, words: tuple[str, ...]) -> bool:
    """Whether ``tok`` spells ``words`` as a syllable abbreviation, as :func:`abbreviation`
    accepts one (not an acronym: some word gives two letters or more)."""
    if not _may_abbreviate(tok, words):
        return False
    hit = portmanteau(tok, words)
    return hit is not None and len(hit) < len(tok) and len(hit) <= len(tok) // 2 + 1


def abbreviation(tok: str, many: NameForm, later: set[str]) -> Abbreviation | None:
    """The tokens of ``many`` (at least two) that ``tok`` (3-12 letters) abbreviates,
    with the similarity and kind of the abbreviation; None if it abbreviates none.
    ``later``: the first letters of ``many``'s tokens after its first one."""
    if later.isdisjoint(tok[1:]):
        return None  # no second word can start inside tok: no portmanteau
    words = many.tokens
    if not _may_abbreviate(tok, words):
        return None
    hit = portmanteau(tok, words)
    if hit is None and tok[-1] == "c" and _COMPANY.intersection(many.legal_forms):
        hit = portmanteau(tok[:-1], words)  # NIOC: the C of a company word
        tok = tok[:-1]
    if hit is None:
        return None
    acronym = len(hit) == len(tok)
    if not acronym and (len(tok) < 5 or len(hit) > len(tok) // 2 + 1):
        return None
    return (hit, ACRONYM_SIM, "acronym") if acronym else (hit, SYLLABLE_SIM, "syllables")
