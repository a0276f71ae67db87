"""Which records of the shared lists are one party: the benchmark's judge of a right answer.

A cross-script query is right when the top hit is any list's record of the same party.
The lists do not say which records are one party, so this module links them by plain
string equality and rapidfuzz over their Latin names, birth dates and identifiers,
independent of the matcher under test (docs/matching.md, "The benchmark's same-party
rule"). Also the small name helpers the benchmark shares: the names of an entity, the
script of a name, the hold-out README's trivial key and the folded form the brute-force
baseline compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import normality
from followthemoney.proxy import EntityProxy
from rapidfuzz import fuzz

__all__ = ["fold", "names_of", "same_party_clusters", "script_of", "trivial_key"]


def fold(text: str) -> str:
    """ASCII, lower case, words of letters and digits only."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", (normality.ascii_text(text) or "").lower()).split())


def trivial_key(name: str) -> str:
    """The hold-out README's key: casefold, no diacritics/apostrophes, sorted tokens."""
    text = normality.ascii_text(name.casefold()) or ""
    text = re.sub(r"['’`]", "", text)
    return " ".join(sorted(re.sub(r"[^0-9a-z]+", " ", text.lower()).split()))


def names_of(entity: EntityProxy) -> list[str]:
    out: list[str] = []
    for prop in ("name", "alias", "previousName", "weakAlias"):
        out.extend(entity.get(prop, quiet=True))
    return out


