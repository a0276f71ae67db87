"""EU national romanisations of Cyrillic names, read back the English way (issue 22).

The EU lists give Russian, Belarusian and Ukrainian names in the convention of each EU
language (German GORBATSCHOW, Swedish LUKASJENKO, Polish SZCZERBAKOW, Hungarian
LUKASENKO...). Each convention is a list of rewrites of the ASCII token, written from the
conventions themselves, not fitted to any list: a token's readings (:func:`national_readings`,
:func:`national_spellings`), their vowel keys (:func:`national_keys`), and whether two
tokens are one name under one of them (:func:`national_of`). Memoised per word like the keys
of :mod:`keys`, and compiled with mypyc (``setup.py``).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel

from sanctions_ledger.match.keys import other_spellings, remember_word, vowel_key

__all__ = [
    "final_y_apart",
    "heavy_marks",
    "national_keys",
    "national_of",
    "national_readings",
    "national_readings_as",
    "national_spellings",
    "near_as_i",
    "read_alike",
    "read_as_key",
    "reading_best",
]


# The national conventions in which EU lists write Russian, Belarusian and Ukrainian
# names, read back as English-style romanisation (issue 22). Each is a list of rewrites on
# the ASCII token (diacritics are already gone: č, š, ž, ż, ł are c, s, z, z, l), into
# capitals standing for sounds: C ч, S ш, Z ж, H х, Y й (and the iotation of я, ю, е),
# J дж, Q ц; they are then written the English way. Written from the conventions themselves
# (German sch/tsch/ch/j/w and z/s, French ch/tch/ou/j, Polish sz/cz/rz/ch/j/w/c, Czech, Slovak and
# the Baltic languages ch/j/c, Swedish and Danish sj/tj/zj/ch/j, Dutch sj/tsj/zj/ch/oe/j,
# Hungarian s/cs/zs/sz/c/j, Italian c/sc before e and i, sch for ск before them and z/chi,
# Spanish j), not from any list.
_POLISH_HEAD = (("szcz", "SC"), ("cz", "C"), ("sz", "S"), ("rz", "Z"))
_POLISH_TAIL = (("ch", "H"), ("j", "Y"), ("w", "v"), ("c", "ts"))
_ITALIAN_SC = ((r"sch(?=[ei])", "sk"), (r"sci(?=[aou])", "S"), (r"sc(?![aou])", "S"))
_ITALIAN_C = ((r"ci(?=[aou]|$)", "C"), (r"c(?=[ei])", "C"), ("ch", "H"), ("gh", "g"), ("j", "Y"))
_ITALIAN_ZH = (_ITALIAN_SC + ((r"ch(?=[ei])", "k"),) + _ITALIAN_C[:-1]
               + ((r"j(?=[aeiouy])", "Z"), ("j", "Y")))
"""A fourth Italian reading, with j before a vowel as ж, for a word that Italian spelling
marks as well (c, ch, gh or sc before e or i, ci before a vowel: JIRINOVSCHI, SLIJEVSCHIJ);
the zh rule alone compares j with zh as written, not with a reading. Not for other words:
pinyin and Korean j (JIANG, JEONGUNG) is no ж, and read so met ZHANG and CHEONG."""
_ITALIAN_MARKED = re.compile(r"sc|c[ei]|ch|gh")
_NATIONAL: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("german", (("tsch", "C"), ("sch", "S"), ("ch", "H"), ("j", "Y"), ("w", "v"), ("ss", "X"))),
    # German z is ц and s is з (SAWOD, ZAROW for Царёв, KAWKAS), sch is ж as well as ш
    # (SCHUKOW); ss between vowels is с (ASSIMOW)
    ("german", (("tsch", "C"), ("sch", "Z"), ("ch", "H"), ("j", "Y"), ("w", "v"), ("z", "Q"),
                ("s", "z"))),
    # and an s kept as с where sch is ж (OSWOBOSCHDENIJE)
    ("german", (("tsch", "C"), ("sch", "Z"), ("ch", "H"), ("j", "Y"), ("w", "v"), ("z", "Q"),
                ("ss", "X"))),
    # (French and Italian j for ж is the zh rule's: JUKOV/ZHUKOV; read here as zh, the
    # vowel key would also make it sh, JAMAL/SHAMAL)
    ("french", (("chtch", "SC"), ("tch", "C"), ("ch", "S"), ("dj", "J"), ("ou", "u"))),
    ("polish", _POLISH_HEAD + _POLISH_TAIL),
    ("czech", (("ch", "H"), ("sc", "SC"), ("j", "Y"), ("c", "ts"))),  # sc: šč, щ
    # with ż (Polish) and ž (Czech, Slovak, Baltic) folded to z, a z may be ж: CZIŻOW
    ("polish", _POLISH_HEAD + (("z", "Z"),) + _POLISH_TAIL),
    ("czech", (("ch", "H"), ("sc", "SC"), ("z", "Z"), ("j", "Y"), ("c", "ts"))),
    # and with the háček letters š, č, ž (Czech, Slovak, Baltic, also Sorbian and Croatian
    # forms of Russian names) folded to s, c, z: PASKEVIC for PAŠKEVIČ, SOJGU for ŠOJGU,
    # CAJKA for ČAJKA
    ("czech", (("ch", "H"), ("s", "S"), ("c", "C"), ("z", "Z"), ("j", "Y"))),
    ("nordic", (("sjtj", "SC"), ("tj", "C"), ("sj", "S"), ("zj", "Z"), ("ch", "H"), ("j", "Y"))),
    ("dutch", (("sjtsj", "SC"), ("tsj", "C"), ("sj", "S"), ("zj", "Z"), ("ch", "H"),
               ("oe", "u"), ("j", "Y"))),
    # Hungarian sz is с and s is ш: sz is rewritten to a mark (X, back to s at the end), or
    # the s rule after it would read it as ш again; the long ssz and sz before zs, whose
    # letters a doubled с also holds (VSZEROSZSZIJSZKAJA and VSZEROSSZIJSZKAJA are
    # VSEROSSIYSKAYA)
    ("hungarian", (("scs", "SC"), ("cs", "C"), ("ssz", "XX"), ("sz", "X"), ("zs", "Z"),
                   ("s", "S"), ("c", "ts"), ("j", "Y"))),
    # Italian (written from its orthography; rewrites with a context are `re` patterns): ch
    # before e and i is к and elsewhere х (CHERIMOV for КЕРИМОВ, CHAMENKA for ХАМЕНКА); ci
    # before a, o, u is ч with a silent i (and at the end, as in the Romanian -VICI for
    # -вич), and c before e and i is ч (IVANOVIC; TOLCINSCHIJ, where the i of ci before a
    # consonant is spoken); sc is ш before e and i, sci before a, o, u, and sc before a
    # consonant or at the end (SAMOCHISC, SCVYTCHIN: Italian has no other way to write it
    # there), but sch before e and i is ск; j is й and the iotation of я, ю (JAKOVLEV) and
    # also ж (JUKOV: the zh rule). The second reading has z for ц (BLOZCHIJ for Блоцкий),
    # the third also ch for х before e and i (SCIOCHIN for Шохин: Italian has no other
    # letters for it).
    ("italian", _ITALIAN_SC + ((r"ch(?=[ei])", "k"),) + _ITALIAN_C),
    ("italian", _ITALIAN_SC + ((r"ch(?=[ei])", "k"),) + _ITALIAN_C + (("z", "Q"),)),
    ("italian", _ITALIAN_SC + _ITALIAN_C + (("z", "Q"),)),
    ("italian zh", _ITALIAN_ZH),
    ("spanish", (("j", "H"),)),
)
_ENGLISH = str.maketrans({"C": "ch", "S": "sh", "Z": "zh", "H": "kh", "Y": "y", "J": "dzh",
                          "Q": "ts", "X": "s"})
_NATIONAL_MARKS = frozenset("jwcszho")
_SLAVIC_SHAPE = re.compile(r"[bcdfgklmnprstvz]j[aeiou]|[oe][wv]a?$")
"""A word written as these conventions write a Slavic name: a consonant with the j of a soft
vowel after it (CARJOV, GRIGORJEV), or the -ov, -ev, -ova ending (CEKOV, CEKOW)."""


def _national_reading(token: str, rewrites: tuple[tuple[str, str], ...]) -> str:
    s = token
    for a, b in rewrites:
        if a.isalpha():
            if a in s:
                # c as ц (ts) not at the start of a word: KUZNECOV is KUZNETSOV, but CARO read
                # so would be TSARO, and with a soft c CIRO's key; unless the word has the
                # shape of a Slavic name as these conventions write it (CARJOV, CEKOW: ц, as
                # the conventions with a letter of their own for ч write it)
                s = (s.replace(a, b) if b != "ts" or _SLAVIC_SHAPE.search(token)
                     else s[0] + s[1:].replace("c", "ts"))
        else:  # a letter in context (Italian c before e and i); `re` caches the pattern
            s = re.sub(a, b, s)
    if s.endswith("c") and s[-2:-1] in "aeiouy":
        s = s[:-1] + "C"  # a final c after a vowel: ч folded from č (-VIČ) or Italian -vic
    return s.translate(_ENGLISH)


_NAMED_READINGS: dict[str, tuple[tuple[str, str], ...]] = {}


def _named_readings(token: str) -> tuple[tuple[str, str], ...]:
    """(convention, reading) of each distinct reading of ``token`` under the national
    conventions that changes it, written the English way, the first convention to give it
    named."""
    found = _NAMED_READINGS.get(token)
    return remember_word(_NAMED_READINGS, token, _named_readings_of(token)) if found is None else found


def _named_readings_of(token: str) -> tuple[tuple[str, str], ...]:
    if len(token) < 4 or not _NATIONAL_MARKS.intersection(token):
        return ()
    out: dict[str, str] = {}
    for name, rewrites in _NATIONAL:
        if name == "italian zh" and ("j" not in token or not _ITALIAN_MARKED.search(token)):
            continue
        reading = _national_reading(token, rewrites)
        if reading != token:
            out.setdefault(reading, name)
    return tuple((name, reading) for reading, name in out.items())


_NATIONAL_READINGS: dict[str, tuple[tuple[str, str, str], ...]] = {}


def national_readings(token: str) -> tuple[tuple[str, str, str], ...]:
    """(convention, vowel key, reading) of ``token`` read as each EU national romanisation
    of a Cyrillic name, written back the English way, where the key differs from its own
    vowel key: Swedish LUKASJENKO and GRIGORJEVITJ read as LUKASHENKO and GRIGORYEVICH,
    German GORBATSCHOW as GORBACHOV, Polish SZCZERBAKOW as SHCHERBAKOV."""
    found = _NATIONAL_READINGS.get(token)
    return remember_word(_NATIONAL_READINGS, token, _national_readings_of(token)) if found is None else found


def _national_readings_of(token: str) -> tuple[tuple[str, str, str], ...]:
    named = _named_readings(token)
    if not named:
        return ()
    own = vowel_key(token)
    keyed = ((name, vowel_key(reading), reading) for name, reading in named)
    return tuple(item for item in keyed if item[1] != own)


def national_spellings(token: str) -> tuple[str, ...]:
    """Every distinct reading of ``token`` under the national conventions, written the
    English way, whether or not its vowel key differs from the token's (the organisation
    words' table looks a word up by its letters: French GOSSOUDARSTVENNOIE is
    GOSSUDARSTVENNOIE, which the vowel key does not tell apart)."""
    return tuple(reading for _, reading in _named_readings(token))


_NATIONAL_KEYS: dict[str, tuple[tuple[str, str], ...]] = {}


def national_keys(token: str) -> tuple[tuple[str, str], ...]:
    """(convention, vowel key) of each of ``token``'s national readings
    (:func:`national_readings`), one per key. Cached like them: retrieval and every token
    pair the romanisation rule compares ask for it."""
    found = _NATIONAL_KEYS.get(token)
    return remember_word(_NATIONAL_KEYS, token, _national_keys_of(token)) if found is None else found


def _national_keys_of(token: str) -> tuple[tuple[str, str], ...]:
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for name, key, _ in national_readings(token):
        if key not in seen:
            seen.add(key)
            out.append((name, key))
    return tuple(out)


def national_of(a: str, ka: str, b: str, kb: str) -> str:
    """The convention under which ``a`` and ``b`` (vowel keys ``ka``, ``kb``) are one name
    (one of them read back to the English style gives the other's key), or ""."""
    ra, rb = national_keys(a), national_keys(b)
    if not ra and not rb:
        return ""
    # The other side as written, or read as the Russian of a Belarusian or Ukrainian name
    # written the English way: German SJARGEJ JAWGENAWITSCH (Сяргей Яўгенавіч) read back is
    # SYARGEY YAVGENAVICH, the Russian reading of SIARHEI YAUGENAVICH
    sa, sb = _slavic_of(a, ka), _slavic_of(b, kb)
    for name, key in ra:
        if key == kb or key == sb:
            return name
    for name, key in rb:
        if key == ka or key == sa:
            return name
    # (not both read by one convention: that erases what the convention rewrites, and
    # the Polish c as ts makes CIRO and CARO one name)
    return ""


def read_as_key(a: str, key_of_b: str, b: str, key_of_a: str) -> bool:
    """Whether a national reading of ``a`` has ``b``'s vowel key, or one of ``b`` has
    ``a``'s: :func:`national_of` without the Slavic keys, for words that share few letters."""
    for _, key in national_keys(a):
        if key == key_of_b:
            return True
    for _, key in national_keys(b):
        if key == key_of_a:
            return True
    return False


def _slavic_of(token: str, own: str) -> str:
    """The token's Slavic key (:func:`slavic_key`) where :func:`other_spellings` gives one,
    else its own vowel key ``own``."""
    for rule, key in other_spellings(token):
        if rule == "slavic":
            return key
    return own


def national_readings_as(a: str, kb: str) -> list[str]:
    """The readings of ``a`` under the national conventions that give the vowel key ``kb``
    (German ZARJOW read as TSARYOV has TSAROV's key)."""
    return [reading for _, key, reading in national_readings(a) if key == kb]


def reading_best(a: str, b: str, kb: str) -> tuple[float, str]:
    """The closest reading of ``a`` to ``b`` under a national convention that has ``b``'s
    vowel key ``kb``, with its edit similarity; (0, "") when none has."""
    best, reading = 0.0, ""
    for candidate in national_readings_as(a, kb):
        sim = Indel.normalized_similarity(candidate, b)
        if sim > best:
            best, reading = sim, candidate
    return best, reading


def near_as_i(reading: str, other: str, floor: float) -> bool:
    """Whether a national ``reading`` ("" for none) is ``floor`` close to ``other`` with y
    and i taken as one letter."""
    return bool(reading) and Indel.normalized_similarity(
        reading.replace("y", "i"), other.replace("y", "i")) >= floor


def final_y_apart(reading: str, other: str) -> bool:
    """Whether ``reading`` (a national reading, "" for none) is ``other`` with a final y
    (й) added or left out."""
    return bool(reading) and (reading == other + "y" or other == reading + "y")


def read_alike(a: str, b: str) -> bool:
    """Whether a national reading of ``a`` is one of ``b``, letter for letter."""
    ra = national_spellings(a)
    return bool(ra) and not set(ra).isdisjoint(national_spellings(b))


def heavy_marks(letters: str) -> bool:
    """Whether ``letters`` hold a German sch or a Dutch tsj, which with the letters around
    them can rewrite most of a word (``tokens.NATIONAL_FAR_LEN``)."""
    return "sch" in letters or "tsj" in letters
