"""The alignment of two names' tokens: which query word goes with which candidate word.

Candidate pairs (:data:`Pair`, from :mod:`names`) are taken best first, each only while
neither of its words is taken (:func:`align_once`); initials are then checked against the
words they would stand for (:func:`align`). The sums kept on the :class:`Alignment` are what
the name score (:func:`names.compare_names`) is made of; :func:`given_names_differ` and
:func:`maternal_only` read a person's name structure off an alignment.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz.distance import Indel

from sanctions_ledger.match.normalise import NameForm
from sanctions_ledger.match.tokens import PARTICLES, is_word, patronymic

__all__ = [
    "MIDDLE_AGREE",
    "WEAK_PAIR",
    "Alignment",
    "Pair",
    "Weigher",
    "align",
    "given_names_differ",
    "maternal_only",
    "word_left",
    "words_in",
]

Weigher = Callable[[str], float]

Pair = tuple[float, tuple[int, ...], tuple[int, ...], str]
"""(similarity, query token indexes, candidate token indexes, kind) of an aligned pair."""

WEAK_PAIR = 0.5
"""Between organisation names, a word matched below this (MILITARY/MINISTRY, 0.41) does not
make one name lie inside the other, unless one word begins with the other (MINSKOVO/MINSK,
0.32: the Russian genitive)."""

CONTAIN_FIRM = 0.9
"""Two words of organisation names, not both of rigour's kinds (INVEST/INVERSIONES), aligned
below this are a likeness, not the same word: a name whose naming word matches only so does
not lie inside a longer one (CRIMEAN PROPAGANDA SHIPPING is not KERMAN SHIPPING with a word
added)."""

MIDDLE_AGREE = 0.9
"""Two middle names or patronymics aligned below this disagree (MOHAMMAD/MAHMOUD, 0.83 as
one consonant skeleton; ALEKSANDROVICH/ALEKSEYEVICH)."""
MIDDLE_SLIP = 0.75
"""... and are spelled this much alike at most: closer, they are one name with a slip in it
(a typo, two letters swapped), not two names."""
_CLASH_KINDS = frozenset(["translit", "vowel", "~"])
"""The likenesses of two spellings that can join two different names; not an initial, an
abbreviation, a nickname or vowels dropped, which stand for the name."""


def maternal_only(c: NameForm, used_c: set[int]) -> bool:
    """Whether a person's name of two surnames ("GONZALEZ LOPEZ, Gregorio") matched only
    on the second: in Spanish naming the first (father's) surname is the one in use, so a
    query with only the second is not simply the name shortened."""
    return (
        c.comma_surname == 2 and not c.is_org and 0 not in used_c and 1 in used_c
        and c.tokens[0] not in PARTICLES
    )


def word_left(toks: tuple[str, ...], used: set[int]) -> bool:
    """Whether a word (not an initial or a particle) of ``toks`` is not in ``used``."""
    return any(i not in used and is_word(tok) for i, tok in enumerate(toks))


def words_in(toks: tuple[str, ...], idx: list[int]) -> int:
    """How many of ``toks`` at ``idx`` are words (not initials or particles)."""
    return sum([1 for i in idx if is_word(toks[i])])


class Alignment:
    """The one-to-one pairing of two names' tokens, and the sums the name score is made
    of: the weight matched and weighed on each side, how many solid (not initial, not
    particle) and weak pairs, the evidence, and the organisation word pairs in order."""

    def __init__(self) -> None:
        self.used_q: set[int] = set()
        self.used_c: set[int] = set()
        self.firm_q: set[int] = set()
        self.firm_c: set[int] = set()
        """Indexes aligned at WEAK_PAIR or more (a word, not a passing likeness)."""
        self.matched_q = 0.0
        self.matched_c = 0.0
        self.total_q = 0.0
        self.total_c = 0.0
        self.solid = 0
        self.initials = 0
        self.c_initials = 0
        self.weak = 0
        self.fuzzy = 0
        """How many aligned pairs (not initials) are likenesses under CONTAIN_FIRM."""
        self.clashes: list[int] = []
        """Candidate indexes of middle names aligned with a query middle name they
        disagree with (below MIDDLE_AGREE)."""
        self.gendered = False
        """Whether a pair of gender forms (KOLESNIKOVA/KOLESNIKOV, MARIA/MARIO) was aligned."""
        self.notes: list[str] = []
        self.order: list[tuple[int, int]] = []


def align(
    pairs: list[Pair], q: NameForm, c: NameForm, qweights: list[float], weigh: Weigher
) -> Alignment:
    """The best-first alignment of the sorted ``pairs``; aligned again without initials
    when an initial would stand in for a word that found no match."""
    aligned = align_once(pairs, q, c, qweights, weigh)
    if not aligned.initials:
        return aligned
    # An initial completes a name whose words matched; it does not stand in for a
    # word of the query that found no match (Paul A. GOSAR is not GHASSIR, Ali), nor
    # does the candidate's initial stand in for a query word while words of the
    # candidate found no match (Michael T. McCaul is not ALBOST, Meshal Saad M).
    # Nor do initials cross: the query's initial for a listed word while a listed initial
    # stands for a query word (J. Michael SMITH and John M. SMITH, 0.95): two guesses,
    # one each way; the listed name's initials are not used then, and the name needs
    # evidence of its own (a birth date) to score high.
    # Between organisations a letter stands for a word only beside a word that names the
    # body (SMT-K for KRYM SMT): beside words that only say what kind of body it is, the
    # letter is a name of its own (M INVEST is no MICHOACANA INVEST, I&S HOLDING no STAFF
    # INSTITUTE HOLDING).
    qtoks, ctoks = q.tokens, c.tokens
    if word_left(qtoks, aligned.used_q):
        pairs = [p for p in pairs if p[3] != "initial"]
    elif aligned.c_initials and (
        word_left(ctoks, aligned.used_c) or aligned.initials > aligned.c_initials
    ):
        pairs = [p for p in pairs if p[3] != "initial" or len(ctoks[p[2][0]]) > 1]
    elif q.is_org and c.is_org and not naming_pair(aligned, q, c):
        pairs = [p for p in pairs if p[3] != "initial"]
    else:
        return aligned
    return align_once(pairs, q, c, qweights, weigh)


def naming_pair(al: Alignment, q: NameForm, c: NameForm) -> bool:
    """Whether two organisation names aligned a word with a word (not a letter) where the
    query's word names the body: not one of the words that say what kind of body it is
    (rigour's SYMBOL and DOMAIN categories: GROUP, HOLDING, TRADING, INVEST, OIL)."""
    qtoks, ctoks, qsyms = q.tokens, c.tokens, q.symbols
    for i, j in al.order:
        if len(qtoks[i]) > 1 and len(ctoks[j]) > 1 and not (
            qsyms and any(sym.startswith(("[SYMBOL:", "[DOMAIN:")) for sym in qsyms[i])
        ):
            return True
    return False


def align_once(
    pairs: list[Pair], q: NameForm, c: NameForm, qweights: list[float], weigh: Weigher
) -> Alignment:
    """Pairs taken best first, each only if none of its tokens is taken already."""
    qtoks, ctoks = q.tokens, c.tokens
    both_org = c.is_org and q.is_org
    persons = not (c.is_org or q.is_org)
    qsyms, csyms = q.symbols, c.symbols
    al = Alignment()
    used_q, used_c = al.used_q, al.used_c
    for sim, qi, cj, kind in pairs:
        if len(qi) == 1 and len(cj) == 1:
            i, j = qi[0], cj[0]
            if i in used_q or j in used_c:
                continue
            used_q.add(i)
            used_c.add(j)
            if sim >= WEAK_PAIR:
                al.firm_q.add(i)
                al.firm_c.add(j)
            ta, tb = qtoks[i], ctoks[j]
            if both_org:
                al.order.append((i, j))
                # (a word that begins with the other is that word inflected: MINSKOVO/MINSK)
                al.weak += sim < WEAK_PAIR and not (ta.startswith(tb) or tb.startswith(ta))
            if kind == "gender form":
                al.gendered = True
            elif (
                sim < MIDDLE_AGREE and kind in _CLASH_KINDS and persons and c.middle and c.middle[j]
                and ((q.middle and q.middle[i]) or patronymic(ta))
                and not (q.vowelless[i] or c.vowelless[j])  # (spelled without short vowels)
                and Indel.normalized_similarity(ta, tb) < MIDDLE_SLIP
            ):
                al.clashes.append(j)
            if kind == "initial":
                wq = wc = 0.3
                al.initials += 1
                al.c_initials += len(tb) == 1
            else:
                wq = wc = (qweights[i] + weigh(tb)) / 2
                al.solid += ta not in PARTICLES
                if both_org and sim < CONTAIN_FIRM and not (
                    ta.startswith(tb) or tb.startswith(ta) or (qsyms and csyms and qsyms[i] and csyms[j])
                ):
                    al.fuzzy += 1
            al.notes.append(f"{ta}={tb}" if kind == "=" else f"{ta}~{tb} ({kind} {sim:.2f})")
        else:
            if not used_q.isdisjoint(qi) or not used_c.isdisjoint(cj):
                continue
            used_q.update(qi)
            used_c.update(cj)
            al.firm_q.update(qi)
            al.firm_c.update(cj)
            ta = " ".join(qtoks[i] for i in qi)
            tb = " ".join(ctoks[j] for j in cj)
            wq = sum(qweights[i] for i in qi)
            wc = sum(weigh(ctoks[j]) for j in cj)
            al.solid += 1
            if both_org and sim < CONTAIN_FIRM:
                al.fuzzy += 1
            al.notes.append(f"{ta}~{tb} ({kind} {sim:.2f})")
        al.matched_q += sim * wq
        al.matched_c += sim * wc
        al.total_q += wq
        al.total_c += wc
    return al


def given_names_differ(q: NameForm, c: NameForm, al: Alignment) -> bool:
    """Whether a listed person's name written "SURNAMES, Given names" matched only on its
    surnames while the query holds a word of its own: both give a given name, and none
    agrees (Irina JIMENEZ URREGO is not JIMENEZ URREGO, Blanca Virginia; IRINA against
    VIRGINIA, 0.32, is no agreement: only pairs at WEAK_PAIR or more count)."""
    cut = c.comma_surname
    if not cut:
        return False
    qtoks, ctoks = q.tokens, c.tokens
    loose_q = [i for i in range(len(qtoks)) if i not in al.firm_q]
    if not words_in(qtoks, loose_q):
        return False
    given = list(range(cut, len(ctoks)))
    return words_in(ctoks, given) > 0 and al.firm_c.isdisjoint(given)
