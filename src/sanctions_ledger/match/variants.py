"""The other names a name string holds: lists write several names in one field.

Official lists put more than one name in a single name or alias value, and the index
(and a query) would otherwise read them as one long name, every word of it counted:

* a parenthesised acronym or full form: ``DAEDONG CREDIT BANK (DCB)``, ``ADF (ALLIED
  DEMOCRATIC FORCES)``, ``Le Groupe Salafiste pour la Prédication et le Combat (GSPC)``
  (EU, UK, UN; also OFAC);
* the name in another script beside it: ``Jin Tiesan (金铁三)``, ``حاجى مالك نورزى (Hajji
  Malik Noorzai; Hajji Malak Noorzai)`` (UN);
* a description in brackets: ``Rashid Al-Maghribi (the Moroccan)``, ``ABAR PETROLEUM
  SERVICE SAL (OFFSHORE)``, ``Ezatullah Haqqani (previously listed as)``;
* spellings separated by semicolons, sometimes numbered, sometimes in brackets after the
  name: ``Qasim Soleimani; Qasem Sulaimani; ...``, ``Mohammed Sabet; ... b) M. Javad
  Kareemi Sabet``, ``Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script);
  Hayat Tahrir al-Sham; Assembly for the Liberation of Syria; ...)`` (UN);
* a note after the name: ``Mohammad Ishaq Akhund born in 1963`` (UN).

:func:`name_variants` gives the names such a value holds besides itself: the value
without its brackets (or note), each semicolon-separated part, and a bracket's content
when it names the same party: a list of names separated by semicolons, a name written in
another script, or an acronym of the rest or the rest's acronym (its letters begin, in
order, words of the other: :func:`keys.portmanteau`). A description (THE MOROCCAN,
OFFSHORE, USA) is no name of the party: only the value without it is added. The index
keeps the value itself as well (:meth:`MatchIndex.build`), and a query holding several
names is searched as each of them (:meth:`MatchIndex.search`).
"""

from __future__ import annotations

import re
import unicodedata

from rigour.text.translit import ascii_text

from sanctions_ledger.match.keys import portmanteau

__all__ = ["name_variants", "script_of"]

_PAREN = re.compile(r"\(([^()]*)\)")
_PARTS = re.compile(r";|(?:^|\s)[a-h]\)\s")
"""Semicolons, and the list markers ``a)``, ``b)`` that number spellings (UN)."""
_NOTE = re.compile(r",?\s+(?:born\s+(?:in|on|\d)|(?:date of birth|dob)\s*[:\d]).*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_LABEL = re.compile(r"\(\s*original script\s*\)|\boriginal script\s*:\s*", re.IGNORECASE)
"""The UN's label of a name in its own writing: ``Abubakar (original script: Абубакар)``."""
MAX_ACRONYM = 10
"""Letters of a bracketed acronym (or of the name before a bracketed full form)."""
MAX_ACRONYM_WORDS = 30
"""Words an acronym may be read from (the search for its letters grows with their square)."""
MAX_BRACKETS = 6
"""Brackets read in one value: a hostile name of a thousand characters holds a hundred."""
MAX_VARIANTS = 16
"""Names given for one value at most (the UN's longest list of spellings has nine)."""


def script_of(text: str) -> str:
    """The script most of the letters of ``text`` are written in: the first word of their
    Unicode names (``LATIN``, ``CYRILLIC``, ``ARABIC``, ``CJK``...), "" when it has none."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "?").split(" ")[0]
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def _folded_words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(ascii_text(text).casefold()))


def _acronym_of(short: str, long_: str) -> bool:
    """Whether ``short`` (one word once dots, slashes and hyphens are gone) spells the
    leading letters of words of ``long_``, in order (NEP: Novo Exército Popular)."""
    letters = _folded_words(re.sub(r"[./&-]", "", short))
    words = _folded_words(long_)
    if len(letters) != 1 or not 2 <= len(letters[0]) <= MAX_ACRONYM or not 2 <= len(words) <= MAX_ACRONYM_WORDS:
        return False
    return portmanteau(letters[0], words) is not None


def _same_party(inner: str, outer: str) -> bool:
    """Whether a bracket's content names the party the rest of the value names."""
    if not outer.strip():
        return False
    if script_of(inner) != script_of(outer):
        return True
    return _acronym_of(inner, outer) or _acronym_of(outer, inner)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-–—")


def _parts(text: str) -> list[str]:
    return [p for p in (_tidy(x) for x in _PARTS.split(text)) if any(ch.isalpha() for ch in p)]


def name_variants(value: str, min_words: int = 1) -> list[str]:
    """The other names ``value`` holds (see the module docs); none for a plain name.
    Parts of fewer than ``min_words`` words are left out (a query's SMITH; JOHN is no
    search for JOHN), but not a bracket's acronym or other writing."""
    if not (";" in value or "(" in value or _NOTE.search(value)):
        return []
    base = _tidy(_NOTE.sub("", _LABEL.sub(" ", value)))
    outer = _tidy(_PAREN.sub(" ", base))
    found: list[str] = []
    for part in _parts(outer):
        if len(part.split()) >= min_words:
            found.append(part)
    for inner in _PAREN.findall(base)[:MAX_BRACKETS]:
        if ";" in inner or _same_party(inner, outer):
            # (names separated by semicolons in a bracket are a list of aliases)
            found.extend(_parts(inner))
    return [name for name in dict.fromkeys(found) if name != value][:MAX_VARIANTS]
