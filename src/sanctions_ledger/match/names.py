"""Name against name: the word pairs, their alignment and the name score.

Tokens are aligned one to one (order-free, so "LAST, First" and "First Last" agree;
:mod:`align`), each pair scored by :func:`tokens.token_similarity`. The name score combines
how much of the query and how much of the candidate the aligned pairs cover, each token
weighted by how informative it is (IDF in an index, length otherwise), so a missing middle
name costs little and a different given name costs a lot.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel

from sanctions_ledger.match.abbreviations import (
    LISTED_SHORT_ACRONYM_SIM,
    Abbreviation,
    abbreviation,
    may_spell,
)
from sanctions_ledger.match.align import (
    Alignment,
    Pair,
    Weigher,
    align,
    given_names_differ,
    maternal_only,
    words_in,
)
from sanctions_ledger.match.keys import abjad_key, vowel_key
from sanctions_ledger.match.korean import KOREAN_SIM, korean_key, korean_name
from sanctions_ledger.match.normalise import NameForm
from sanctions_ledger.match.orgwords import place_words
from sanctions_ledger.match.tokens import (
    GENDER_SIM,
    PARTICLES,
    IndexWeights,
    contracted_far,
    given_gender_forms,
    is_word,
    length_weight,
    token_similarity,
)

__all__ = [
    "NameScore",
    "Weigher",
    "compare_names",
    "numbers",
    "numbers_differ",
]


class NameScore:
    """A name pair's score, how much of each name the aligned tokens cover, and why.

    A plain class, not a dataclass: compiled, it is a native class built without a
    Python-level ``__init__`` (one per scored name). Treat it as read-only."""

    def __init__(
        self, value: float, coverage_query: float, coverage_candidate: float, evidence: str
    ) -> None:
        self.value = value
        self.coverage_query = coverage_query
        self.coverage_candidate = coverage_candidate
        self.evidence = evidence

    def __repr__(self) -> str:
        return (f"NameScore(value={self.value!r}, coverage_query={self.coverage_query!r}, "
                f"coverage_candidate={self.coverage_candidate!r}, evidence={self.evidence!r})")


def _joins(
    one: list[tuple[int, str]], toks: tuple[str, ...], heads: set[str], abjad: bool,
    flip: bool, out: list[Pair],
) -> None:
    """Pairs where 2-3 adjacent tokens ``toks`` of one name, written together, spell one
    token of the other (``one``: its tokens of 5 letters or more, with their indexes;
    ``heads``: the first two letters of each of ``toks``): "BID BOLAND"/"BIDBOLAND",
    "KYRGYZ TRANS AVIA"/"KYRGYZTRANSAVIA". ``flip``: ``one`` is the candidate."""
    for i, tok in one:
        if tok[:2] not in heads:
            continue
        for j in range(len(toks) - 1):
            if toks[j][0] != tok[0] or not tok.startswith(toks[j][:2]):
                continue
            joined = toks[j]
            for k in range(j + 1, min(j + 3, len(toks))):
                joined += toks[k]
                if len(joined) > len(tok) + 3:
                    break
                if len(joined) < len(tok) - 3 or (
                    toks[k] in PARTICLES and len(toks[k - 1]) > 3
                ):
                    # (nor ending on an article after a name: the article is the next
                    # word's, JAIME AL-HASAN is no JAMAL; ABD AL is ABDUL, ABU AL ABUL)
                    continue
                r = Indel.normalized_similarity(tok, joined)
                if 0.78 <= r < 0.9 and vowel_key(tok) == vowel_key(joined):
                    r = 0.9  # ABD AL / ABDUL
                if abjad:
                    r = max(r, 0.97 * Indel.normalized_similarity(abjad_key(tok), abjad_key(joined)))
                if r >= 0.85:
                    span = tuple(range(j, k + 1))
                    out.append((r, span, (i,), "joined") if flip else (r, (i,), span, "joined"))


CONTAINED_EXPONENT = 0.25
"""Exponent of the coverage of the longer name when one name lies inside the other."""
LONGER_QUERY_EXPONENT = 0.4
"""The same when two words or more of the query are not in the listed name: a missing
middle name is the common case, half a name missing is not (AWAD, Muhammad inside AWAD,
Hamid Rida Muhammad)."""
IN_ORDER = 1e-9
"""Added to an organisation's name score when the aligned words are in the query's order:
a tie-break."""
ONE_WORD_DISCOUNT = 0.05
"""Off a person's name score when the names share one word and both have words of their own."""
GIVEN_DISCOUNT = 0.08
"""The share lost when two person names agree on their surnames and both give a given name
that the other lacks (:func:`align.given_names_differ`): two of a family, not one person."""
OTHER_WORD_DISCOUNT = 0.05
"""Off a person's name score when two names or more agree and each has a word of its own
that is nothing like the other's (Kirill KLISHIN against KOVALCHUK, Kirill Mikhailovich):
another middle name or surname, not a spelling of the same one."""
MIDDLE_DISCOUNT = 0.5
"""An unmatched middle name or patronymic of a person counts half."""
SYMBOL_SIM = 0.9
"""BANQUE/BANK, SHIRKAT/COMPANY, TV/TELEVISION, 14/FOURTEEN: one word in two languages
or writings, as rigour's symbol tables know them."""


