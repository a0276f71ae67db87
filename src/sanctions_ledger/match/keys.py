"""Comparison keys derived from general orthography (no list data).

* :func:`arabic_to_latin` — a letter table for the Arabic script (Arabic, Persian, Urdu,
  Pashto letters) used before the generic transliterator: ``ع`` and hamza carriers
  become vowels or nothing instead of punctuation (which split words), ta marbuta ``ة``
  becomes ``a``, Persian/Urdu letters get their usual romanisation.
* :func:`vowel_key` — the skeleton's consonants with every run of vowels kept as one
  placeholder: ``serhiy``/``sergei`` stay apart on ``h``/``g``, ``kusyuk``/``kusiuk``,
  ``dawud``/``daoud`` and ``alexei``/``aleksey`` agree, and ``maria``/``omar`` (same
  consonants, vowels elsewhere) no longer look alike.
* :func:`abjad_key` — for names written without short vowels: vowels and the long-vowel
  letters (w, y) dropped, and consonants that Arabic romanisations render alike merged
  (ض/د/ظ/ز/ذ as d/z/dh; ث/س/ص as s/th; ق/ك/گ as q/k/g; kh, gh, sh kept apart).
* :func:`voiceless_key` — the vowel key with voiced/unvoiced stops merged (b/p, d/t,
  g/k, j/ch): McCune-Reischauer and Wade-Giles write aspiration where other systems
  write voicing (``Cho'ng``/``Jong``, ``Pok``/``Bok``, ``Teng``/``Deng``).
"""

from __future__ import annotations

import re
from typing import TypeVar

__all__ = [
    "STOPWORDS",
    "abbreviation_keys",
    "abjad_gaps",
    "abjad_key",
    "abjad_shape",
    "acronyms",
    "arabic_to_latin",
    "other_spellings",
    "portmanteau",
    "remember_word",
    "romanisation_of",
    "run_acronyms",
    "syllable_keys",
    "voiced_as_written",
    "voiceless_key",
    "vowel_clash",
    "vowel_class_key",
    "vowel_key",
    "WORD_MEMO",
    "word_initials",
]

WORD_MEMO = 100_000
"""Words each memo of a word's keys (here and in :mod:`national`) holds before it is
emptied. The keys of a word are asked for on every token pair a query compares (a hundred
or more per query): a plain dict that mypyc reads inline, not an ``lru_cache``, whose call
from compiled code costs several times the lookup."""

_T = TypeVar("_T")


def remember_word(memo: dict[str, _T], token: str, value: _T) -> _T:
    """``value``, kept in ``memo`` for ``token`` (the memo emptied first when full)."""
    if len(memo) >= WORD_MEMO:
        memo.clear()
    memo[token] = value
    return value


# Arabic-script letters -> Latin (general romanisation practice; diacritics as vowels).
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ئ": "", "ؤ": "",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "a",
    # Persian, Urdu, Pashto, Kurdish letters
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y", "ە": "a", "ھ": "h",
    "ۀ": "a", "ہ": "h", "ۃ": "a", "ې": "e", "ۍ": "y", "ے": "e", "ځ": "z", "څ": "s",
    "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ڼ": "n", "ڵ": "l", "ڕ": "r",
    "ۆ": "o", "ێ": "e", "ڤ": "v", "ڭ": "ng", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n",
    # short-vowel marks (rarely written; used when present), shadda, sukun, tatweel
    "َ": "a", "ِ": "i", "ُ": "u", "ً": "", "ٌ": "", "ٍ": "", "ّ": "", "ْ": "", "ـ": "",
    "ٰ": "a",
}


def arabic_to_latin(word: str) -> str:
    """Romanise the Arabic-script letters of ``word`` (others are left as they are)."""
    out = []
    prev = ""
    for ch in word:
        rep = _ARABIC.get(ch)
        if rep is None:
            out.append(ch)
            prev = ch
            continue
        if ch == "ّ" and prev:  # shadda doubles the consonant
            out.append(prev)
            continue
        out.append(rep)
        prev = rep
    return "".join(out)


