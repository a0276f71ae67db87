"""Token against token: how alike two words of two names are, and why.

:func:`token_similarity` compares two ASCII tokens (with their skeletons and abjad flags)
and names the kind of likeness it found: equal, an initial, a transliteration (same
vowel key or skeleton), voicing, a look-alike, an abbreviation, a gendered surname form,
or a plain edit similarity, stretched so that a distant spelling is weak evidence. The
alignment of whole names is :mod:`names`.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz.distance import Indel, LCSseq

from sanctions_ledger.match.keys import (
    _VOWELS,
    abjad_gaps,
    abjad_key,
    abjad_shape,
    dedouble,
    romanisation_of,
    voiced_as_written,
    voiceless_key,
    vowel_clash,
    vowel_class_key,
    vowel_key,
)
from sanctions_ledger.match.national import (
    final_y_apart,
    heavy_marks,
    national_of,
    national_spellings,
    near_as_i,
    read_alike,
    read_as_key,
    reading_best,
)

__all__ = [
    "MIN_TOKEN_SIM",
    "IndexWeights",
    "PARTICLES",
    "contracted_far",
    "given_gender_forms",
    "is_word",
    "length_weight",
    "patronymic",
    "token_similarity",
    "vowels_dropped",
]

MIN_TOKEN_SIM = 0.72
"""Below this two tokens are different words, not spellings of one word."""
INITIAL_SIM = 0.85
TRANSLIT_SIM = 0.94
ABBREV_SIM = 0.85
"""IMP/IMPORT, IND/INDUSTRIES: a written-out word's first letters."""
FUZZY_FULL = 0.92
FUZZY_STRETCH = 2.0
"""Spelling-only similarity s < FUZZY_FULL counts as s - FUZZY_STRETCH * (FUZZY_FULL - s):
a spelling three letters off is weak evidence, not three quarters of a match."""
FUZZY_STRETCH_SHORT = 3.0
SHORT_WORD = 7
"""The stretch when the shorter word has at most SHORT_WORD letters: the same ratio means
fewer letters in common (RULLI/RUMULI, 0.73: 0.35 at 2, 0.15 at 3). Longer words keep 2
(the Belarusian and Russian ULADZIMIR/VLADIMIR, 0.78: 0.5)."""
YO_SIM = 0.91
"""PJOTR/PETR: what PYOTR/PETR scores as a transliteration (:func:`_yo_read`)."""
VOICE_SIM = 0.8
"""Cho'ng/Jong, Pok/Bok: aspiration-marking systems against voicing ones."""
_UNVOICE = str.maketrans("bvdgz", "pptks")
"""Voiced consonants to their voiceless partners (b and v both to p: Spanish b/v)."""
NATIONAL_READING_MIN = 0.75
"""A pair whose letters are further apart than ALT_SPELLING_MIN is one name written by an EU
national convention when one token, read back the English way under the convention, is
this close to the other (ZARJOW read as TSARYOV against TSAROV, 0.92): a loose reading
would make a Korean SUNG, read as Hungarian (s is ш), CHANG (SHUNG against CHANG, 0.6)."""
NATIONAL_EXACT = 0.95
"""A national reading this close to the other token (the same word, or one letter off in a
long one) counts as that word at TRANSLIT_SIM, whatever the letters as written."""
NATIONAL_LETTERS_MIN = 0.4
"""...and when the letters as written still agree this much (ZEKOW/TSEKOV 0.55, ZARJOW/TSAROV
0.5): a convention rewrites a few letters, not a word (and most pairs compared are two
different words, under 0.4, that need no reading)."""
NATIONAL_LONG = 7
"""Two words are one when a national reading of one is the other word itself though the
vowel key already agrees (German KOSIZYN, KOZITSYN), or when readings of each by two
conventions are the same (German MIKALAJEWITSCH, Swedish MIKALAJEVITJ), if both have this
many letters at least: short words so read are as often two names (German SAKI is ZAKI)."""
NATIONAL_FAR_LEN = 6
"""...or, whatever the letters as written, when one is written the German or Dutch way (sch,
tsj, which with w, z for ц and oe can rewrite most of a word: German SCHIWIZA, Dutch
TSJOETSJIN for CHUCHIN), a reading of one has the other's vowel key,
and both have this many letters (German SCHIWIZA and ZHYVITSA share 0.38 as written; read
back, ZHIVITSA, 0.88): the reading is still held to NATIONAL_READING_MIN. Only then: most
pairs compared share under 0.4, and asking each for its readings costs 3% of the speed."""
ALT_SPELLING_MIN = 0.55
"""Below this edit similarity two tokens are not compared as other romanisations of one
name (zh/j, dh/z, Belarusian/Russian): SIARHEI/SERGEI is 0.62, and most pairs compared are
far lower (a cheap test before the keys)."""
EAST_SLAVIC_SIM = 0.9
"""A Belarusian romanisation and the Russian one of the same name (SIARHEI/SERGEI)."""
LOOKALIKE_SIM = 0.9
"""Tokens equal once rn is read as m, the look-alike that OCR and evasion produce."""
VOWEL_DROP_SIM = 0.94
"""MHMMD/MUHAMMAD, CRR/CORREA: a word with (some of) its vowels left out and nothing else
changed, three consonants or more: deliberate evasion, as strong as a one-letter typo."""
VOWEL_DROP_CONSONANTS = 3
"""A shorter consonant skeleton (RZ for RUIZ, JN for JUAN) fits too many words to be
strong evidence: written without any vowel, it is weak evidence (VOWEL_DROP_SHORT_SIM)."""
VOWEL_DROP_SHORT_SIM = 0.75
GENDER_SIM = 0.45
"""Kolesnikova/Kolesnikov are different people far more often than a typo."""