COMPACT_MIN = 0.88
"""The whole-string (spaceless) similarity that may raise a name score."""
COMPACT_MAX_EDITS = 2
"""... and only when the two spaceless strings are this many insertions and deletions
apart at most: one slip (a space, a letter typed wrong, two letters swapped, a letter
doubled), which the token comparison can miss in a short word; not a word written
otherwise (LalN MOREY, Elvis Angus against LOGAN MOREY, Elvis Angus is 0.92 spaceless,
3 edits; HolR against HODWALKER, 0.90)."""
TRUNCATED_MIN_CHARS = 15
"""A query this long (as written) whose spaceless form begins the listed name's may be the
listed name cut off by a field-length limit (20 or 35 characters in legacy systems)."""
TRUNCATED_BASE = 0.88
TRUNCATED_SPAN = 0.1
"""A cut-off name scores TRUNCATED_BASE + TRUNCATED_SPAN x the share of the listed name
shown."""

NUMBER_MISMATCH = 0.3
"""The share of the name score lost when the names hold different numbers (the default
of OpenSanctions' logic-v2 matcher)."""

GENERIC_DISCOUNT = 0.5
"""An unmatched generic organisation word (rigour's SYMBOL category: GROUP, HOLDING,
TRADING, SERVICES, INSTITUTE) says what kind of body it is, not which one: it counts half."""


def _generic(syms: frozenset[str]) -> bool:
    return any(sym.startswith("[SYMBOL:") for sym in syms)


def _loose_weight(form: NameForm, i: int, weigh: Weigher) -> float:
    tok = form.tokens[i]
    if len(tok) == 1:
        return 0.3
    w = weigh(tok)
    if form.symbols and form.symbols[i] and _generic(form.symbols[i]):
        return w * GENERIC_DISCOUNT
    return w * MIDDLE_DISCOUNT if form.middle and form.middle[i] else w


def _pair_order(p: Pair) -> tuple:
    return (-p[0], p[1], p[2])


def _particles_last(pairs: list[Pair], q: NameForm) -> list[Pair]:
    """``pairs`` with a particle's pair with the same particle (AL=AL) taken last: it must
    not take the article inside words that, joined, spell a word of the other name (ABD AL
    MAJID, ABDELMAJID) while the name holds another (AL-ZINDANI)."""
    toks = q.tokens
    first: list[Pair] = []
    last: list[Pair] = []
    for p in pairs:
        if p[3] == "=" and len(p[1]) == 1 and toks[p[1][0]] in PARTICLES:
            last.append(p)
        else:
            first.append(p)
    return first + last