_VK_DIGRAPHS = (
    ("dzh", "j"), ("shch", "S"), ("tsch", "S"), ("sch", "S"), ("tch", "S"), ("sh", "S"), ("sz", "S"),
    ("ch", "S"), ("cz", "S"), ("zh", "S"), ("ts", "s"), ("tz", "s"), ("dj", "j"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"),
    ("x", "ks"), ("q", "k"), ("c", "k"), ("z", "s"),
)
_VOWELS = frozenset("aeiouy")


def _vowel_runs(s: str) -> str:
    return dedouble("".join("a" if ch in _VOWELS else ch for ch in s))


_SOFT_C = re.compile(r"c(?=[eiy])")


def soft_c(token: str) -> str:
    """``c`` before e, i, y is /s/ in the Romance and Western spellings (Lounici, Vincent)."""
    return _SOFT_C.sub("s", token) if "c" in token else token


_VOWEL_KEYS: dict[str, str] = {}


def vowel_key(token: str) -> str:
    """Consonants normalised as in the skeleton, each vowel run kept as one ``a``.

    ``w`` after a vowel is a vowel (``dawud``/``daoud``), otherwise ``v``; ``j`` after a
    vowel at the end of a word is ``i`` (``sergej``); a final ``h`` after a vowel is
    silent (``hamzah``/``hamza``).
    """
    found = _VOWEL_KEYS.get(token)
    return remember_word(_VOWEL_KEYS, token, _vowel_key_of(token)) if found is None else found


def _vowel_key_of(token: str) -> str:
    return _vowel_runs(_spelled_sounds(token))


def interdental_key(token: str) -> str:
    """The vowel key with ``dh`` read as ``z`` and ``th`` as ``s``, for tokens with either:
    Arabic ذ ظ and ث are dh and th in one romanisation and z and s in another, as Persian,
    Urdu and Turkish say them (KADHIM/KAZIM, UTHMAN/USMAN)."""
    return vowel_key(token.replace("dh", "z").replace("th", "s"))


def zh_key(token: str) -> str:
    """The vowel key with ``zh`` read as ``j``, for tokens with a ``zh``: Russian ж and
    Persian ژ are zh in English-style romanisation and j in French-style and common
    Persian spellings (Nezhad/Nejad, Zhukov/Jukov)."""
    return vowel_key(token.replace("zh", "j"))


_BY_V = re.compile(r"(?<=[aeiouy])u(?![aeiouy])|^u(?=l)")
_BY_DZ = re.compile(r"dz(?!h)")
_BY_H = re.compile(r"(?<![cskzgtpdh])h")


def slavic_key(token: str) -> str:
    """The vowel key of a Belarusian (or Ukrainian) romanisation read as the Russian one:
    u after a vowel is the consonant ў, v in Russian (ZUBKOU/ZUBKOV, YAUGEN/YEVGEN, and
    ULADZIMIR/VLADIMIR); dz is д (DZMITRY/DMITRY); h is г, g in Russian (SIARHEI/SERGEI,
    and the Russian г for an Arabic h: MAGOMED/MOHAMMED). The vowels differ too (яканне),
    but the vowel key merges them."""
    s = _BY_V.sub("v", token) if "u" in token else token
    if "dz" in s:
        s = _BY_DZ.sub("d", s)
    if "h" in s:
        # gh is not г in any Slavic romanisation: Arabic غ (GHASSAN is not HASSAN)
        s = _BY_H.sub("g", s.replace("gh", "G"))
    return vowel_key(s)


_RULES = ("zh", "interdental", "slavic")


_OTHER_SPELLINGS: dict[str, tuple[tuple[str, str], ...]] = {}


def other_spellings(token: str) -> tuple[tuple[str, str], ...]:
    """(rule, vowel key) of the other romanisations a Latin token may stand for, where they
    differ from its own vowel key: ``zh`` read as j (NEZHAD/NEJAD), ``interdental`` dh, th
    as z, s (KADHIM/KAZIM), and ``slavic``, a Belarusian or Ukrainian spelling read as the
    Russian one (SIARHEI/SERGEI, NAUMAU/NAUMOV). Retrieval files and looks up tokens under
    these keys too; the token similarity compares them rule by rule."""
    found = _OTHER_SPELLINGS.get(token)
    return remember_word(_OTHER_SPELLINGS, token, _other_spellings_of(token)) if found is None else found


def _other_spellings_of(token: str) -> tuple[tuple[str, str], ...]:
    own = vowel_key(token)
    out: list[tuple[str, str]] = []
    if "zh" in token:
        out.append(("zh", zh_key(token)))
    if "dh" in token or "th" in token:
        out.append(("interdental", interdental_key(token)))
    if len(token) >= 4 and ("h" in token or "u" in token or "dz" in token):
        out.append(("slavic", slavic_key(token)))
    return tuple(item for item in out if item[1] != own)


def romanisation_of(a: str, ka: str, b: str, kb: str) -> str:
    """The rule of :func:`other_spellings` under which tokens ``a`` and ``b`` (vowel keys
    ``ka``, ``kb``) are one name, or "": both read by the rule (a token it does not change
    standing as it is) give one key. GHASSAN read the Slavic way keeps its gh, so it is
    not HASSAN read that way."""
    ea, eb = other_spellings(a), other_spellings(b)
    if not ea and not eb:
        return ""
    ra, rb = dict(ea), dict(eb)
    for rule in _RULES:
        if (rule in ra or rule in rb) and ra.get(rule, ka) == rb.get(rule, kb):
            return rule
    return ""


def _vowel_class(run: str) -> str:
    """A vowel run with the spellings romanisations use for one sound merged: the
    diphthong ai, ay, ei or ey; o, u, ou or oo (Arabic and Persian have no o); ee and i."""
    if len(run) == 2 and run[0] in "ae" and run[1] in "iy":
        return "I"
    if run == "ee":  # the English spelling of a long i (AFEEF/AFIF, ZAREER/ZARIR)
        return "i"
    return "u" if run in ("o", "u", "ou", "oo") else run


_VOWEL_RUN = re.compile("[aeiouy]+")
_DIPHTHONGS = ("ai", "ay", "ei", "ey")


def vowel_class_key(token: str) -> str:
    """The consonants of the vowel key with each vowel run as written but for the merged
    spellings of :func:`_vowel_class`: ``sayf``/``seif`` and ``obeidi``/``ubaydi`` agree;
    ``tom``/``tim``, ``luis``/``luz`` do not."""
    return dedouble(_VOWEL_RUN.sub(lambda m: _vowel_class(m.group()), _spelled_sounds(token)))


def vowel_clash(a: str, b: str) -> bool:
    """Whether two tokens with one vowel key have a diphthong (ai, ay, ei, ey) where the
    other has a plain ``a`` (``husayn``/``hasan``, ``hussein``/``hassan``), or an i (ee)
    where the other has a u (o, ou, oo): ``hammud``/``hamid``, ``majud``/``majid`` are two
    names, the Arabic long vowels ī and ū two letters. (YUSIF/YUSUF, YUNIS/YUNUS, which are
    one name, stay near variants, 0.82.)"""
    ra = _VOWEL_RUN.findall(_spelled_sounds(a))
    rb = _VOWEL_RUN.findall(_spelled_sounds(b))
    return any(
        {_vowel_class(x), _vowel_class(y)} in _CLASHES for x, y in zip(ra, rb, strict=False)
    )


_CLASHES = ({"I", "a"}, {"i", "u"})


def _spelled_sounds(token: str) -> str:
    """The token with consonant digraphs as one letter, as :func:`vowel_key` reads it."""
    s = soft_c(token)
    if s[:2] == "ou" and len(s) > 3 and s[2] in "aei":
        s = "w" + s[2:]  # French for a w before a vowel: OUAZ/WAZ, OUALI/WALI
    if len(s) > 2 and s[-1] == "h" and s[-2] in _VOWELS:
        s = s[:-1]
    if len(s) > 2 and s[-1] == "j" and s[-2] in _VOWELS:
        s = s[:-1] + "i"
    for a, b in _VK_DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    if "w" in s:
        s = "".join(
            "u" if ch == "w" and i and s[i - 1] in _VOWELS else ("v" if ch == "w" else ch)
            for i, ch in enumerate(s)
        )
    return s


_VOICE = str.maketrans("bvdgj", "pptkS")


_VOICELESS_KEYS: dict[str, str] = {}


def voiceless_key(token: str) -> str:
    """The vowel key with b/p, d/t, g/k, j/ch merged, and v with b (Spanish b/v)."""
    found = _VOICELESS_KEYS.get(token)
    return remember_word(_VOICELESS_KEYS, token, _voiceless_key_of(token)) if found is None else found


def _voiceless_key_of(token: str) -> str:
    return dedouble(vowel_key(token).translate(_VOICE))


def voiced_as_written(token: str) -> str:
    """The token's sounds (digraphs as one letter) with voiced consonants unvoiced as in
    :func:`voiceless_key` and vowels as written: equal for tokens that differ only by
    voicing, digraphs included (Korean Chin/Jin; Don/Ton agree, Don/Tun do not)."""
    return dedouble(_spelled_sounds(token).translate(_VOICE))


_AB_DIGRAPHS = (
    ("dzh", "j"), ("kh", "K"), ("gh", "G"), ("sh", "S"), ("ch", "S"), ("zh", "Z"), ("th", "s"),
    ("dh", "d"), ("ph", "f"), ("ts", "s"), ("x", "ks"),
)
_AB_MAP = str.maketrans({
    "z": "d", "q": "k", "g": "k", "c": "k", "p": "b", "v": "f",
    "a": None, "e": None, "i": None, "o": None, "u": None, "y": None, "w": None,
})


def _abjad_letters(s: str) -> str:
    """``s`` as the abjad keys read it: a final h after a vowel dropped (hamzah/hamza),
    each digraph one letter."""
    if len(s) > 2 and s[-1] == "h" and s[-2] in "aeiouy":
        s = s[:-1]
    for a, b in _AB_DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    return s


_ABJAD_KEYS: dict[str, str] = {}


def abjad_key(token: str) -> str:
    """Consonant key for abjad comparison (see module docs): ``zakir``, ``dhakr`` -> ``dkr``."""
    found = _ABJAD_KEYS.get(token)
    return remember_word(_ABJAD_KEYS, token, _abjad_key_of(token)) if found is None else found


def _abjad_key_of(token: str) -> str:
    s = _abjad_letters(dedouble(soft_c(token)))
    # Doubled letters were one sound (collapsed above); letters merged into one class
    # were two sounds and stay two (mahmoudzadeh is not mhmd). Word-initial w and y are
    # consonants (و ي before a vowel: Wali, Yasin), not long vowels.
    if s[:1] in ("w", "y") and len(s) > 1:
        return s[0] + s[1:].translate(_AB_MAP)
    return s.translate(_AB_MAP)


def dedouble(s: str) -> str:
    """Collapse runs of one letter."""
    out: list[str] = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_SHAPE_MAP = str.maketrans({
    "z": "d", "q": "k", "g": "k", "c": "k", "p": "b", "v": "f",
    "a": "V", "e": "V", "i": "V", "o": "V", "u": "V", "y": "V", "w": "V",
})


_ABJAD_GAPS: dict[str, tuple[str, ...]] = {}


def abjad_gaps(token: str) -> tuple[str, ...]:
    """The vowel letters (a e i o u, and w, y after the first letter) around and between
    the consonants of :func:`abjad_key`: one string per gap, the first before the first
    consonant and the last after the last. Of a token romanised from Arabic script
    these are its long vowels, alif, ain, waw and ya; of a Latin token every vowel letter
    as written (``pouyan``: ``("", "ouya", "")``); a doubled letter once."""
    found = _ABJAD_GAPS.get(token)
    return remember_word(_ABJAD_GAPS, token, _abjad_gaps_of(token)) if found is None else found


def _abjad_gaps_of(token: str) -> tuple[str, ...]:
    s = _abjad_letters(dedouble(soft_c(token)))
    gaps: list[str] = []
    run: list[str] = []
    for i, ch in enumerate(s):
        if ch in "aeiou" or (ch in "wy" and i > 0):
            run.append(ch)
        else:
            gaps.append("".join(run))
            run = []
    gaps.append("".join(run))
    return tuple(gaps)


_ABJAD_SHAPES: dict[str, str] = {}


def abjad_shape(token: str) -> str:
    """The abjad key with each vowel run (and w, y) kept as ``V``: in Arabic script
    these are the long vowels, which a romanisation must also show (``lwnysy`` =
    ``lVnVsV`` is in ``lounici`` but not in ``lines``)."""
    found = _ABJAD_SHAPES.get(token)
    return remember_word(_ABJAD_SHAPES, token, _abjad_shape_of(token)) if found is None else found


def _abjad_shape_of(token: str) -> str:
    return dedouble(_abjad_letters(soft_c(token)).translate(_SHAPE_MAP))


STOPWORDS = frozenset(
    "of and the for de del la las los el y e et des du le les da do dos das di der und "
    "fur am an in on to por para pour per con sur au aux".split()
)
"""Function words that acronyms and syllable abbreviations usually skip."""


def portmanteau(short: str, words: tuple[str, ...]) -> tuple[int, ...] | None:
    """Indexes of ``words`` whose leading letters, in order, spell ``short``.

    Covers acronyms (``nioc`` = National Iranian Oil Company) and syllabic abbreviations
    (``cobienes`` = COmercializadora de BIENES, ``vallecom``). At least two words must
    contribute; words may be skipped (they stay unmatched and lower the coverage the
    caller computes); the earliest spelling wins. Returns the contributing indexes.
    """
    n = len(words)
    if len(short) < 2 or n < 2:
        return None

    memo: dict[tuple[int, int], tuple[int, ...] | None] = {}

    def go(pos: int, j: int) -> tuple[int, ...] | None:
        if pos == len(short):
            return ()
        key = (pos, j)
        if key in memo:
            return memo[key]
        best: tuple[int, ...] | None = None
        for k in range(j, n):
            w = words[k]
            m = 0
            while m < len(w) and pos + m < len(short) and w[m] == short[pos + m]:
                m += 1
            for take in range(m, 0, -1):
                rest = go(pos + take, k + 1)
                if rest is not None:
                    best = (k, *rest)
                    break
            if best is not None:
                break
        memo[key] = best
        return best

    if short[0] not in {w[0] for w in words}:
        return None
    res = go(0, 0)
    if res is None or len(res) < 2:
        return None
    return res


_COMPANY_WORDS = frozenset({"company", "companies", "corporation", "corp", "co"})


def syllable_keys(tokens: tuple[str, ...]) -> list[str]:
    """Keys under which an organisation name is found by its syllable abbreviations: per
    two consecutive significant words, the first two letters of each (COLOMBO PERUANA DE
    TEJIDOS: ``cope``, ``pete``), what an abbreviation such as COPETE starts with when
    they are its first two words (:func:`abbreviation_keys` gives the query's side)."""
    sig = [t for t in tokens if t not in STOPWORDS and t.isalpha() and len(t) >= 2]
    return list(dict.fromkeys(a[:2] + b[:2] for a, b in zip(sig, sig[1:], strict=False)))


def abbreviation_keys(token: str) -> list[str]:
    """The :func:`syllable_keys` a token would carry if it were a syllable abbreviation
    whose first word gave it two letters or more: its first two letters and two letters
    where the second word may start (COPETE: ``cope``, ``coet``, ``cote``)."""
    return list(dict.fromkeys(token[:2] + token[m:m + 2] for m in range(2, len(token) - 1)))


def word_initials(tokens: tuple[str, ...]) -> tuple[str, str]:
    """The first letters of a name's words (letters only), of all of them and of its
    significant ones (function words skipped): what acronyms are made of."""
    words = [t for t in tokens if t.isalpha()]
    return "".join(t[0] for t in words), "".join(t[0] for t in words if t not in STOPWORDS)


def run_acronyms(tokens: tuple[str, ...]) -> list[str]:
    """Initials of every run of 4 to 6 consecutive significant words of a name: an
    acronym may stand for part of it (ISLAMIC REVOLUTION GUARDS CORPS GROUND FORCE holds
    ``irgc``; GLAVNOYE UPRAVLENIE VNUTRENNIKH DEL MINSKOVO ..., ``guvd``). Not of three:
    three letters spell some part of most long names (SPP, CEC). Function words are
    skipped, and also kept (the Russian DEL of GUVD is the Spanish DEL)."""
    every, significant = word_initials(tokens)
    out: dict[str, None] = {}
    for heads in (significant, every):
        for n in range(4, 7):
            for i in range(len(heads) - n + 1):
                out[heads[i:i + n]] = None
    return list(out)


def acronyms(tokens: tuple[str, ...], legal_forms: tuple[str, ...]) -> tuple[str, ...]:
    """Initials of a name's significant words (3-8 letters), also with a trailing C for
    a company word ("National Iranian Oil Company" -> ``nio``, ``nioc``)."""
    base = word_initials(tokens)[1]
    if len(base) < 2 or len(base) > 8:
        return ()
    out = [base]
    if _COMPANY_WORDS.intersection(legal_forms):
        out.append(base + "c")
    return tuple(a for a in out if 3 <= len(a) <= 8)
