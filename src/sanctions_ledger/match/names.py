"""Name against name: token similarity, alignment and the name score.

Tokens are aligned one to one (order-free, so "LAST, First" and "First Last" agree),
each pair scored by :func:`token_similarity`. The name score combines how much of the
query and how much of the candidate the aligned pairs cover, each token weighted by how
informative it is (IDF in an index, length otherwise), so a missing middle name costs
little and a different given name costs a lot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Indel, LCSseq

from sanctions_ledger.match.keys import (
    abjad_key,
    abjad_shape,
    diphthong_clash,
    portmanteau,
    voiceless_key,
    vowel_class_key,
    vowel_key,
)
from sanctions_ledger.match.normalise import NameForm

__all__ = ["NameScore", "compare_names", "length_weight", "numbers", "numbers_differ", "token_similarity"]

Weigher = Callable[[str], float]

MIN_TOKEN_SIM = 0.72
"""Below this two tokens are different words, not spellings of one word."""
INITIAL_SIM = 0.85
TRANSLIT_SIM = 0.94
ABBREV_SIM = 0.85
"""IMP/IMPORT, IND/INDUSTRIES: a written-out word's first letters."""
FUZZY_FULL = 0.92
FUZZY_STRETCH = 2.0
"""Spelling-only similarity s < FUZZY_FULL counts as s - FUZZY_STRETCH * (FUZZY_FULL - s):
RULLI/RUMULI (0.73) is weak evidence, not three quarters of a match."""
VOICE_SIM = 0.8
"""Cho'ng/Jong, Pok/Bok: aspiration-marking systems against voicing ones."""
_UNVOICE = str.maketrans("bvdgz", "pptks")
"""Voiced consonants to their voiceless partners (b and v both to p: Spanish b/v)."""
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
    "della dos la le van von der den ter mc".split()
)
"""Articles and kinship particles: part of the name, but they identify no one."""
PARTICLE_FACTOR = 0.4


def patronymic(token: str) -> bool:
    return len(token) >= 7 and token.endswith(_PATRONYMIC)


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
    order kept, and at most one vowel left (an abbreviation drops vowels first: BEAN is
    not one of BENJAMIN)."""
    if sum([1 for ch in short if ch in "aeiou"]) > 1:
        return False
    it = iter(long_)
    return all(ch in it for ch in short) and len(short) * 2 >= len(long_)


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
    if a[:3] == b[:3] and (a[-1] in "ae" or b[-1] in "ae") and _gendered(a, b):
        return GENDER_SIM, "gender form"
    r = Indel.normalized_similarity(a, b)
    ka, kb = vowel_key(a), vowel_key(b)
    if ka == kb and len(ka) >= 3:
        # Same consonants and vowel positions: a spelling of the same sounds, unless a
        # diphthong stands for a plain a (HUSAYN/HASAN): then a near variant at most.
        if diphthong_clash(a, b):
            if r >= 0.6:
                return max(r, 0.7 + 0.15 * r), "vowel"
        elif len(sa) >= 3:
            return max(r, TRANSLIT_SIM - 0.1 * (1.0 - r)), "translit"
        elif r >= 0.6 or vowel_class_key(a) == vowel_class_key(b):
            return max(r, 0.7 + 0.15 * r), "translit"
    if sa == sb and len(sa) >= 2 and not (ka == kb and len(ka) >= 3):
        # Same consonant skeleton, vowels elsewhere: likely a variant if long enough.
        if len(sa) >= 4:
            return max(r, TRANSLIT_SIM - 0.04 - 0.15 * (1.0 - r)), "translit"
        if r >= 0.7:
            return max(r, 0.72 + 0.2 * r), "translit"
    if va or vb:
        # Abjad romanisations carry no short vowels: compare consonant classes.
        ca, cb = abjad_key(a), abjad_key(b)
        if len(ca) >= 2 or len(cb) >= 2:
            r = max(r, 0.97 * Indel.normalized_similarity(ca, cb) * _shape_cover(a, va, b, vb))
        elif ca and ca == cb and abjad_shape(a) == abjad_shape(b):
            # One consonant: only the long-vowel shape around it can agree (أبو abw = abu).
            r = max(r, ABJAD_SHORT_SIM)
    else:
        if len(sa) >= 4 and len(sb) >= 4:
            r = max(r, 0.85 * Indel.normalized_similarity(sa, sb))
        if ka != kb and len(ka) >= 3 and voiceless_key(a) == voiceless_key(b):
            if r < FUZZY_FULL and a.translate(_UNVOICE) == b.translate(_UNVOICE):
                # Letter for letter the same but for voicing (TROVER/TROBER, Pong/Bong):
                # a set value, not an edit similarity, so not stretched.
                return VOICE_SIM, "voicing"
            if len(ka) >= 4:
                # Not for three sounds: with vowels merged, DON, TIN and TAN agree.
                r = max(r, VOICE_SIM)
    if r < MIN_TOKEN_SIM:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if len(short) >= 3 and len(long_) >= len(short) + 2 and short[0] == long_[0]:
            if long_.startswith(short) or _subsequence(short, long_):
                return ABBREV_SIM, "abbreviation"
        return 0.0, ""
    if r < FUZZY_FULL:
        if not (va or vb) and (a in PARTICLES) != (b in PARTICLES):
            # A word a letter or two from an article or particle (DEY/DE, ALL/AL) is
            # not that particle (abjad ABW is ABU: that is the consonant comparison).
            return 0.0, ""
        # A plain edit similarity says less the lower it is: stretch it below 0.92.
        r -= FUZZY_STRETCH * (FUZZY_FULL - r)
    return r, "~"


@dataclass(frozen=True, slots=True)
class NameScore:
    value: float
    coverage_query: float
    coverage_candidate: float
    evidence: str


Pair = tuple[float, tuple[int, ...], tuple[int, ...], str]
"""(similarity, query token indexes, candidate token indexes, kind) of an aligned pair."""


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
                if len(joined) < len(tok) - 3:
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
MIDDLE_DISCOUNT = 0.5
"""An unmatched middle name or patronymic of a person counts half."""
SYMBOL_SIM = 0.9
"""BANQUE/BANK, SHIRKAT/COMPANY, TV/TELEVISION, 14/FOURTEEN: one word in two languages
or writings, as rigour's symbol tables know them."""
ACRONYM_SIM = 0.9
"""NIOC for National Iranian Oil Company: every significant word's first letter."""
SYLLABLE_SIM = 0.8
"""COBIENES for COmercializadora de BIENES: leading syllables run together."""


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


