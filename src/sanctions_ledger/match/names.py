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
    portmanteau,
    voiceless_key,
    vowel_key,
)
from sanctions_ledger.match.normalise import NameForm

__all__ = ["NameScore", "compare_names", "length_weight", "token_similarity"]

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
    """SHPG in SHIPPING, MHMMD in MUHAMMAD: letters dropped, none added, order kept."""
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
    if a[:3] == b[:3] and (a[-1] in "ae" or b[-1] in "ae") and _gendered(a, b):
        return GENDER_SIM, "gender form"
    r = Indel.normalized_similarity(a, b)
    ka, kb = vowel_key(a), vowel_key(b)
    if ka == kb and len(ka) >= 3:
        # Same consonants and vowel positions: a spelling of the same sounds.
        if len(sa) >= 3:
            return max(r, TRANSLIT_SIM - 0.1 * (1.0 - r)), "translit"
        if r >= 0.6:
            return max(r, 0.7 + 0.15 * r), "translit"
    if sa == sb and len(sa) >= 2:
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
    else:
        if len(sa) >= 4 and len(sb) >= 4:
            r = max(r, 0.85 * Indel.normalized_similarity(sa, sb))
        if ka != kb and len(ka) >= 3 and voiceless_key(a) == voiceless_key(b):
            r = max(r, VOICE_SIM)
    if r < MIN_TOKEN_SIM:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if len(short) >= 3 and len(long_) >= len(short) + 2 and short[0] == long_[0]:
            if long_.startswith(short) or _subsequence(short, long_):
                return ABBREV_SIM, "abbreviation"
        return 0.0, ""
    if r < FUZZY_FULL:
        # A plain edit similarity says less the lower it is: stretch it below 0.92.
        r -= FUZZY_STRETCH * (FUZZY_FULL - r)
    return r, "~"


@dataclass(frozen=True, slots=True)
class NameScore:
    value: float
    coverage_query: float
    coverage_candidate: float
    evidence: str


def _joins(q: NameForm, c: NameForm) -> list[tuple[float, tuple[int, ...], tuple[int, ...], str]]:
    """Pairs where 2-3 adjacent tokens of one name, written together, spell one token of
    the other ("BID BOLAND"/"BIDBOLAND", "KYRGYZ TRANS AVIA"/"KYRGYZTRANSAVIA")."""
    out: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    for one, many, flip in ((q, c, False), (c, q, True)):
        toks = many.tokens
        if len(toks) < 2:
            continue
        heads = {t[:2] for t in toks}
        abjad = any(one.vowelless) or any(many.vowelless)
        for i, tok in enumerate(one.tokens):
            if len(tok) < 5 or tok[:2] not in heads:
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
    return out


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


def _loose_weight(form: NameForm, i: int, weigh: Weigher) -> float:
    tok = form.tokens[i]
    if len(tok) == 1:
        return 0.3
    w = weigh(tok)
    return w * MIDDLE_DISCOUNT if form.middle and form.middle[i] else w


_COMPANY = frozenset({"company", "companies", "corporation", "corp", "co"})


def _pair_order(p: tuple[float, tuple[int, ...], tuple[int, ...], str]) -> tuple:
    return (-p[0], p[1], p[2])


SimCache = dict[tuple[str, bool, str, bool], tuple[float, str]]


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