class SimCache:
    """What :func:`compare_names` reuses across the candidates of one query name: the
    query tokens' weights, token similarities and abbreviations found so far. Bound to
    the first query name and weigher it is used with (and reset for another)."""

    __slots__ = ("form", "weigh", "weights", "loose", "rows", "heads", "long", "abjad",
                 "spelled", "short", "later", "nick", "korean", "listed")

    def __init__(self) -> None:
        self.form: NameForm | None = None
        self.weigh: Weigher | None = None

    def bind(self, q: NameForm, weigh: Weigher) -> None:
        if self.form is q and self.weigh == weigh:
            return
        self.form, self.weigh = q, weigh
        toks = q.tokens
        self.weights = [weigh(t) for t in toks]
        self.loose = [_loose_weight(q, i, weigh) for i in range(len(toks))]
        # per query token, per abjad flag of the candidate token: token -> similarity
        self.rows: list[tuple[dict[str, tuple[float, str]], dict[str, tuple[float, str]]]] = [
            ({}, {}) for _ in toks
        ]
        self.heads = {t[:2] for t in toks}
        self.long = [(i, t) for i, t in enumerate(toks) if len(t) >= 5]
        self.abjad = any(q.vowelless)
        self.spelled: dict[str, Abbreviation | None] = {}
        """candidate token -> the query tokens it abbreviates"""
        self.short = [(i, t) for i, t in enumerate(toks) if may_spell(t)]
        self.later = {t[0] for t in toks[1:]}
        self.nick: list[tuple[str, ...]] = [() if q.is_org else nick_forms(t) for t in toks]
        """per query token: given names it is a nickname or the full form of"""
        self.korean: list[str | None] | None = (
            [korean_key(t) for t in toks] if not q.is_org and korean_name(toks) else None
        )
        """per query token of a Korean name (:mod:`korean`): its romanisations' key"""
        vocab = weigh.vocab if isinstance(weigh, IndexWeights) else None
        self.listed: list[bool] = [vocab is not None and t in vocab for t in toks]
        """per query token: whether the index holds it as a word of a listed name"""


def numbers(toks: tuple[str, ...]) -> set[str]:
    """The tokens of a name that hold digits (hull, yard, unit numbers)."""
    return {t for t in toks if not t.isalpha()}


def numbers_differ(q: tuple[str, ...], c: tuple[str, ...]) -> bool:
    """Whether both names hold numbers and one of the query's is not the candidate's:
    two vessels, units or branches (YARD NO. 455 / YARD NO. 456)."""
    nq = numbers(q)
    if not nq:
        return False
    nc = numbers(c)
    return bool(nc) and not nq <= nc


NICK_SIM = 0.8
"""BILL/WILLIAM, PATTY/PATRICIA: a given name and its nickname (the ``nicknames``
package's hand-curated English table), for person names only."""

_NICKS: dict[str, tuple[str, ...]] | None = None


def nick_forms(token: str) -> tuple[str, ...]:
    """The given names ``token`` is a nickname of, or the full form of (the table is read
    on first use: under 1 MB)."""
    global _NICKS
    if _NICKS is None:
        from nicknames import name_triplets

        table: dict[str, list[str]] = {}
        for name, _, nick in name_triplets():
            table.setdefault(name, []).append(nick)
            table.setdefault(nick, []).append(name)
        _NICKS = {k: tuple(dict.fromkeys(v)) for k, v in table.items()}
    return _NICKS.get(token, ())


def compare_names(
    q: NameForm,
    c: NameForm,
    weigh: Weigher = length_weight,
    cache: SimCache | None = None,
    abbreviations: bool = False,
) -> NameScore:
    """Score candidate name ``c`` against query name ``q`` in [0, 1], with evidence.

    ``cache`` memoises token similarities across the names of one query;
    ``abbreviations`` allows acronyms and syllable abbreviations (organisation names).
    """
    if not q.tokens or not c.tokens:
        return NameScore(0.0, 0.0, 0.0, "empty name")
    memo = SimCache() if cache is None else cache
    memo.bind(q, weigh)
    pairs = _token_pairs(q, c, memo)
    if len(q.tokens) + len(c.tokens) > 2:
        _join_pairs(q, c, memo, pairs)
    if abbreviations:
        _abbreviation_pairs(q, c, memo, pairs)
    pairs.sort(key=_pair_order)
    if any([p[3] == "joined" for p in pairs]):
        pairs = _particles_last(pairs, q)
    aligned = align(pairs, q, c, memo.weights, weigh)
    if aligned.matched_q <= 0.0:
        return NameScore(0.0, 0.0, 0.0, "no common tokens")
    score = _name_score(q, c, aligned, memo.loose, weigh)
    if aligned.clashes:
        return _middle_clash(q, c, pairs, score, aligned.clashes, memo, weigh)
    return score


MIDDLE_CLASH = 0.01
"""How far below the same name without its middle name one with a disagreeing one scores."""