# Given names by gender for the near-miss set: a generic hand-written list, not list data.
def script_of(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            s = unicodedata.name(ch, "?").split(" ")[0]
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return "none"
    top = max(counts.items(), key=lambda kv: kv[1])[0]
    return {"CYRILLIC": "Cyrillic", "ARABIC": "Arabic", "LATIN": "Latin"}.get(top, "other")


def _latin_names(entity: EntityProxy) -> list[str]:
    """The entity's Latin-script names, folded."""
    return [fold(n) for n in names_of(entity) if script_of(n) == "Latin"]


def _same_list(a: EntityProxy, b: EntityProxy) -> bool:
    """Whether two records come from one list (their ids' prefix: eu-, uk-, us-...)."""
    return (a.id or "").split("-")[0] == (b.id or "").split("-")[0]


def same_party_clusters(ftm: Sequence[tuple[str, EntityProxy]], broad: bool = True
                         ) -> dict[str, set[str]]:
    """Entities of different lists that are one party: linked when they share the trivial
    key of a Latin name of two or more words (union-find; persons whose birth dates are
    both known must also share a year), or persons with the same full birth date and
    similar names, or (``broad``) persons of two lists whose dates agree as far as both
    give them and all of whose name words are alike, organisations of two lists named
    alike but for the legal form, or records sharing a strong identifier's value held by
    at most six records. All rules are plain string equality or rapidfuzz, independent of
    the matcher under test."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, EntityProxy] = {}
    for _, e in ftm:
        eid = e.id or ""
        find(eid)
        for n in names_of(e):
            key = trivial_key(n)
            if script_of(n) != "Latin" or " " not in key:
                continue
            other = first.setdefault(key, e)
            if other is e:
                continue
            da, db = set(e.get("birthDate", quiet=True)), set(other.get("birthDate", quiet=True))
            if da and db and not ({d[:4] for d in da} & {d[:4] for d in db}):
                continue
            parent[find(eid)] = find(other.id or "")
    # Persons on several lists under different spellings: the same full birth date and
    # similar Latin names (rapidfuzz token_sort_ratio >= 70, an independent measure).
    # The broad rule also reads a date with day and month exchanged as the same date (one
    # list wrote it the other way round: 1975-03-02 / 1975-02-03).
    by_dob: dict[str, list[EntityProxy]] = {}
    for _, e in ftm:
        if e.schema.name == "Person":
            dates = {d for d in e.get("birthDate", quiet=True) if len(d) == 10}
            if broad:
                dates |= {_swapped(d) for d in dates if _swapped(d)}
            for d in dates:
                by_dob.setdefault(d, []).append(e)
    for d, group in by_dob.items():
        folded = [_latin_names(e) for e in group]
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                # 1 January often stands for an unknown day: the stricter rule there (or,
                # broad, all of three or more name words alike).
                loose = broad and not d.endswith("-01-01")
                similar = _two_tokens_alike if loose else _sort_ratio_alike
                if any(similar(a, b) or (broad and _all_words_alike(a, b))
                       for a in folded[i] for b in folded[j]):
                    parent[find(group[i].id or "")] = find(group[j].id or "")
    if broad:
        # Persons of two lists whose birth dates agree as far as both give them (the same
        # year, where one gives only the year) and all name words alike (three or more): UTKIN
        # Dmitriy Valeryevich, born 1970, and Dmitriy Valerievich UTKIN, born 1970-06-01.
        by_year: dict[tuple[str, str], list[EntityProxy]] = {}
        for _, e in ftm:
            if e.schema.name == "Person":
                for y in {d[:4] for d in e.get("birthDate", quiet=True) if len(d) >= 4}:
                    for w in {w for n in names_of(e) if script_of(n) == "Latin"
                              for w in fold(n).split() if len(w) >= 4}:
                        by_year.setdefault((y, w), []).append(e)
        for (y, _), group in by_year.items():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if _same_list(a, b):
                        continue
                    fa = {v for v in a.get("birthDate", quiet=True) if v[:4] == y}
                    fb = {v for v in b.get("birthDate", quiet=True) if v[:4] == y}
                    if all(len(v) == 10 for v in fa) and all(len(v) == 10 for v in fb):
                        continue  # both give the full date: the rule above decides
                    na, nb = _latin_names(a), _latin_names(b)
                    if any(_all_words_alike(x, z) for x in na for z in nb):
                        parent[find(a.id or "")] = find(b.id or "")
        # Organisations of two lists with one name once the legal form (JSC, PJSC, LLC,
        # OOO, joint stock company...) is left out, where what is left has two words, or
        # one of 8 letters or more: PJSC SBERBANK OF RUSSIA and
        # PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA; PROMSVYAZBANK and PROMSVYAZBANK PJSC.
        core_owners: dict[str, list[EntityProxy]] = {}
        for _, e in ftm:
            if e.schema.name != "Person":
                for n in names_of(e):
                    if script_of(n) == "Latin":
                        core = _org_core(n)
                        if core:
                            core_owners.setdefault(core, []).append(e)
        for group in core_owners.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if not _same_list(a, b):
                        parent[find(a.id or "")] = find(b.id or "")
        # The same passport, national id, registration or tax number, IMO, BIC or LEI.
        # Only between lists, within one kind of party (a sole trader's company carries its
        # owner's number), never across birth years both known, and with a name word alike.
        holders: dict[tuple[str, str, bool], list[EntityProxy]] = {}
        for _, e in ftm:
            for prop in STRONG_IDS:
                for v in e.get(prop, quiet=True):
                    key = re.sub(r"[^0-9A-Z]", "", v.upper())
                    if len(key) >= 5:
                        holders.setdefault((prop, key, e.schema.name == "Person"), []).append(e)
        for group in holders.values():
            if not 2 <= len(group) <= 6:
                continue
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if _same_list(a, b):
                        continue
                    ya = {v[:4] for v in a.get("birthDate", quiet=True)}
                    yb = {v[:4] for v in b.get("birthDate", quiet=True)}
                    if ya and yb and not ya & yb:
                        continue
                    # Lists give associates each other's documents: a name word must agree too.
                    na, nb = _latin_names(a), _latin_names(b)
                    if any(_words_alike(x, y) for x in na for y in nb):
                        parent[find(a.id or "")] = find(b.id or "")
    groups: dict[str, set[str]] = {}
    for eid in list(parent):
        groups.setdefault(find(eid), set()).add(eid)
    return {eid: groups[find(eid)] for eid in parent}


def _swapped(date: str) -> str:
    """A full date with day and month exchanged, where both could be a month; else ""."""
    y, m, d = date[:4], date[5:7], date[8:10]
    if d == m or not d.isdigit() or not 1 <= int(d) <= 12:
        return ""
    return f"{y}-{d}-{m}"


_LEGAL_FORMS = re.compile(
    r"\b(?:public |open |closed |private )?joint[ -]stock company\b|\blimited liability company\b"
    r"|\b(?:publichnoe |otkrytoe |zakrytoe )?aktsionernoe obshchestvo\b"
    r"|\b(?:jsc|ojsc|pjsc|cjsc|ao|oao|pao|zao|ooo|llc|ltd|limited|plc|co|the)\b")


def _org_core(name: str) -> str:
    """An organisation name without its legal form, folded, with & as and; "" when too
    little is left to identify a party. (Bracketed parts stay: AL-HARAMAIN (BANGLADESH)
    is one branch.)"""
    text = name.replace("&", " and ")
    words = _LEGAL_FORMS.sub(" ", fold(text)).split()
    if len(words) >= 2 or (words and len(words[0]) >= 8):
        return " ".join(words)
    return ""


STRONG_IDS = ("passportNumber", "idNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
              "imoNumber", "swiftBic", "leiCode")


def _sort_ratio_alike(a: str, b: str) -> bool:
    """The first, stricter rule (kept for comparison): whole names, token_sort_ratio >= 70."""
    return fuzz.token_sort_ratio(a, b) >= 70


def _two_tokens_alike(a: str, b: str) -> bool:
    """At least two words of one name pair off with words of the other at rapidfuzz ratio
    >= 80 (a patronymic or middle name on one list only does not split a person)."""
    if _sort_ratio_alike(a, b):
        return True
    return _words_alike(a, b) >= 2


def _all_words_alike(a: str, b: str) -> bool:
    """Three or more words of 3+ letters, and every such word of the shorter name, pair off
    with words of the other at ratio >= 85 (NASIR is not BASIR): brothers share a father's and a family name
    (Umar and Yasir Sabawi Ibrahim AL-TIKRITI), not a given name."""
    short = min(a, b, key=lambda n: len([w for w in n.split() if len(w) >= 3]))
    n = len([w for w in short.split() if len(w) >= 3])
    return n >= 3 and _words_alike(short, b if short is a else a, 85) >= n


def _words_alike(a: str, b: str, cutoff: float = 80) -> int:
    """How many words of 3+ letters of ``a`` pair off with words of ``b`` at ratio >=
    ``cutoff`` (particles such as al, bin, de are too short to count), x read as ks
    (ALEXANDER and ALEKSANDR are one spelling apart, not the 78 rapidfuzz gives as written)."""
    right = [w for w in b.replace("x", "ks").split() if len(w) >= 3]
    pairs = 0
    for w in a.replace("x", "ks").split():
        if len(w) < 3:
            continue
        best = max(right, key=lambda r: fuzz.ratio(w, r), default=None)
        if best is not None and fuzz.ratio(w, best) >= cutoff:
            right.remove(best)
            pairs += 1
    return pairs
