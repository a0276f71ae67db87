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

from rapidfuzz.distance import Indel

from sanctions_ledger.match.normalise import NameForm, consonants

__all__ = ["NameScore", "compare_names", "length_weight", "token_similarity"]

Weigher = Callable[[str], float]

MIN_TOKEN_SIM = 0.72
"""Below this two tokens are different words, not spellings of one word."""
INITIAL_SIM = 0.85
TRANSLIT_SIM = 0.94
ABBREV_SIM = 0.85
"""IMP/IMPORT, IND/INDUSTRIES: a written-out word's first letters."""
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


def token_similarity(
    a: str, sa: str, va: bool, b: str, sb: str, vb: bool
) -> tuple[float, str]:
    """Similarity of two ASCII tokens (with skeletons and abjad flags) and its kind."""
    if a == b:
        return 1.0, "="
    if len(a) == 1 or len(b) == 1:
        return (INITIAL_SIM, "initial") if a[0] == b[0] else (0.0, "")
    if _gendered(a, b):
        return GENDER_SIM, "gender form"
    r = Indel.normalized_similarity(a, b)
    if sa == sb and len(sa) >= 2:
        # Same consonant skeleton: a transliteration variant if the letters agree enough.
        if len(sa) >= 4:
            return max(r, TRANSLIT_SIM - 0.1 * (1.0 - r)), "translit"
        if r >= 0.65:
            return max(r, 0.75 + 0.2 * r), "translit"
    if va or vb:
        # Abjad romanisations carry no short vowels: compare consonants.
        ca, cb = consonants(a), consonants(b)
        if len(ca) >= 2 or len(cb) >= 2:
            r = max(r, 0.97 * Indel.normalized_similarity(ca, cb))
    elif len(sa) >= 4 and len(sb) >= 4:
        r = max(r, 0.85 * Indel.normalized_similarity(sa, sb))
    if r < MIN_TOKEN_SIM:
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if len(short) >= 3 and len(long_) >= len(short) + 2 and short[0] == long_[0]:
            if long_.startswith(short) or _subsequence(short, long_):
                return ABBREV_SIM, "abbreviation"
        return 0.0, ""
    return r, "~"


@dataclass(frozen=True, slots=True)
class NameScore:
    value: float
    coverage_query: float
    coverage_candidate: float
    evidence: str


def _join_match(
    loose: list[int], other: NameForm, other_loose: list[int], mine: NameForm
) -> list[tuple[int, int, int, float]]:
    """Adjacent loose tokens of ``other`` that together spell one loose token of ``mine``."""
    out: list[tuple[int, int, int, float]] = []
    used: set[int] = set()
    free = set(other_loose)
    for i in loose:
        tok = mine.tokens[i]
        abjad = mine.vowelless[i] or any(other.vowelless)
        for j in other_loose:
            if j in used or j + 1 not in free or j + 1 in used:
                continue
            joined = other.tokens[j] + other.tokens[j + 1]
            r = Indel.normalized_similarity(tok, joined)
            if abjad:
                r = max(r, 0.97 * Indel.normalized_similarity(consonants(tok), consonants(joined)))
            if r >= 0.85:
                out.append((i, j, j + 1, r))
                used.update((j, j + 1))
                break
    return out


CONTAINED_EXPONENT = 0.25
MIDDLE_DISCOUNT = 0.5
"""An unmatched middle name or patronymic of a person counts half."""


def _loose_weight(form: NameForm, i: int, weigh: Weigher) -> float:
    tok = form.tokens[i]
    if len(tok) == 1:
        return 0.3
    w = weigh(tok)
    if form.is_org or len(form.tokens) < 3:
        return w
    n = len(form.tokens)
    if form.comma_surname:
        middle = i > form.comma_surname
    else:
        middle = 0 < i < n - 1
    return w * MIDDLE_DISCOUNT if middle else w


def compare_names(q: NameForm, c: NameForm, weigh: Weigher = length_weight) -> NameScore:
    """Score candidate name ``c`` against query name ``q`` in [0, 1], with evidence."""
    if not q.tokens or not c.tokens:
        return NameScore(0.0, 0.0, 0.0, "empty name")
    pairs: list[tuple[float, int, int, str]] = []
    for i, (a, sa, va) in enumerate(zip(q.tokens, q.skeletons, q.vowelless, strict=True)):
        for j, (b, sb, vb) in enumerate(zip(c.tokens, c.skeletons, c.vowelless, strict=True)):
            sim, kind = token_similarity(a, sa, va, b, sb, vb)
            if sim > 0.0:
                pairs.append((sim, i, j, kind))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched = 0.0
    solid = 0
    total_q = 0.0
    total_c = 0.0
    notes: list[str] = []
    for sim, i, j, kind in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        a, b = q.tokens[i], c.tokens[j]
        if kind == "initial":
            w = 0.3
        else:
            w = (weigh(a) + weigh(b)) / 2
            solid += a not in PARTICLES
        matched += sim * w
        total_q += w
        total_c += w
        notes.append(f"{a}={b}" if kind == "=" else f"{a}~{b} ({kind} {sim:.2f})")
    loose_q = [i for i in range(len(q.tokens)) if i not in used_q]
    loose_c = [j for j in range(len(c.tokens)) if j not in used_c]
    if loose_q and len(loose_c) >= 2:
        for i, j, k, r in _join_match(loose_q, c, loose_c, q):
            w = weigh(q.tokens[i])
            matched += r * w
            total_q += w
            total_c += w
            used_q.add(i)
            solid += 1
            used_c.update((j, k))
            notes.append(f"{q.tokens[i]}~{c.tokens[j]}+{c.tokens[k]} (joined {r:.2f})")
    if loose_c and len(loose_q) >= 2:
        loose_q = [i for i in range(len(q.tokens)) if i not in used_q]
        loose_c = [j for j in range(len(c.tokens)) if j not in used_c]
        for j, i, k, r in _join_match(loose_c, q, loose_q, c):
            w = weigh(c.tokens[j])
            matched += r * w
            total_q += w
            total_c += w
            used_q.update((i, k))
            solid += 1
            used_c.add(j)
            notes.append(f"{q.tokens[i]}+{q.tokens[k]}~{c.tokens[j]} (joined {r:.2f})")
    missing_q = [t for i, t in enumerate(q.tokens) if i not in used_q]
    missing_c = [t for j, t in enumerate(c.tokens) if j not in used_c]
    total_q += sum(_loose_weight(q, i, weigh) for i in range(len(q.tokens)) if i not in used_q)
    total_c += sum(_loose_weight(c, j, weigh) for j in range(len(c.tokens)) if j not in used_c)
    if matched <= 0.0:
        return NameScore(0.0, 0.0, 0.0, "no common tokens")
    cov_q = matched / total_q
    cov_c = matched / total_c
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