# Slavic and Baltic surname pairs that differ only by grammatical gender: (female, male).
_GENDER_SUFFIXES = (
    ("ova", "ov"), ("eva", "ev"), ("yova", "yov"), ("ina", "in"), ("yna", "yn"),
    ("skaya", "sky"), ("skaya", "skiy"), ("skaya", "skii"), ("skaja", "skij"),
    ("ska", "ski"), ("tskaya", "tsky"), ("aya", "iy"), ("aya", "y"), ("ova", "ovs"),
    ("iene", "ius"), ("aite", "as"), ("yte", "is"),
)


_PATRONYMIC = ("vich", "vych", "vna", "ovna", "evna", "ichna", "ogly", "oglu", "kyzy", "qizi")
PATRONYMIC_FACTOR = 0.5
"""Patronymics are shared by everyone with the same father's name: they say less."""


PARTICLES = frozenset(
    "al el ul ad ed ar as at az bin ibn ben bint abu abou bou ould de da di do du des del "
    "della dos la le van von der den ter mc the of and for y et und va ve".split()
)
"""Articles, kinship particles and conjunctions: part of the name, but they identify no
one (THE, AND: written in one list's version of an organisation's name, not another's)."""
PARTICLE_FACTOR = 0.4


def is_word(token: str) -> bool:
    """Whether a token is a word that names someone: not an initial, not a particle."""
    return len(token) > 1 and token not in PARTICLES


def patronymic(token: str) -> bool:
    return len(token) >= 7 and token.endswith(_PATRONYMIC)


class IndexWeights:
    """The weigher of an index: an indexed token's weight (IDF, from ``weights`` by its id
    in ``vocab``), the length weight of any other. A callable object rather than a
    method of the (uncompiled) index: the scorer calls it for every token it weighs, and
    compiled it is a native call."""

    def __init__(self, vocab: dict[str, int], weights: list[float]) -> None:
        self.vocab = vocab
        self.weights = weights

    def __call__(self, token: str) -> float:
        tid = self.vocab.get(token)
        return length_weight(token) if tid is None else self.weights[tid]


def length_weight(token: str) -> float:
    """Weight of a token when no index statistics are known: longer says more."""
    n = len(token)
    if token in PARTICLES:
        return 0.6 * PARTICLE_FACTOR
    if n <= 1:
        return 0.3
    if n <= 2:
        return 0.6
    w = min(1.0 + (n - 3) * 0.12, 1.8)
    return w * PATRONYMIC_FACTOR if patronymic(token) else w


def _subsequence(short: str, long_: str) -> bool:
    """SHPG in SHIPPING, MHMMD in MUHAMMAD, MOHD in MOHAMED: letters dropped, none added,
    order kept, at most one vowel left (an abbreviation drops vowels first: BEAN is not
    one of BENJAMIN), and the last letter kept, as a contraction keeps it (LTD, INTL,
    MOHD), or the last consonant, the final vowels dropped with the others (OJD for
    OJEDA); JONG is not one of JEONGJA, nor SONG of SEONGHO: they are other names."""
    if sum([1 for ch in short if ch in "aeiou"]) > 1 or (
        short[-1] != long_[-1] and short[-1:] != long_.rstrip("aeiou")[-1:]
    ):
        return False
    it = iter(long_)
    return all(ch in it for ch in short) and len(short) * 2 >= len(long_)