def _abbreviations(
    one: NameForm, loose_one: list[int], many: NameForm
) -> list[tuple[int, tuple[int, ...], float, str]]:
    """Tokens of ``one`` that abbreviate several tokens of ``many`` (candidate pairs for
    the alignment, like joins)."""
    out = []
    free = list(range(len(many.tokens)))
    for i in loose_one:
        tok = one.tokens[i]
        if len(tok) < 3 or len(tok) > 12 or not tok.isalpha() or len(free) < 2:
            continue
        words = tuple(many.tokens[j] for j in free)
        if not _may_abbreviate(tok, words):
            continue
        hit = portmanteau(tok, words)
        if hit is None and tok[-1] == "c" and _COMPANY.intersection(many.legal_forms):
            hit = portmanteau(tok[:-1], words)  # NIOC: the C of a company word
            tok = tok[:-1]
        if hit is None:
            continue
        used = tuple(free[h] for h in hit)
        acronym = len(hit) == len(tok)
        if not acronym and (len(tok) < 5 or len(hit) > len(tok) // 2 + 1):
            continue
        sim = ACRONYM_SIM if acronym else SYLLABLE_SIM
        out.append((i, used, sim, "acronym" if acronym else "syllables"))
    return out


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
    pairs: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    memo: SimCache = {} if cache is None else cache
    get = memo.get
    qsyms, csyms = q.symbols, c.symbols
    ctoks = c.tokens
    cinfo = tuple(zip(range(len(ctoks)), ctoks, c.skeletons, c.vowelless, strict=True))
    for i, (a, sa, va) in enumerate(zip(q.tokens, q.skeletons, q.vowelless, strict=True)):
        qs = qsyms[i] if qsyms else None
        qkey = (i,)
        for j, b, sb, vb in cinfo:
            key = (a, va, b, vb)
            res = get(key)
            if res is None:
                res = memo[key] = token_similarity(a, sa, va, b, sb, vb)
            if qs and res[0] < SYMBOL_SIM and csyms and not qs.isdisjoint(csyms[j]):
                res = (SYMBOL_SIM, "same word")
            if res[0] > 0.0:
                pairs.append((res[0], qkey, (j,), res[1]))
    if len(q.tokens) + len(ctoks) > 2 and (
        max(map(len, q.tokens)) >= 5 or max(map(len, ctoks)) >= 5
    ):
        pairs.extend(_joins(q, c))
    if abbreviations:
        for one, many, flip in ((q, c, False), (c, q, True)):
            if len(many.tokens) < 2:
                continue
            for i, span, sim, kind in _abbreviations(one, list(range(len(one.tokens))), many):
                pairs.append((sim, span, (i,), kind) if flip else (sim, (i,), span, kind))
    pairs.sort(key=_pair_order)
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched_q = matched_c = 0.0
    solid = 0
    total_q = total_c = 0.0
    notes: list[str] = []
    for sim, qi, cj, kind in pairs:
        if len(qi) == 1 and len(cj) == 1:
            i, j = qi[0], cj[0]
            if i in used_q or j in used_c:
                continue
            used_q.add(i)
            used_c.add(j)
            ta, tb = q.tokens[i], ctoks[j]
            if kind == "initial":
                wq = wc = 0.3
            else:
                wq = wc = (weigh(ta) + weigh(tb)) / 2
                solid += ta not in PARTICLES
            notes.append(f"{ta}={tb}" if kind == "=" else f"{ta}~{tb} ({kind} {sim:.2f})")
        else:
            if not used_q.isdisjoint(qi) or not used_c.isdisjoint(cj):
                continue
            used_q.update(qi)
            used_c.update(cj)
            ta = " ".join(q.tokens[i] for i in qi)
            tb = " ".join(ctoks[j] for j in cj)
            wq = sum(weigh(q.tokens[i]) for i in qi)
            wc = sum(weigh(ctoks[j]) for j in cj)
            solid += 1
            notes.append(f"{ta}~{tb} ({kind} {sim:.2f})")
        matched_q += sim * wq
        matched_c += sim * wc
        total_q += wq
        total_c += wc
    missing_q = [t for i, t in enumerate(q.tokens) if i not in used_q]
    missing_c = [t for j, t in enumerate(c.tokens) if j not in used_c]
    total_q += sum(_loose_weight(q, i, weigh) for i in range(len(q.tokens)) if i not in used_q)
    total_c += sum(_loose_weight(c, j, weigh) for j in range(len(c.tokens)) if j not in used_c)
    if matched_q <= 0.0:
        return NameScore(0.0, 0.0, 0.0, "no common tokens")
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
    # A whole-string view catches spacing and transpositions that tokens miss.
    compact = Indel.normalized_similarity(q.compact, c.compact)
    if compact > value and compact >= 0.88:
        value = compact
        notes.append(f"compact {compact:.2f}")
    if missing_q:
        notes.append("query only: " + " ".join(missing_q))
    if missing_c:
        notes.append("candidate only: " + " ".join(missing_c))
    return NameScore(value, cov_q, cov_c, ", ".join(notes))
