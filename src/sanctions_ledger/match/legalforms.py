"""Russian, Bulgarian, Ukrainian and Belarusian legal forms written by an EU national
convention.

rigour's org-type table knows these legal forms in the English-style romanisation
(PUBLICHNOE AKTSIONERNOE OBSHCHESTVO, AKTSIONERNO DRUZHESTVO, TOVARYSTVO Z OBMEZHENOYU
VIDPOVIDALNISTYU), so a name written in Cyrillic, transliterated on the way in, has its legal
form found. The EU's language versions write the same words by their own conventions:
German PUBLITSCHNOJE AKZIONERNOJE OBSCHTSCHESTWO, Italian PUBLICNOE AKZIONERNOE OBSCESTVO,
Hungarian AKCIONERNOJE OBSCSESZTVO, Polish AKCJONIERNOJE OBSZCZESTWO. Read as written they
are three words that the other side lacks, and they can even make the name of another
company written with the same legal form the better match.

:func:`read_legal_words` rewrites each word that is one of these legal-form words to the
table's spelling, so that rigour finds the form. A word is one of them when its *loose key*
is the word's: its consonants with every sibilant and affricate spelling (s, z, c, sh, sch,
tsch, cs, sz, cz, zs, ts, ...) one class, w as v, j and y dropped (the iotation and й that
conventions write apart), doubles collapsed, and the vowels of its ending kept (PUBLICHNOE,
Russian, and PUBLICHNO, Bulgarian, stay apart). The words are those of rigour's forms; a
word rewritten only matters where rigour then finds a whole form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sanctions_ledger.match.keys import dedouble

_WORDS = (
    # Russian
    "publichnoe", "nepublichnoe", "aktsionernoe", "obshchestvo", "zakrytoe", "otkrytoe",
    "ogranichennoy", "otvetstvennostyu", "gosudarstvennoe", "unitarnoe", "predpriyatie",
    "avtonomnaya", "nekommercheskaya", "organizatsiya",
    # Bulgarian
    "publichno", "aktsionerno", "druzhestvo", "ednolichno", "ogranichena", "otgovornost",
    # Ukrainian
    "publichne", "aktsionerne", "tovarystvo", "obmezhenoyu", "vidpovidalnistyu", "pryvatne",
    "pidpryiemstvo",
    # Belarusian
    "tavarystva", "abmezhavanay", "adkaznastsyu",
)
_SIBILANT = re.compile(r"shch|tsch|sch|sh|zh|ch|cs|cz|sz|zs|tz|ts|[szcç]")
_ENDING = re.compile(r"[aeiouy]+$")


@lru_cache(maxsize=100_000)
def loose_key(word: str) -> str:
    """The word's consonants in classes, with the vowels of its ending (see the module)."""
    m = _ENDING.search(word.replace("j", ""))
    ending = m.group(0).replace("y", "") if m else ""
    s = _SIBILANT.sub("S", word.replace("w", "v").replace("kh", "k"))
    return f"{dedouble(re.sub(r'[aeiouyj]', '', s))}|{ending}"


_BY_KEY: dict[str, str] = {}
for _w in _WORDS:
    _BY_KEY.setdefault(loose_key(_w), _w)


def read_legal_words(tokens: list[str]) -> list[str] | None:
    """``tokens`` with each legal-form word written by a national convention in the
    table's spelling, or None if none is (see the module)."""
    out: list[str] = []
    changed = False
    for tok in tokens:
        word = _BY_KEY.get(loose_key(tok)) if len(tok) >= 5 else None
        if word is not None and word != tok:
            out.append(word)
            changed = True
        else:
            out.append(tok)
    return out if changed else None