_NO_VOWELS = str.maketrans("", "", "aeiou")


def vowels_dropped(short: str, long_: str) -> bool:
    """Whether ``short`` is ``long_`` with one or more of its vowels (a e i o u) left out
    and nothing else changed, not only at its end, keeping VOWEL_DROP_CONSONANTS consonants
    or more (CRR for CORREA, JHN for JHON, CSTRO for CASTRO; not SR for SERNA, nor KRISTIN
    for KRISTINA), and no vowel left inside: one vowel of several dropped is another
    name or another romanisation (LANG and LIANG, JONG and JEONG), not a word written
    without its vowels; but an initial vowel alone may go (BRAHIM, the Maghreb spelling
    of IBRAHIM)."""
    n = len(short)
    if (n < VOWEL_DROP_CONSONANTS or n >= len(long_) or long_.startswith(short)
            or (any(ch in "aeiou" for ch in short[1:-1]) and short != long_[1:])):
        # (a final vowel cut off is a suffix, not a vowel dropped: KRISTIN/KRISTINA)
        return False
    i = 0
    for ch in long_:
        if i < n and short[i] == ch:
            i += 1
        elif ch not in "aeiou":
            return False
    return i == n and sum([1 for ch in short if ch not in "aeiou"]) >= VOWEL_DROP_CONSONANTS




def given_gender_forms(a: str, b: str) -> bool:
    """Whether two person-name tokens are the male and female forms of one given name: a
    final -a added to a stem of three letters or more ending in a consonant (JAN/JANA,
    PAUL/PAULA, DANIEL/DANIELA, ALEKSANDR/ALEKSANDRA, KARIM/KARIMA), or a final -o and -a
    after one stem of three letters or more not ending in k (MARIO/MARIA, CARLO/CARLA,
    ANTONIO/ANTONIA).
    One or two letters apart, and two people (issue 22 item 6). Not asked of a surname
    written before a comma (ALBA, NURA are no one's female form)."""
    la, lb = len(a), len(b)
    if la == lb:
        # (not after k: the Belarusian -enka is the Ukrainian and Russian -enko, LUKASHENKA)
        return (
            la >= 4 and a[-1] != b[-1] and a[-1] in "ao" and b[-1] in "ao" and a[-2] != "k"
            and a[:-1] == b[:-1]
        )
    if la > lb:
        a, b, la, lb = b, a, lb, la
    # (a patronymic with -a is its genitive, GENNADEVICHA: not a female form)
    return (
        lb == la + 1 and la >= 3 and b[-1] == "a" and a[-1] not in "aeiouy" and b.startswith(a)
        and not patronymic(a)
    )


