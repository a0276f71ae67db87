"""Korean names in their two romanisations: McCune-Reischauer (the DPRK's and most lists'
RI CH'OL-SO'NG, PAK IL KYU) against the Revised Romanisation and everyday spellings (RI CHEOL
SEONG, PAK IL GYU, JO YONG CHOL for CHO YONG CHOL).

The two write one syllable's initial consonant voiced or not (JO/CHO, GYU/KYU, DAE/TAE), its
vowel ŏ as O, EO or U (CHOL/CHEOL/CHUL), and the surname 리 as RI or LI. Between short
words of other languages these are other names (DON/TON, GO/KO), so the likeness holds only
between two names that are both Korean by their shape: two words or more, each one or two
syllables of the romanisations, one of them a Korean surname.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["KOREAN_SIM", "korean_key", "korean_name"]

KOREAN_SIM = 0.88
"""Two words that are one Korean syllable (or two) in two romanisations: as alike as a
transliteration."""

_SURNAMES = frozenset(
    "kim ri yi lee li pak park bak choe choi chong jong jeong kang han yun yoon oh jang chang "
    "sin shin ryu yu hwang ahn song hong jon jeon chon cho jo mun moon kwon ko nam rim im "
    "paek baek hyon hyun kye yang tong jin ju chu cha ha ro no kil gil sok seok pyon byon "
    "pyun ok kal chi ji".split()
)
"""Korean surnames as the lists and the two romanisations write them (RI, LI and YI are 리/이;
CHOE and CHOI 최; PAK, PARK and BAK 박)."""

_INITIAL = "(?:kk|tt|pp|ss|jj|tch|ch|sh|k|g|n|d|t|r|l|m|b|p|s|j|h|y|w)?"
_VOWEL = "(?:yae|yeo|wae|yeu|ae|ya|eo|eu|ye|wa|oe|oi|yo|wo|we|wi|yu|ui|a|e|o|u|i)"
_FINAL = "(?:ng|k|n|l|m|p|t|r)?"
_SYLLABLE = _INITIAL + _VOWEL + _FINAL
_SHAPE = re.compile(f"^{_SYLLABLE}(?:{_SYLLABLE})?$")

_READINGS = (
    ("tch", "c"), ("jj", "c"), ("ch", "c"), ("j", "c"),
    ("kk", "k"), ("tt", "t"), ("pp", "p"), ("ss", "s"), ("sh", "s"),
    ("ng", "N"), ("g", "k"), ("d", "t"), ("b", "p"), ("r", "l"),
    ("yeo", "yo"), ("yu", "Y"), ("eo", "o"), ("eu", "o"), ("u", "o"),
    ("oi", "oe"), ("we", "oe"),
)
"""One syllable's sounds, as both romanisations may write them, to one spelling: initials
voiced or not (j/ch, g/k, d/t, b/p), r/l, the vowels ŏ (o, eo, u), ŭ (eu, u) and u merged,
yŏ (yo, yeo) and yo merged; yu stays itself (YUN is no YON)."""


@lru_cache(maxsize=50_000)
def korean_key(token: str) -> str | None:
    """The spelling both romanisations of a Korean word of one or two syllables come to
    (``jo`` and ``cho``: ``co``); None for a word of another shape."""
    if len(token) > 12 or not _SHAPE.match(token):
        return None
    key = token
    for spelled, read in _READINGS:
        if spelled in key:
            key = key.replace(spelled, read)
    return key


@lru_cache(maxsize=50_000)
def korean_name(tokens: tuple[str, ...]) -> bool:
    """Whether a name's words are all of a Korean name's shape, two or more, one a surname."""
    return (
        len(tokens) >= 2 and any([t in _SURNAMES for t in tokens])
        and all([korean_key(t) is not None for t in tokens])
    )