def _middle_clash(
    q: NameForm, c: NameForm, pairs: list[Pair], score: NameScore, clashes: list[int],
    memo: SimCache, weigh: Weigher,
) -> NameScore:
    """The name score ``score`` held below what the listed name ``c`` would score without
    the middle names ``clashes`` (indexes into ``c.tokens``) that disagree with the
    query's: a middle name that contradicts the query's is worse than none (item 5)."""
    absent = set(clashes)
    kept = [p for p in pairs if absent.isdisjoint(p[2])]
    without = align(kept, q, c, memo.weights, weigh)
    if without.matched_q <= 0.0:
        return score
    cap = _name_score(q, c, without, memo.loose, weigh, absent).value - MIDDLE_CLASH
    if score.value <= cap:
        return score
    names = "/".join([c.tokens[j] for j in clashes])
    return NameScore(max(0.0, cap), score.coverage_query, score.coverage_candidate,
                     f"{score.evidence}, middle name differs: {names}")


def _token_pairs(q: NameForm, c: NameForm, memo: SimCache) -> list[Pair]:
    """Every pair of a query token and a candidate token that are alike at all: by
    spelling (:func:`tokens.token_similarity`), as one word in two writings (a shared
    symbol) or, between person names, as a given name and its nickname."""
    pairs: list[Pair] = []
    qsyms, csyms = q.symbols, c.symbols
    ctoks = c.tokens
    cinfo = tuple(zip(range(len(ctoks)), ctoks, c.skeletons, c.vowelless, strict=True))
    rows = memo.rows
    nicks = memo.nick
    korean = memo.korean
    persons = not (q.is_org or c.is_org)
    for i, (a, sa, va) in enumerate(zip(q.tokens, q.skeletons, q.vowelless, strict=True)):
        qs = qsyms[i] if qsyms else None
        qkey = (i,)
        row_plain, row_abjad = rows[i]
        for j, b, sb, vb in cinfo:
            row = row_abjad if vb else row_plain
            res = row.get(b)
            if res is None:
                res = row[b] = token_similarity(a, sa, va, b, sb, vb)
            if qs and res[0] < SYMBOL_SIM and csyms and not qs.isdisjoint(csyms[j]):
                res = (SYMBOL_SIM, "same word")
            elif (
                persons and res[0] > GENDER_SIM and i >= q.comma_surname and j >= c.comma_surname
                and not (va or vb) and given_gender_forms(a, b)
            ):
                res = (GENDER_SIM, "gender form")
            elif res[0] < NICK_SIM and b in nicks[i] and persons and not (
                a in PARTICLES or b in PARTICLES
            ):
                # (not the article AL: AL-MAJID holds no ALEX, AL-KARIM no ALEXANDER)
                res = (NICK_SIM, "nickname")
            elif res[1] == "abbreviation" and persons and not (va or vb) and contracted_far(a, b):
                # (a word written without short vowels is not contracted: ALLH is ABDULLAH)
                continue
            elif (
                res[1] == "abbreviation" and persons and not (va or vb)
                and (a.startswith(b) or (b.startswith(a) and memo.listed[i]))
            ):
                # A person's word that begins another is a name of its own, not that
                # name cut off, when it is the listed one's (SAM is no SAMARK) or one the
                # lists hold as a word (ALI is no ALIREZA, KOS no KOSTIN): only a query's
                # cut-off word (ABDULRAH) is. A nickname stays one (ALEX, ALEXANDER).
                if b not in nicks[i]:
                    continue
                res = (NICK_SIM, "nickname")
            elif (
                korean and res[0] < KOREAN_SIM and persons and korean[i] == korean_key(b)
                and korean_name(ctoks)
            ):
                res = (KOREAN_SIM, "korean")  # JO/CHO, GYU/KYU, CHOL/CHEOL (:mod:`korean`)
            if res[0] > 0.0:
                pairs.append((res[0], qkey, (j,), res[1]))
    return pairs


def _join_pairs(q: NameForm, c: NameForm, memo: SimCache, pairs: list[Pair]) -> None:
    """Into ``pairs``: adjacent words of either name that, written together, spell one
    long word of the other (:func:`_joins`)."""
    qtoks, ctoks = q.tokens, c.tokens
    c_long = [(j, t) for j, t in enumerate(ctoks) if len(t) >= 5]
    if memo.long or c_long:
        abjad = memo.abjad or any(c.vowelless)
        if memo.long and len(ctoks) >= 2:
            _joins(memo.long, ctoks, {t[:2] for t in ctoks}, abjad, False, pairs)
        if c_long and len(qtoks) >= 2:
            _joins(c_long, qtoks, memo.heads, abjad, True, pairs)