def contracted_far(a: str, b: str) -> bool:
    """Whether the shorter of two person-name tokens, not a prefix of the longer, leaves out
    a consonant of it (doubles counted once) other than a repeat of one it keeps: a person's
    name is contracted by its vowels (MHMMD for MUHAMMAD; CZRS for CAZARES) and at most the
    second of a repeated consonant (MOHD for MOHAMMAD); a short word sharing three or four
    letters with a longer name is another name (BERN/BELTRAN, SERZ/SHERBAZ, LART/LAURENT,
    HARN/HARDAN: a surname or given name with its middle rewritten). Organisation words keep
    their abbreviations (INTL, BROS, SHPG)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if long_.startswith(short):
        return False
    kept = dedouble(short.translate(_NO_VOWELS))
    left = dedouble(long_.translate(_NO_VOWELS))
    if len(left) - len(kept) > 1:
        return True
    if len(left) == len(kept):
        return False
    missing = Counter(left) - Counter(kept)
    return not all(ch in kept for ch in missing)


def _bare_consonants(short: str, long_: str) -> bool:
    """Two consonants and no vowel, ``long_`` with its vowels (not only a final one) left out:
    RZ for RUIZ, LN for LEON."""
    if len(short) != 2 or len(long_) <= 2 or long_.startswith(short) or any(
        ch in "aeiou" for ch in short
    ):
        return False
    return long_.translate(_NO_VOWELS) == short


def _gendered(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 3 or a[:3] != b[:3]:
        return False
    for fem, masc in _GENDER_SUFFIXES:
        if (
            a.endswith(fem) and b.endswith(masc) and a[: -len(fem)] == b[: -len(masc)]
        ) or (b.endswith(fem) and a.endswith(masc) and b[: -len(fem)] == a[: -len(masc)]):
            return len(a) - len(fem) >= 3
    return False


ABJAD_SHORT_SIM = 0.9
"""A one-consonant abjad token whose long-vowel shape agrees (abw/abu, aly/ali)."""
ABJAD_VOWELS_OTHERWISE = 0.85
"""The factor on the consonant similarity of an abjad token and a romanisation with the
same consonants whose vowels do not show its long vowels (:func:`long_vowels_shown`)."""


def _shape_cover(a: str, va: bool, b: str, vb: bool) -> float:
    """How much of the abjad side's long-vowel shape the other token shows, as a factor
    in [0.7, 1]: Arabic-script long vowels (w, y, alif) must appear in a romanisation,
    its short vowels need not."""
    sa, sb = abjad_shape(a), abjad_shape(b)
    cover = 1.0
    if va:
        cover = LCSseq.similarity(sa, sb) / max(1, len(sa))
    if vb:
        cover = min(cover, LCSseq.similarity(sa, sb) / max(1, len(sb)))
    return 0.7 + 0.3 * cover


def _moved_vowel(ka: str, kb: str) -> bool:
    """Whether two vowel keys with one skeleton differ by an initial vowel that the other
    has inside instead (AHMAD/HAMAD): not the vowel dropped (IBRAHIM/BRAHIM)."""
    return (ka[0] == "a") != (kb[0] == "a") and ka.count("a") == kb.count("a")


def token_similarity(
    a: str, sa: str, va: bool, b: str, sb: str, vb: bool
) -> tuple[float, str]:
    """Similarity of two ASCII tokens (with skeletons and abjad flags) and its kind."""
    if a == b:
        return 1.0, "="
    if len(a) == 1 or len(b) == 1:
        return (INITIAL_SIM, "initial") if a[0] == b[0] else (0.0, "")
    if not (a.isalpha() and b.isalpha()):
        # A number in a name is an identifier (YARD NO. 455 is not 456): equal or not
        # at all (14 and FOURTEEN agree through rigour's numeric symbols).
        return 0.0, ""
    if not (va or vb) and len(a) != len(b) and (
        vowels_dropped(a, b) if len(a) < len(b) else vowels_dropped(b, a)
    ):
        return VOWEL_DROP_SIM, "vowels dropped"
    if not (va or vb) and (len(a) == 2) != (len(b) == 2) and (
        _bare_consonants(a, b) if len(a) == 2 else _bare_consonants(b, a)
    ):
        return VOWEL_DROP_SHORT_SIM, "vowels dropped"
    if ("rn" in a or "rn" in b) and a.replace("rn", "m") == b.replace("rn", "m"):
        return LOOKALIKE_SIM, "look-alike"  # rn for m (HARNID/HAMID): OCR, or evasion
    if a[:3] == b[:3] and (a[-1] in "ae" or b[-1] in "ae") and _gendered(a, b):
        return GENDER_SIM, "gender form"
    r = Indel.normalized_similarity(a, b)
    ka, kb = vowel_key(a), vowel_key(b)
    if ka != kb and not (va or vb) and ("jo" in a) != ("jo" in b) and _yo_read(a, b):
        # Russian ё after a consonant, jo in German, Dutch, Scandinavian and Czech
        # romanisations and e in Russian passports (PJOTR/PETR, SEMJON/SEMEN, ARTJOM/ARTEM):
        # two readings of one letter, as PYOTR/PETR is
        return YO_SIM, "translit"
    if ka != kb and r >= ALT_SPELLING_MIN and not (va or vb):
        # Other romanisations of one letter (a pair further apart is not one word):
        # NEZHAD/NEJAD, KADHIM/KAZIM are transliterations, SIARHEI/SERGEI East Slavic.
        rule = romanisation_of(a, ka, b, kb)
        if rule == "slavic":
            return max(r, EAST_SLAVIC_SIM), "slavic"
        if rule:
            ka = kb
        elif national_of(a, ka, b, kb):
            # (or an EU national romanisation of a Cyrillic name: LUKASJENKO/LUKASHENKO);
            # one read back as the very other word is that word, however little the two
            # share as written: German TSCHISCHOW read as CHIZHOV (0.59, and a skeleton of
            # two letters), Italian CHERIMOV as KERIMOV. No closer than a transliteration,
            # and only read back exactly: ROSA read as Hungarian (s is ш) is ROSHA, not ROCHA
            near_a, read_a = reading_best(a, b, kb)
            near_b, read_b = reading_best(b, a, ka)
            if (
                max(near_a, near_b) >= NATIONAL_READING_MIN
                or min(len(a), len(b)) >= NATIONAL_LONG
                or near_as_i(read_a, b, NATIONAL_READING_MIN)
                or near_as_i(read_b, a, NATIONAL_READING_MIN)
            ):
                # (the keys agree, but in a short word a reading this far from the other
                # word as spelt, y and i taken as one, is no reading of it: Czech CAMARA
                # read as CHAMARA is no SHAMMARI, Korean YEONGJIN read as YEONGYIN no
                # YONGAN, but KAJDA read as KAYDA is QAIDA; a long one keeps the key's
                # word, as the Polish TUNEZYJSKA is the Bulgarian TUNIZIISKA)
                ka = kb
            if max(near_a, near_b) >= NATIONAL_EXACT:
                r = max(r, TRANSLIT_SIM)
            elif final_y_apart(read_a, b) or final_y_apart(read_b, a):
                # or read back the other word but for a final й, which English forms of a
                # name write or not (German JURIJ is YURIY; YURI, YURIY and YURY are one
                # name): compared as read back (0.89), not as written (0.67). No other
                # letter: a short word a letter apart is another name (JIAN read as YIAN
                # is not YAN), and a letter for another too (ROSA read as Hungarian is
                # ROSHA, not ROCHA)
                r = max(r, near_a, near_b)
            # and a diphthong as the reading spells it: Swedish MICHAJLOV read back is
            # MIKHAYLOV, with MIKHAILOV's diphthong, not a plain a against it (0.82). Only
            # that: the reading's other vowels would make ROSA (Hungarian ROSHA) ROCHA
            if vowel_clash(a, b):
                if read_a and not vowel_clash(read_a, b):
                    a = read_a
                elif read_b and not vowel_clash(a, read_b):
                    b = read_b
    elif ka != kb and not (va or vb) and (
        r >= NATIONAL_LETTERS_MIN
        or (min(len(a), len(b)) >= NATIONAL_FAR_LEN and heavy_marks(a + b)
            and read_as_key(a, kb, b, ka))
    ):
        # A national romanisation can rewrite most of a short word's letters (German
        # ZARJOW for TSAROV, ZEKOW for TSEKOV): compared as read back, the English way
        # (TSARYOV against TSAROV), not letter for letter.
        near = max(reading_best(a, b, kb)[0], reading_best(b, a, ka)[0])
        if near >= NATIONAL_READING_MIN:
            ka, r = kb, near
    if (
        ka != kb and r >= NATIONAL_LETTERS_MIN and not (va or vb)
        and min(len(a), len(b)) >= NATIONAL_LONG and read_alike(a, b)
    ):
        # one name by neither rule above, but each written by another convention: German
        # MIKALAJEWITSCH and Swedish MIKALAJEVITJ are both MIKALAYEVICH read back
        return TRANSLIT_SIM, "translit"
    same = _same_sounds(a, sa, va, b, sb, vb, ka, kb, r)
    if same is not None:
        return same
    if va or vb:
        r = _abjad_similarity(a, va, b, vb, r)
    else:
        if len(sa) >= 4 and len(sb) >= 4:
            r = max(r, 0.85 * Indel.normalized_similarity(sa, sb))
        if ka != kb and len(ka) >= 3 and voiceless_key(a) == voiceless_key(b):
            if r < FUZZY_FULL and _voiced_alike(a, b):
                # Sound for sound the same but for voicing (TROVER/TROBER, Pong/Bong,
                # Chin/Jin): a set value, not an edit similarity, so not stretched.
                return VOICE_SIM, "voicing"
            if len(ka) >= 4:
                # Not for three sounds: with vowels merged, DON, TIN and TAN agree.
                r = max(r, VOICE_SIM)
    return _spelling_similarity(a, va, b, vb, r)


def _yo_read(a: str, b: str) -> bool:
    """Whether the token with a jo after a consonant is the other with that jo read as
    Russian ё is in a passport, e (FJODOR is FEDOR; FYODOR, the English reading, is a
    national reading already). Only the whole word: ARJONA is no ARANA."""
    w, other = (a, b) if "jo" in a else (b, a)
    for i in range(1, len(w) - 1):
        if w[i] == "j" and w[i + 1] == "o" and w[i - 1] not in _VOWELS:
            if other == w[:i] + "e" + w[i + 2:]:
                return True
    return False


def _same_sounds(
    a: str, sa: str, va: bool, b: str, sb: str, vb: bool, ka: str, kb: str, r: float
) -> tuple[float, str] | None:
    """The likeness of two spellings of the same sounds (a transliteration), decided by
    their vowel keys ``ka``/``kb`` or, failing those, their skeletons; None when neither
    says the tokens are one word (``r``: their edit similarity)."""
    if ka == kb and len(ka) >= 3:
        if r < TRANSLIT_SIM and min(len(a), len(b)) >= NATIONAL_LONG and (
            b in national_spellings(a) or a in national_spellings(b)
        ):
            # one read back by an EU national convention is the other word itself: German
            # KOSIZYN (s is з, z is ц) is KOZITSYN, which the vowel key does not tell from
            # it, but whose letters (0.8) made it a looser transliteration
            return TRANSLIT_SIM, "translit"
        # Same consonants and vowel positions: a spelling of the same sounds, unless a
        # diphthong stands for a plain a (HUSAYN/HASAN): then a near variant at most.
        if vowel_clash(a, b):
            if r >= 0.6:
                return max(r, 0.7 + 0.15 * r), "vowel"
        elif len(sa) >= 3:
            return max(r, TRANSLIT_SIM - 0.1 * (1.0 - r)), "translit"
        elif r >= 0.7 or vowel_class_key(a) == vowel_class_key(b) or (
            _french_vowels(a) == _french_vowels(b)
        ):
            return max(r, 0.7 + 0.15 * r), "translit"
        return None
    if sa == sb and len(sa) >= 2 and (
        va or vb or ((a[-1] in _VOWELS) == (b[-1] in _VOWELS) and not _moved_vowel(ka, kb))
    ):
        # (between Latin spellings a final vowel against none is a suffix, AHMADI/AHMAD,
        # and an initial vowel moved inside is another name, AHMAD/HAMAD)
        # Same consonant skeleton, vowels elsewhere: likely a variant if long enough.
        if len(sa) >= 4:
            return max(r, TRANSLIT_SIM - 0.04 - 0.15 * (1.0 - r)), "translit"
        if r >= 0.7 and not _initial_vowel_added(a, b):
            return max(r, 0.72 + 0.2 * r), "translit"
    return None


def _initial_vowel_added(a: str, b: str) -> bool:
    """Whether one of two short names begins with a vowel the other lacks: another name
    (OMAR is no MAR, ASEM no SEM, OSAMA no SAMMA, AS'AD no SA'AD), unless it is an article
    run into the doubled letter it assimilates to (ADDOUNIA is AD-DOUNIA, DOUNIA)."""
    if (a[0] in "aeiou") == (b[0] in "aeiou"):
        return False
    first = a if a[0] in "aeiou" else b
    return not (len(first) > 3 and first[1] == first[2])


def _french_vowels(token: str) -> str:
    """The vowel class key with the French writing of Cyrillic vowels read the English way:
    ou is u, and an initial i before a vowel the y of я, ю, е (IOURI/YURI, IOULIA/YULIA,
    IAKOV/YAKOV)."""
    t = token.replace("ou", "u")
    if len(t) > 2 and t[0] == "i" and t[1] in "aeou":
        t = "y" + t[1:]
    return vowel_class_key(t)


def long_vowels_shown(abjad: str, latin: str) -> bool:
    """Whether a Latin token shows the long vowels of an abjad token where it writes
    them (:func:`keys.abjad_gaps`): a vowel letter in every gap that has one, two or
    more where it has both waw and ya (PWYAN, Pouyan, is not BEN), o, u or w for waw and
    i, e or y for ya (AMYR is not OMAR), and no vowel before the first consonant unless
    an alif or ain stands there (MADH, Maedeh, is not AMADOU), or the Latin token begins
    with an article run into a doubled letter (ESSAADI, es-Saadi), nor after the last
    unless the Arabic script writes one there. An alif before another vowel letter is its
    seat (AYMAN is Iman)."""
    ga, gl = abjad_gaps(abjad), abjad_gaps(latin)
    if len(ga) != len(gl):
        return False
    last = len(ga) - 1
    for i, (x, y) in enumerate(zip(ga, gl, strict=True)):
        if i == 0:
            if len(x) >= 2 and x[0] in "ai":
                x = x[1:]
            if y and not x and not (len(latin) > 3 and latin[0] in "ae" and latin[1] == latin[2]):
                return False
        elif i == last and y and abjad[-1] != "h" and (
            not x or (x == "a" and not any(c in "ae" for c in y))
        ):
            # a final vowel is written (alif, ta marbuta, waw, ya; or a final ha, the
            # Persian -eh, which the key may have taken into a digraph: QAADH, Qaeda):
            # PWR is not BOUYERI, and a final alif is not an i (RDA, Reza, is not RAZI)
            return False
        if (x and not y) or (x.count("w") + x.count("y") >= 2 and len(y) < 2):
            return False
        if ("w" in x and not any(c in "ouw" for c in y)) or (
            "y" in x and not any(c in "iey" for c in y)
        ):
            return False
    return True


def _abjad_similarity(a: str, va: bool, b: str, vb: bool, r: float) -> float:
    """The similarity ``r`` raised to what the consonant classes of two tokens, one of
    them written without short vowels (an abjad romanisation), agree on."""
    ca, cb = abjad_key(a), abjad_key(b)
    if len(ca) >= 2 or len(cb) >= 2:
        sim = 0.97 * Indel.normalized_similarity(ca, cb) * _shape_cover(a, va, b, vb)
        if va and vb:
            return max(r, sim)
        abjad, latin = (a, b) if va else (b, a)
        if len(ca) >= 3 or len(cb) >= 3:
            if ca == cb and not long_vowels_shown(abjad, latin):
                # the same consonants, but the long vowels written otherwise: a name derived
                # from the other (MJTBWY, Mojtabavi, and MUJTABA; RSWLY, Rasuli, and RASUL)
                sim *= ABJAD_VOWELS_OTHERWISE
            return max(r, sim)
        # Two consonants are shared by many names (AMYR, Amir, and OMAR; DAWWD, Dawud,
        # and AZIZ; PWR, Pour, and BARRY): they agree only where the romanisation shows
        # the long vowels the Arabic script writes, as it writes them.
        return max(r, sim) if ca == cb and long_vowels_shown(abjad, latin) else r
    if ca and ca == cb and abjad_shape(a) == abjad_shape(b):
        # One consonant: only the long-vowel shape around it can agree (أبو abw = abu).
        return max(r, ABJAD_SHORT_SIM)
    return r


def _voiced_alike(a: str, b: str) -> bool:
    """Whether two tokens are sound for sound the same once voicing is ignored."""
    return (a.translate(_UNVOICE) == b.translate(_UNVOICE)
            or voiced_as_written(a) == voiced_as_written(b))


def _spelling_similarity(a: str, va: bool, b: str, vb: bool, r: float) -> tuple[float, str]:
    """What a similarity ``r`` that no sound rule made whole says: an abbreviation, no
    match below MIN_TOKEN_SIM or against a particle, or a stretched edit similarity."""
    if r < FUZZY_FULL:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if (
            len(short) >= 3 and len(long_) >= len(short) + 2 and short[0] == long_[0]
            and short not in PARTICLES
        ):
            # A written-out word's first letters (but a close prefix, PETR/PETROV, is
            # another word), or its consonants however close the spellings are otherwise
            # (CZRS/CAZARES, MHMMD/MUHAMMAD). Not a particle's: AND is no ANDREA, ABU no
            # ABUZAYED, FOR no FORENT.
            prefix = long_.startswith(short)
            if (prefix and r < MIN_TOKEN_SIM) or (not prefix and _subsequence(short, long_)):
                return ABBREV_SIM, "abbreviation"
        if r < MIN_TOKEN_SIM:
            return 0.0, ""
        if not (va or vb) and (a in PARTICLES) != (b in PARTICLES):
            # A word a letter or two from an article or particle (DEY/DE, ALL/AL) is
            # not that particle (abjad ABW is ABU: that is the consonant comparison).
            return 0.0, ""
        # A plain edit similarity says less the lower it is: stretch it below 0.92.
        r -= (FUZZY_STRETCH if len(short) > SHORT_WORD else FUZZY_STRETCH_SHORT) * (FUZZY_FULL - r)
    return r, "~"
