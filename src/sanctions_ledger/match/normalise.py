"""Turn a raw name into the comparable form the index and the scorer share.

The pipeline, in order, and why:

1. ``clean`` — NFKC, drop control, format and other invisible characters (zero-width
   joiners are a known evasion trick), squash whitespace.
2. ``fold_homoglyphs`` — a token that mixes Latin with Cyrillic/Greek letters is written in
   one script, so its minority letters are mapped to their look-alikes in the majority
   script ("Рutin" with a Cyrillic Р becomes "putin"; "обществo" with a Latin o is fully
   Cyrillic again). Leetspeak digits inside words are read as letters, and a lower-case
   l inside an upper-case word as the capital I it imitates (``fold_lower_l``: MYlNT).
3. legal forms are rewritten to their generic form by rigour's org-type tables (before
   and after transliteration, so "ООО", "OOO" and "Obshchestvo s ogranichennoi ..." all
   become ``llc``) and kept apart from the name's core tokens.
4. ``transliterate`` — rigour's ``ascii_text`` (ICU for scripts rigour does not admit).
   Tokens from abjads (Arabic, Hebrew, Syriac, Thaana) are flagged ``vowelless`` because
   their romanisation lacks short vowels; the scorer then compares consonant skeletons.
5. ``skeleton`` — a consonant key that erases the usual romanisation disagreements
   (sh/sch/sz/ch, kh/h, q/k, w/v, y/i, doubled letters, vowels). It is a retrieval key and
   one input of the token similarity, never the whole comparison.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rigour.names import (
    NameTypeTag,
    analyze_names,
    extract_org_types,
    remove_person_prefixes,
    replace_org_types_compare,
)
from rigour.text.translit import ascii_text

from sanctions_ledger.match.keys import arabic_to_latin, dedouble, soft_c
from sanctions_ledger.match.legalforms import read_legal_words
from sanctions_ledger.match.orgwords import is_particle, org_word_symbols

__all__ = [
    "NameForm",
    "analyse",
    "clean",
    "fold_homoglyphs",
    "fold_lookalike_words",
    "fold_lower_l",
    "skeleton",
    "tokens_of",
]

_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}
_KEEP_CONTROL = {"\t": " ", "\n": " ", "\r": " "}

# Look-alike letters after casefolding: Cyrillic/Greek -> Latin. Written by hand from
# the Unicode confusables idea; only letters that are visually identical in common fonts.
_HAND_TO_LATIN = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ё": "e",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "η": "n", "μ": "u",
}
_TO_CYRILLIC = {
    "a": "а", "b": "в", "e": "е", "k": "к", "m": "м", "h": "н", "o": "о", "p": "р",
    "c": "с", "t": "т", "y": "у", "x": "х", "i": "і", "j": "ј", "s": "ѕ",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "Y": "У", "X": "Х", "I": "І", "J": "Ј", "S": "Ѕ",
}
_CONFUSABLE_BLOCKS = ((0x0370, 0x0400), (0x0400, 0x0530), (0x1F00, 0x2000))
"""Greek, Cyrillic (with its supplement) and Greek extended: the scripts whose letters
pass for Latin ones."""


def _confusables_to_latin() -> dict[str, str]:
    """Cyrillic and Greek letters, as written, and the Latin letters they pass for, by the
    Unicode confusables skeleton (UTS #39, ICU's SpoofChecker): a letter whose skeleton
    is one or two ASCII letters (Р: P, ы: bl). A small letter without one takes its
    capital's, lower-cased (a casefolded word no longer knows which was written: Н is H);
    there the hand-written table wins (it reads μ as the u it looks like, not the M of
    its capital Μ), and it fills in letters the skeleton leaves out."""
    out: dict[str, str] = {}
    from_capital: set[str] = set()
    try:
        import icu
        checker = icu.SpoofChecker()
    except Exception:  # pragma: no cover - PyICU is a dependency; without it, the hand table
        return dict(_HAND_TO_LATIN)

    def skeleton_of(text: str) -> str:
        return str(checker.getSkeleton(0, text))

    # The skeleton of I is l (I, l, 1 and | are one skeleton): a letter takes the Latin
    # letter of its own case with its skeleton (Ι and І are I, ӏ is l).
    latin_of: dict[str, list[str]] = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        latin_of.setdefault(skeleton_of(letter), []).append(letter)

    def latin(text: str) -> str:
        sk = skeleton_of(text)
        same = latin_of.get(sk, [])
        if same:
            return next((c for c in same if c.isupper() == text.isupper()), same[0])
        return sk if sk.isascii() and sk.isalpha() and len(sk) <= 2 else ""

    for lo, hi in _CONFUSABLE_BLOCKS:
        for cp in range(lo, hi):
            ch = chr(cp)
            if not ch.isalpha():
                continue
            sk = latin(ch)
            if not sk and ch == ch.casefold():
                sk = latin(ch.upper()).lower()
                if sk:
                    from_capital.add(ch)
            if sk:
                out[ch] = sk
    for ch, letter in _HAND_TO_LATIN.items():
        if ch not in out or ch in from_capital:
            out[ch] = letter
    return out


_TO_LATIN = _confusables_to_latin()
_LEET = {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_ABJADS = ("ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO")

# Generic legal-form targets of rigour's org-type table (``generic=True``) plus the plain
# English company words that the table leaves alone; they are kept out of the core name.
_ORG_WORDS = frozenset(
    ["llc", "jsc", "lp", "llp", "plc", "ltd", "inc", "corp", "co", "company", "companies", "corporation", "limited", "incorporated", "sa", "ag", "nv", "bv", "gmbh", "spa", "srl", "sarl", "sas", "ooo", "oao", "zao", "pao", "ao", "pjsc", "ojsc", "cjsc", "fzco", "fze", "fzc", "est", "establishment"]
)

# "Company" in languages rigour's org-type table does not cover (Persian/Arabic/Turkish
# romanisations): legal-form words, not part of the core name.
_COMPANY_WORDS = frozenset(
    "sherkat sherkate sherkati shirkat shirkate shirkati sharikat sharikah sharika "
    "sharikat sirketi sirket".split()
)
_SYMBOL_CATEGORIES = ("SYMBOL", "DOMAIN", "NUMERIC", "NAME")
"""rigour's categories kept (``SymbolCategory.NUMERIC``: 14 = FOURTEEN, 1ST = FIRST)."""


def token_symbols(tokens: tuple[str, ...], is_org: bool) -> tuple[frozenset[str], ...]:
    """rigour's symbols for each token of an organisation name (single-word spans only),
    by token position; empty for person names."""
    if not tokens or not is_org:
        return ()
    tag = NameTypeTag.ORG
    found: dict[str, set[str]] = {}
    for name in analyze_names(tag, [" ".join(tokens)], consolidate=False, phonetics=False):
        for span in name.spans:
            if len(span.parts) != 1:
                continue
            sym = span.symbol
            if str(sym.category).rpartition(".")[2] in _SYMBOL_CATEGORIES:
                found.setdefault(span.parts[0].form, set()).add(sys.intern(str(sym)))
    for tok in tokens:
        # the generic words of state bodies in other languages (orgwords: Gefängnis,
        # więzienie and vankila are PRISON; wewnętrznych and vnutrennikh INTERIOR)
        extra = org_word_symbols(tok)
        if extra is not None:
            found.setdefault(tok, set()).update(extra)
    return tuple(_intern_set(found[t]) if t in found else _EMPTY for t in tokens)


def table_symbols(tokens: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The organisation words' table's symbols for each token (orgwords), by position, if
    one token at least names a kind of body or its field (a particle alone does not)."""
    found = [org_word_symbols(tok) for tok in tokens]
    if not any(f and not is_particle(f) for f in found):
        return ()
    return tuple(_intern_set(set(f)) if f else _EMPTY for f in found)


_EMPTY: frozenset[str] = frozenset()
_SETS: dict[frozenset[str], frozenset[str]] = {}


def _intern_set(values: set[str]) -> frozenset[str]:
    """One shared object per distinct symbol set (millions of names, few distinct sets)."""
    key = frozenset(values)
    return _SETS.setdefault(key, key)


@lru_cache(maxsize=1024)
def _middle(n: int, comma: int, org: bool) -> tuple[bool, ...]:
    if org or n < 3:
        return (False,) * n
    if comma:
        return tuple(i > comma for i in range(n))
    return tuple(0 < i < n - 1 for i in range(n))


_SPLIT = re.compile(r"[^0-9a-z]+")
_EZAFE = re.compile(r"(?<=[a-z])-y?e\b")
_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_ELIDED_ARTICLE = re.compile(r"\b(?:[dl]|dell|all|nell|dall|sull)['’‘`´ʼ](?=[^\W\d_]{2})")


def clean(text: str) -> str:
    """NFKC, no invisible or control characters, single spaces."""
    if text.isascii() and text.isprintable():
        return " ".join(text.split())
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if ch in _KEEP_CONTROL:
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in _INVISIBLE_CATEGORIES:
            continue
        if cat == "Zs":
            out.append(" ")
            continue
        out.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def _script(ch: str) -> str:
    if ch.isascii():
        return "L" if ch.isalpha() else "O"
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN"):
        return "L"
    if name.startswith("CYRILLIC"):
        return "C"
    if name.startswith("GREEK"):
        return "G"
    return "O"


_LOWER_L = re.compile(r"\b[A-Zl]*l[A-Zl]*\b")


def _upper_i(m: re.Match[str]) -> str:
    word = m.group()
    return word.replace("l", "I") if sum([1 for ch in word if ch != "l"]) >= 2 else word


def fold_lower_l(text: str) -> str:
    """A lower-case l in an upper-case word is the look-alike of a capital I (MYlNT)."""
    return _LOWER_L.sub(_upper_i, text) if "l" in text else text


def fold_homoglyphs(word: str) -> str:
    """Write a word that mixes scripts in one script (as written, or casefolded).

    A word mixing Latin with Cyrillic or Greek letters is read as Latin when each of its
    Cyrillic and Greek letters has a Latin look-alike (the confusables skeleton,
    :data:`_TO_LATIN`) and some Latin letter has no Cyrillic one: "Раvеl СНЕRNОV" (Р, а, е,
    С, Н, Е, О Cyrillic) is Pavel CHERNOV, whose v, l, r and n no Cyrillic word holds;
    read by its majority it was "Ravel Snernov". It is read as Cyrillic in the opposite
    case ("обществo" with a Latin o: щ passes for no Latin letter), and by the majority of
    its letters when both or neither reading is whole."""
    counts = {"L": 0, "C": 0, "G": 0, "O": 0}
    for ch in word:
        counts[_script(ch)] += 1
    letters = counts["L"] + counts["C"] + counts["G"]
    if letters >= 3 and any(ch in _LEET for ch in word) and counts["L"] >= counts["C"]:
        word = "".join(_LEET.get(ch, ch) for ch in word)
        counts["L"] += sum(1 for ch in word if ch.isascii() and ch.isalpha()) - counts["L"]
    mixed = sum(1 for k in ("L", "C", "G") if counts[k]) > 1
    if not mixed:
        return word
    as_latin = all(ch in _TO_LATIN for ch in word if _script(ch) in "CG")
    as_cyrillic = counts["G"] == 0 and all(
        ch in _TO_CYRILLIC for ch in word if _script(ch) == "L")
    if as_cyrillic and (not as_latin or counts["C"] > counts["L"] + counts["G"]):
        return "".join(_TO_CYRILLIC.get(ch, ch) for ch in word)
    if not as_latin and not as_cyrillic and counts["C"] > counts["L"] + counts["G"]:
        return "".join(_TO_CYRILLIC.get(ch, ch) for ch in word)
    # I and l share one skeleton: a capital look-alike after the first letter of a word
    # written in small letters (AΙi, with a Greek Ι) stands for the l it imitates there.
    small = any(ch.islower() for ch in word)
    out = []
    for i, ch in enumerate(word):
        letter = _TO_LATIN.get(ch, ch)
        out.append("l" if letter == "I" and i and small else letter)
    return "".join(out)


def _is_lookalike_word(word: str) -> bool:
    """A word of Cyrillic or Greek letters only, each passing for a Latin one (ΡΟ, СОМ)."""
    return any(_script(ch) in "CG" for ch in word) and all(
        ch in _TO_LATIN for ch in word if ch.isalpha()) and not any(
        _script(ch) == "L" for ch in word)


def fold_lookalike_words(text: str) -> str:
    """``fold_homoglyphs`` on each word of a name as written; and where the name has a
    Latin word, a word written wholly in Cyrillic or Greek look-alikes of Latin letters is
    read as Latin too (ΡΟ, Kong with Greek Ρ and Ο is PO, Kong). A name with no Latin word
    keeps its script: a Cyrillic АО or ТОО stays a Cyrillic legal form."""
    words = [fold_homoglyphs(word) for word in text.split()]
    if any(_script(ch) == "L" for word in words for ch in word) and any(
        _is_lookalike_word(word) for word in words
    ):
        words = ["".join(_TO_LATIN.get(ch, ch) for ch in word) if _is_lookalike_word(word)
                 else word for word in words]
    return " ".join(words)


@lru_cache(maxsize=200_000)
def _translit_word(word: str) -> tuple[tuple[str, ...], bool]:
    """ASCII tokens of one word, and whether it came from an abjad."""
    if word.isascii():
        ascii_word = word
        vowelless = False
    else:
        vowelless = any(unicodedata.name(ch, "").startswith(_ABJADS) for ch in word)
        if vowelless:
            word = arabic_to_latin(word)
        # Letters the transliterator cannot render ("?") are dropped, not word breaks.
        ascii_word = ascii_text(word).lower().replace("?", "")
    ascii_word = _APOSTROPHES.sub("", ascii_word)
    return tuple(t for t in _SPLIT.split(ascii_word) if t), vowelless


_DIGRAPHS = (
    ("dzh", "j"), ("shch", "s"), ("tsch", "s"), ("sch", "s"), ("tch", "s"), ("sh", "s"), ("sz", "s"),
    ("ch", "s"), ("cz", "s"), ("zh", "s"), ("ts", "s"), ("tz", "s"), ("dj", "j"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"),
    ("x", "ks"), ("q", "k"), ("c", "k"), ("w", "v"), ("z", "s"), ("y", "i"),
)
_VOWELS = str.maketrans("", "", "aeiou")


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonant key of an ASCII token: ``lukashenko``, ``loukachenko`` -> ``lksnk``."""
    s = soft_c(token)
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    return dedouble(s.translate(_VOWELS)) or token


def _split_article(tok: str) -> list[str]:
    """Arabic writes the article and 'abd al-' joined: ``alghmary`` -> ``al ghmary``."""
    if tok.startswith("bdal") and len(tok) >= 7:
        return ["bd", "al", tok[4:]]
    # with ع written as a vowel: abdalmnan -> abd al mnan (Abdul Manan); abdallh
    # (Abdullah, one word in every romanisation) stays whole
    if tok.startswith("abdal") and len(tok) >= 8 and not tok.startswith("abdallh"):
        return ["abd", "al", tok[5:]]
    if tok.startswith("al") and len(tok) >= 5:
        return ["al", tok[2:]]
    return [tok]


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name ready for comparison. ``tokens`` are ASCII, lower case, legal forms removed."""

    original: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    vowelless: tuple[bool, ...]
    legal_forms: tuple[str, ...]
    comma_surname: int
    """Number of leading tokens written before a comma ("LAST, First"), 0 if none."""
    is_org: bool = False
    symbols: tuple[frozenset[str], ...] = ()
    """Per token of an organisation name, rigour's symbols for it: the same word in other
    languages or spellings (``banque``/``bank``, ``shirkat``/``company``, ``fourteen``/``14``).
    Person names get none (rigour's person tagger costs ~250 MB to load)."""
    middle: tuple[bool, ...] = ()
    """Per token, whether it is a person's middle name or patronymic (counts half when
    unmatched)."""

    @property
    def compact(self) -> str:
        return "".join(self.tokens)

    def __reduce__(self) -> tuple[Any, ...]:
        # Explicit, so that the class pickles the same compiled (mypyc) or not.
        return (NameForm, (self.original, self.tokens, self.skeletons, self.vowelless,
                           self.legal_forms, self.comma_surname, self.is_org, self.symbols,
                           self.middle))


_DOTTED = re.compile(r"(?<!\w)(?:\w\.){2,}(?!\w)")


def _dotted_form(m: re.Match[str]) -> str:
    """A dotted initialism that is a legal form in rigour's table, written as the table
    knows it: ``c.a.`` -> ``ca`` (compania anonima); one that extends a known dotted
    form, ``s.a.c.a.`` (sociedad anonima de capital abierto) -> ``s.a.``. Others stay."""
    dotted = m.group(0)
    plain = dotted.replace(".", "")
    if [alias for alias, _ in extract_org_types(plain)] == [plain]:
        return plain
    head = extract_org_types(dotted)
    if head and dotted.startswith(head[0][0]):
        return head[0][0] + "."
    return dotted


def _dotted_org_form(m: re.Match[str]) -> str:
    """In an organisation's name, as :func:`_dotted_form`, but any other dotted initialism
    is one word: ``c.a.d.`` -> ``cad``, not the letter C and the legal form A.D."""
    form = _dotted_form(m)
    return m.group(0).replace(".", "") if form == m.group(0) else form


def _dotted_initials(m: re.Match[str]) -> str:
    """Elsewhere, as :func:`_dotted_form`, but any other dotted initialism is its letters:
    ``j.a.d.`` -> ``j a d``, not the letter J and the legal form A.D. (which would make
    J.A.D. SMITH a company)."""
    form = _dotted_form(m)
    return " ".join(m.group(0).replace(".", "")) if form == m.group(0) else form


def _org_forms(text: str, is_org: bool = False, is_person: bool = False) -> tuple[str, list[str]]:
    if "." in text:
        text = _DOTTED.sub(_dotted_org_form if is_org else _dotted_initials, text)
    if is_person:
        return text, []
    found = [target for _, target in extract_org_types(text, generic=True)]
    if found:
        text = replace_org_types_compare(text, generic=True)
    return text, found


_AL_DIN = re.compile(r"([a-z]*?)[eo]dd(?:in|ine)")


def _split_al_din(tok: str) -> list[str]:
    """The article assimilated before din, written joined in the French (Maghreb and
    Levant) spelling: ``safieddine`` -> ``safi al din`` (SAFI-AL-DIN), ``eddine`` -> ``al
    din``, and in the Persian one: ``emadoddin`` -> ``emad al din`` (EMADEDDIN). The South
    Asian -uddin names (SIRAJUDDIN) stay one word, as lists write them."""
    m = _AL_DIN.fullmatch(tok)
    if m is None or 0 < len(m.group(1)) < 3:
        return [tok]
    return [m.group(1), "al", "din"] if m.group(1) else ["al", "din"]


@lru_cache(maxsize=500_000)
def _word_tokens(word: str) -> tuple[tuple[str, ...], bool]:
    parts, vowelless = _translit_word(fold_homoglyphs(word))
    if vowelless:
        parts = tuple(p for part in parts for p in _split_article(part))
    elif any("edd" in part or "odd" in part for part in parts):
        parts = tuple(p for part in parts for p in _split_al_din(part))
    return parts, vowelless


def tokens_of(text: str) -> tuple[list[str], list[bool]]:
    """ASCII tokens of a cleaned, casefolded string (no legal-form handling)."""
    toks: list[str] = []
    flags: list[bool] = []
    for word in text.split():
        parts, vowelless = _word_tokens(word)
        toks.extend(parts)
        flags.extend([vowelless] * len(parts))
    return toks, flags


@lru_cache(maxsize=100_000)
def analyse(name: str, is_org: bool = False, is_person: bool = False) -> NameForm:
    """Clean, fold, transliterate and tokenise one name: an organisation's (``is_org``),
    a person's (``is_person``: no legal forms, so KHUN SA keeps SA and CHU, Na its NA),
    or either."""
    # Look-alikes are read case by case, before NFKC (which writes the lunate sigma Ϲ,
    # a C, as Σ) and casefolding (a Cyrillic Н passes for H, its small н for no letter).
    if "_" in name:  # a separator, as in exports (YU_JONG_1): no letter of a word
        name = name.replace("_", " ")
    text = clean(name if name.isascii() else fold_lookalike_words(name))
    if not is_org:
        text = remove_person_prefixes(text)
    # Apostrophes go first: "sa'id" must not read as the legal form "SA".
    text = fold_lower_l(text).casefold()
    if is_org:
        # French and Italian articles and prepositions elided before a vowel are words of
        # their own: SOCIÉTÉ D'INGÉNIERIE SEPASAD is SOCIETE INGENIERIE SEPASAD, whose
        # INGENIERIE meets ENGINEERING (not DINGENIERIE). A person's D'SOUZA keeps its D.
        text = _ELIDED_ARTICLE.sub(" ", text)
    text = _APOSTROPHES.sub("", text)
    if "-" in text:  # the Persian ezafe written as a suffix: BANK-E SARMAYEH
        text = _EZAFE.sub("", text)
    if " & " in text:  # the ampersand standing alone is the word "and" ("Gems & Jewellery")
        text = text.replace(" & ", " and ")
    text, forms = _org_forms(text, is_org, is_person)
    head, sep, _ = text.partition(",")
    toks, flags = tokens_of(text)
    # Legal forms written in a non-Latin script are only recognisable after translit; not in
    # an abjad (Arabic) name, whose vowelless romanisations only look like abbreviations
    # (سعد, Saad, comes out as "sad", a legal form).
    ascii_joined = " ".join(toks)
    replaced, more = (
        _org_forms(ascii_joined, is_org) if not (is_person or any(flags)) else (ascii_joined, [])
    )
    if not (more or forms or is_person or any(flags)) and len(toks) > 1:
        # a Russian, Bulgarian or Ukrainian legal form written by an EU national convention
        # (German AKZIONERNOJE OBSCHTSCHESTWO): its words in the table's spelling
        read = read_legal_words(toks)
        if read is not None:
            replaced, more = _org_forms(" ".join(read), is_org)
    if more:
        forms.extend(more)
        toks = replaced.split()
        flags = flags[: len(toks)] + [False] * max(0, len(toks) - len(flags))
    comma = len(tokens_of(head)[0]) if sep else 0
    core: list[str] = []
    core_flags: list[bool] = []
    legal: list[str] = list(forms)
    for tok, flag in zip(toks, flags, strict=False):
        # rigour's generic targets (``sp``, ``fin``) stand where it found a legal form
        if (tok in _ORG_WORDS or tok in _COMPANY_WORDS or tok in forms) and (is_org or forms):
            if tok not in legal:
                legal.append(tok)
            continue
        core.append(tok)
        core_flags.append(flag)
    if not core:  # a name made only of legal-form words keeps them
        core, core_flags = toks, flags
    comma = min(comma, len(core))
    comma = comma if comma < len(core) else 0
    org = is_org or bool(forms)
    syms = token_symbols(tuple(core), org)
    if not (org or is_person):
        # a name of no known kind (a query without a schema, a LegalEntity) that holds a word
        # of the organisation words' table: that table's symbols (not rigour's, whose
        # tagger is too slow for every such name), so that "Национална армия за
        # освобождение" meets NATIONAL LIBERATION ARMY as the organisation's name it is
        syms = table_symbols(tuple(core))
    middle = _middle(len(core), comma, org)
    return NameForm(
        original=name,
        tokens=tuple(core),
        skeletons=tuple(skeleton(t) for t in core),
        vowelless=tuple(core_flags),
        legal_forms=tuple(sorted(set(legal))),
        comma_surname=comma,
        is_org=org,
        symbols=syms,
        middle=middle,
    )