_COMPANY = frozenset({"company", "companies", "corporation", "corp", "co"})


def _pair_order(p: Pair) -> tuple:
    return (-p[0], p[1], p[2])


def _may_abbreviate(tok: str, words: tuple[str, ...]) -> bool:
    """Cheap necessary condition for :func:`portmanteau`: the first letter starts a word
    and the second continues that word or starts another."""
    first, second = tok[0], tok[1]
    starts = False
    for w in words:
        if w[0] == second:
            starts = True
        if w[0] == first and len(w) > 1 and w[1] == second:
            return True
    return starts and any(w[0] == first for w in words)


Abbreviation = tuple[tuple[int, ...], float, str]


def _may_spell(tok: str) -> bool:
    """Whether a token is of the kind that may abbreviate others: 3-12 letters."""
    return 3 <= len(tok) <= 12 and tok.isalpha()


def _abbreviation(tok: str, many: NameForm, later: set[str]) -> Abbreviation | None:
    """The tokens of ``many`` (at least two) that ``tok`` (3-12 letters) abbreviates,
    with the similarity and kind of the abbreviation; None if it abbreviates none.
    ``later``: the first letters of ``many``'s tokens after its first one."""
    if later.isdisjoint(tok[1:]):
        return None  # no second word can start inside tok: no portmanteau
    words = many.tokens
    if not _may_abbreviate(tok, words):
        return None
    hit = portmanteau(tok, words)
    if hit is None and tok[-1] == "c" and _COMPANY.intersection(many.legal_forms):
        hit = portmanteau(tok[:-1], words)  # NIOC: the C of a company word
        tok = tok[:-1]
    if hit is None:
        return None
    acronym = len(hit) == len(tok)
    if not acronym and (len(tok) < 5 or len(hit) > len(tok) // 2 + 1):
        return None
    return (hit, ACRONYM_SIM, "acronym") if acronym else (hit, SYLLABLE_SIM, "syllables")


class SimCache:
    """What :func:`compare_names` reuses across the candidates of one query name: the
    query tokens' weights, token similarities and abbreviations found so far. Bound to
    the first query name and weigher it is used with (and reset for another)."""

    __slots__ = ("form", "weigh", "weights", "loose", "rows", "heads", "long", "abjad",
                 "spelled", "short", "later", "nick")

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
        self.short = [(i, t) for i, t in enumerate(toks) if _may_spell(t)]
        self.later = {t[0] for t in toks[1:]}
        self.nick: list[tuple[str, ...]] = [() if q.is_org else nick_forms(t) for t in toks]
        """per query token: given names it is a nickname or the full form of"""


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


def _word_left(toks: tuple[str, ...], used: set[int]) -> bool:
    """Whether a word (not an initial or a particle) of ``toks`` is not in ``used``."""
    return any(
        i not in used and len(tok) > 1 and tok not in PARTICLES for i, tok in enumerate(toks)
    )


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
    pairs: list[Pair] = []
    qsyms, csyms = q.symbols, c.symbols
    qtoks, ctoks = q.tokens, c.tokens
    cinfo = tuple(zip(range(len(ctoks)), ctoks, c.skeletons, c.vowelless, strict=True))
    rows = memo.rows
    nicks = memo.nick
    for i, (a, sa, va) in enumerate(zip(qtoks, q.skeletons, q.vowelless, strict=True)):
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
            elif res[0] < NICK_SIM and b in nicks[i] and not c.is_org:
                res = (NICK_SIM, "nickname")
            if res[0] > 0.0:
                pairs.append((res[0], qkey, (j,), res[1]))
    if len(qtoks) + len(ctoks) > 2:
        c_long = [(j, t) for j, t in enumerate(ctoks) if len(t) >= 5]
        if memo.long or c_long:
            abjad = memo.abjad or any(c.vowelless)
            if memo.long and len(ctoks) >= 2:
                _joins(memo.long, ctoks, {t[:2] for t in ctoks}, abjad, False, pairs)
            if c_long and len(qtoks) >= 2:
                _joins(c_long, qtoks, memo.heads, abjad, True, pairs)
    if abbreviations:
        if len(ctoks) >= 2 and memo.short:
            later = {t[0] for t in ctoks[1:]}
            for i, tok in memo.short:
                abbr = _abbreviation(tok, c, later)
                if abbr is not None:
                    pairs.append((abbr[1], (i,), abbr[0], abbr[2]))
        if len(qtoks) >= 2:
            spelled = memo.spelled
            for j, tok in enumerate(ctoks):
                if tok in spelled:
                    abbr = spelled[tok]
                else:
                    abbr = spelled[tok] = _abbreviation(tok, q, memo.later) if _may_spell(tok) else None
                if abbr is not None:
                    pairs.append((abbr[1], abbr[0], (j,), abbr[2]))
    pairs.sort(key=_pair_order)
    qweights = memo.weights
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched_q = matched_c = total_q = total_c = 0.0
    solid = 0
    notes: list[str] = []
    for attempt in range(2):
        used_q = set()
        used_c = set()
        matched_q = matched_c = total_q = total_c = 0.0
        solid = initials = 0
        notes = []
        for sim, qi, cj, kind in pairs:
            if len(qi) == 1 and len(cj) == 1:
                i, j = qi[0], cj[0]
                if i in used_q or j in used_c:
                    continue
                used_q.add(i)
                used_c.add(j)
                ta, tb = qtoks[i], ctoks[j]
                if kind == "initial":
                    wq = wc = 0.3
                    initials += 1
                else:
                    wq = wc = (qweights[i] + weigh(tb)) / 2
                    solid += ta not in PARTICLES
                notes.append(f"{ta}={tb}" if kind == "=" else f"{ta}~{tb} ({kind} {sim:.2f})")
            else:
                if not used_q.isdisjoint(qi) or not used_c.isdisjoint(cj):
                    continue
                used_q.update(qi)
                used_c.update(cj)
                ta = " ".join(qtoks[i] for i in qi)
                tb = " ".join(ctoks[j] for j in cj)
                wq = sum(qweights[i] for i in qi)
                wc = sum(weigh(ctoks[j]) for j in cj)
                solid += 1
                notes.append(f"{ta}~{tb} ({kind} {sim:.2f})")
            matched_q += sim * wq
            matched_c += sim * wc
            total_q += wq
            total_c += wc
        if attempt or not initials or not _word_left(qtoks, used_q):
            break
        # An initial completes a name whose words matched; it does not stand in for a
        # word of the query that found no match (Paul A. GOSAR is not GHASSIR, Ali).
        pairs = [p for p in pairs if p[3] != "initial"]
    if matched_q <= 0.0:
        return NameScore(0.0, 0.0, 0.0, "no common tokens")
    loose = memo.loose
    missing_q = [i for i in range(len(qtoks)) if i not in used_q]
    total_q += sum([loose[i] for i in missing_q])
    missing_c = [j for j in range(len(ctoks)) if j not in used_c]
    total_c += sum([_loose_weight(c, j, weigh) for j in missing_c])
    cov_q = min(1.0, matched_q / total_q)
    cov_c = min(1.0, matched_c / total_c)
    # One name inside the other (a missing middle name, a shortened company name) is a
    # much better sign than both having words of their own.
    exp_q, exp_c = 0.55, 0.45
    if solid >= 2 and not missing_q:
        exp_c = CONTAINED_EXPONENT
    elif solid >= 2 and not missing_c:
        exp_q = CONTAINED_EXPONENT
    value = (cov_q**exp_q) * (cov_c**exp_c)
    if numbers_differ(qtoks, ctoks):
        # As OpenSanctions' logic-v2 does (nm_number_mismatch), and no whole-string view.
        value *= 1.0 - NUMBER_MISMATCH
        notes.append("numbers differ: " + "/".join(sorted(numbers(qtoks) ^ numbers(ctoks))))
    else:
        # A whole-string view catches spacing and transpositions that tokens miss.
        compact = Indel.normalized_similarity(q.compact, c.compact)
        if compact > value and compact >= 0.88:
            value = compact
            notes.append(f"compact {compact:.2f}")
    if missing_q:
        notes.append("query only: " + " ".join([qtoks[i] for i in missing_q]))
    if missing_c:
        notes.append("candidate only: " + " ".join([ctoks[j] for j in missing_c]))
    return NameScore(value, cov_q, cov_c, ", ".join(notes))