def _abbreviation_pairs(q: NameForm, c: NameForm, memo: SimCache, pairs: list[Pair]) -> None:
    """Into ``pairs``: a word of either name that is an acronym or a syllable abbreviation
    of two or more words of the other (:func:`abbreviations.abbreviation`)."""
    qtoks, ctoks = q.tokens, c.tokens
    if len(ctoks) >= 2 and memo.short:
        later = {t[0] for t in ctoks[1:]}
        for i, tok in memo.short:
            abbr = abbreviation(tok, c, later)
            if abbr is not None:
                pairs.append((abbr[1], (i,), abbr[0], abbr[2]))
    if len(qtoks) >= 2:
        spelled = memo.spelled
        for j, tok in enumerate(ctoks):
            if tok in spelled:
                abbr = spelled[tok]
            else:
                abbr = spelled[tok] = abbreviation(tok, q, memo.later) if may_spell(tok) else None
            if abbr is not None:
                sim = LISTED_SHORT_ACRONYM_SIM if len(tok) <= 3 and abbr[2] == "acronym" else abbr[1]
                pairs.append((sim, abbr[0], (j,), abbr[2]))


def _name_score(
    q: NameForm, c: NameForm, al: Alignment, loose: list[float], weigh: Weigher,
    absent: set[int] | None = None,
) -> NameScore:
    """The name score of an alignment that matched something: the coverage of each name
    (unmatched words weighed loosely), combined so that one name inside the other scores
    high, then adjusted for word order, a single shared word, numbers and spacing."""
    qtoks, ctoks = q.tokens, c.tokens
    missing_q = [i for i in range(len(qtoks)) if i not in al.used_q]
    total_q = al.total_q + sum([loose[i] for i in missing_q])
    missing_c = [j for j in range(len(ctoks)) if j not in al.used_c and not (absent and j in absent)]
    total_c = al.total_c + sum([_loose_weight(c, j, weigh) for j in missing_c])
    cov_q = min(1.0, al.matched_q / total_q)
    cov_c = min(1.0, al.matched_c / total_c)
    # One name inside the other (a missing middle name, a shortened company name) is a
    # much better sign than both having words of their own.
    exp_q, exp_c = 0.55, 0.45
    if al.solid >= 2 and not missing_q and not al.weak and not maternal_only(c, al.used_c):
        exp_c = CONTAINED_EXPONENT
    elif al.solid >= 2 and not missing_c and not al.weak and (
        not al.fuzzy or _descriptive(q, missing_q)
    ):
        exp_q = CONTAINED_EXPONENT if words_in(qtoks, missing_q) <= 1 else LONGER_QUERY_EXPONENT
    value = (cov_q**exp_q) * (cov_c**exp_c)
    notes = al.notes
    if len(al.order) >= 2 and _in_query_order(al.order):
        # Between organisation names, words in the query's order break ties (MELLAT BANK
        # ARMENIA: MELLAT BANK CJSC before BANK MELLAT), too little to show in a rounded
        # score. Not between person names, which lists write surname first or last.
        value += IN_ORDER
    persons = not (q.is_org or c.is_org)
    if (
        al.solid == 1 and persons
        and words_in(qtoks, missing_q) and words_in(ctoks, missing_c)
    ):
        # One word in common and words of their own on both sides: the two names agree
        # on a surname or a given name and differ on the rest (Tim Griffin / GRIFFIN, Peter).
        value *= 1.0 - ONE_WORD_DISCOUNT
        notes.append("one word in common")
    elif persons and given_names_differ(q, c, al):
        value *= 1.0 - GIVEN_DISCOUNT
        notes.append("given names differ")
    elif al.solid >= 2 and persons and _words_differ(qtoks, missing_q, ctoks, missing_c):
        value *= 1.0 - OTHER_WORD_DISCOUNT
        notes.append("a name differs")
    value = _whole_names(q, c, value, notes, not al.gendered)
    if missing_q:
        notes.append("query only: " + " ".join([qtoks[i] for i in missing_q]))
    if missing_c:
        notes.append("candidate only: " + " ".join([ctoks[j] for j in missing_c]))
    return NameScore(value, cov_q, cov_c, ", ".join(notes))


def _words_differ(
    qtoks: tuple[str, ...], missing_q: list[int], ctoks: tuple[str, ...], missing_c: list[int]
) -> bool:
    """Whether each name has a word (not an initial, not a particle) of its own, and no
    query word of its own half-resembles one of the candidate's own (Indel)."""
    own_q = [qtoks[i] for i in missing_q if is_word(qtoks[i])]
    own_c = [ctoks[j] for j in missing_c if is_word(ctoks[j])]
    if not (own_q and own_c):
        return False
    for a in own_q:
        for b in own_c:
            if Indel.normalized_similarity(a, b) >= 0.5:
                return False
    return True


def _descriptive(q: NameForm, idx: list[int]) -> bool:
    """Whether the organisation name ``q``'s words at ``idx`` only say what kind of body it
    is (rigour gives each a symbol: CONSTRUCTION, ECONOMIC, GROUP) or where it is
    (:func:`orgwords.place_words`), or ``q`` is no organisation's. Words added to a name
    matched only by likeness (``align.CONTAIN_FIRM``) leave it inside the query's when they
    describe the body or say where it is (ARIA ROYAL CONSTRUCTION is ROYAL ARYA, KOREA
    DAESONG BANK is TAESONG BANK), not when they name one (CRIMEAN PROPAGANDA SHIPPING is not
    KERMAN SHIPPING)."""
    syms = q.symbols
    if not syms:
        return True
    places = place_words()
    return all([bool(syms[i]) or q.tokens[i] in places for i in idx])


def _in_query_order(order: list[tuple[int, int]]) -> bool:
    """Whether the aligned (query, candidate) word pairs ``order`` keep one order in both
    names (sorts ``order``)."""
    order.sort()
    return all([order[k][1] < order[k + 1][1] for k in range(len(order) - 1)])


def _whole_names(
    q: NameForm, c: NameForm, value: float, notes: list[str], compact_ok: bool = True
) -> float:
    """The name score ``value`` after comparing the names whole: lowered when they hold
    different numbers, raised to their compact (spaceless) similarity when that is
    higher and close; the reason into ``notes``."""
    qtoks, ctoks = q.tokens, c.tokens
    if numbers_differ(qtoks, ctoks):
        # As OpenSanctions' logic-v2 does (nm_number_mismatch), and no whole-string view.
        notes.append("numbers differ: " + "/".join(sorted(numbers(qtoks) ^ numbers(ctoks))))
        return value * (1.0 - NUMBER_MISMATCH)
    if not compact_ok:
        return value
    qc, cc = q.compact, c.compact
    if len(qc) < len(cc) and _truncated(q, c, qc, cc):
        cut = TRUNCATED_BASE + TRUNCATED_SPAN * len(qc) / len(cc)
        if cut > value:
            notes.append(f"cut off ({len(q.original.strip())} characters shown)")
            return cut
    # A whole-string view catches one slip that the tokens miss (a space, a typo or two
    # letters swapped in a short word), not a word written otherwise, nor the one letter
    # between the male and female forms of a name (JAN/JANA, IVANOV/IVANOVA: compact_ok
    # is False then, and the name is not taken for a cut-off one either).
    if any(q.vowelless) or any(c.vowelless):
        # (a name written without short vowels is a slip away on its consonants: ALY ABD
        # ALLH SALH for ALI ABDULLAH SALEH)
        if Indel.distance(abjad_key(qc), abjad_key(cc), score_cutoff=COMPACT_MAX_EDITS) > COMPACT_MAX_EDITS:
            return value
    elif Indel.distance(qc, cc, score_cutoff=COMPACT_MAX_EDITS) > COMPACT_MAX_EDITS:
        return value
    compact = Indel.normalized_similarity(qc, cc)
    if compact > value and compact >= COMPACT_MIN:
        notes.append(f"compact {compact:.2f}")
        return compact
    return value


def _truncated(q: NameForm, c: NameForm, qc: str, cc: str) -> bool:
    """Whether query ``q`` (spaceless ``qc``) is the listed name ``c`` (``cc``) as written,
    cut off by a field-length limit: TRUNCATED_MIN_CHARS characters or more, two words or
    more, all but the last the listed name's first words, the last one's beginning."""
    n = len(q.tokens)
    return (
        n >= 2 and len(q.original.strip()) >= TRUNCATED_MIN_CHARS and cc.startswith(qc)
        and q.tokens[: n - 1] == c.tokens[: n - 1]
    )
