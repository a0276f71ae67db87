"""Scoring as data: a list of features, each a pure function returning value and evidence.

The score of a candidate name is ``clamp(sum(weight * value))`` over :data:`FEATURES`.
The name feature has weight 1 and carries most of the score; the others nudge it: a
weak alias, a different legal form or a schema clash lower it, an agreeing birth date or
country raises it a little, a disagreeing one lowers it more, and an exact identifier
match lifts it strongly. Weights are hand-set, not fitted to any list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sanctions_ledger.match.keys import acronyms
from sanctions_ledger.match.names import SimCache, Weigher, compare_names
from sanctions_ledger.match.normalise import NameForm, analyse
from sanctions_ledger.match.tokens import is_word, length_weight
from sanctions_ledger.match.types import Feature
from sanctions_ledger.vocab import CRAFT_SCHEMAS, ORG_SCHEMAS, schema_family

__all__ = [
    "DEFAULT_THRESHOLD",
    "FEATURES",
    "IndexedParty",
    "best_per_party",
    "Probe",
    "compare",
    "evaluate",
    "explain",
    "score_name",
]

WEAK_ALIAS_SHARE = 0.4
"""A weak alias costs this share of its feature weight (0.08); the whole (0.2) when one
word of it is all a query of several words can match."""
DEFAULT_THRESHOLD = 0.75
"""Suggested alert level; see docs/matching.md for how it was chosen."""

ORG_SCHEMATA = ORG_SCHEMAS
_ID_CLEAN = re.compile(r"[^0-9A-Z]")
_CRAFT = CRAFT_SCHEMAS
_WORDS = re.compile(r"\w+")
OTHER_WRITING = 0.5
"""Legal-form agreement when the forms are of one kind but written differently (the last
words differ: LTDA and SDN BHD, two countries' limited companies): half of it."""


def clean_identifier(value: str) -> str:
    """Identifiers compare without spaces, dashes, dots or case; ``IMO`` prefix dropped."""
    key = _ID_CLEAN.sub("", value.upper())
    return key[3:] if key.startswith("IMO") and key[3:].isdigit() else key


def is_org_schema(schema: str) -> bool:
    return schema in ORG_SCHEMATA


@dataclass(frozen=True, slots=True)
class IndexedParty:
    """What the scorer knows about a listed party besides its names."""

    entity_id: str
    dataset: str
    schema: str
    caption: str
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        # Explicit, so that the class pickles the same compiled (mypyc) or not.
        return (IndexedParty, (self.entity_id, self.dataset, self.schema, self.caption,
                        self.birth_dates, self.countries, self.identifiers))


@dataclass(frozen=True, slots=True)
class Probe:
    """A validated query with its name analysed once."""

    form: NameForm
    schema: str
    birth_date: str | None
    country: str | None
    identifier: str | None
    sim_cache: SimCache = field(default_factory=SimCache, compare=False, repr=False)
    """Token similarities computed for this query (shared by all its candidates)."""


FeatureFn = Callable[[Probe, NameForm, str, IndexedParty, Weigher], tuple[float, str]]


def f_name(probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher) -> tuple[float, str]:
    # Acronyms and syllable abbreviations stand for organisations' names, not people's,
    # nor the registration marks and hull names of aircraft and vessels (EP-CPV)
    abbreviations = (
        probe.schema != "Person" and party.schema not in _CRAFT
        and (cand.is_org or probe.form.is_org)
    )
    result = compare_names(probe.form, cand, weigh, probe.sim_cache, abbreviations)
    return result.value, result.evidence


def f_weak_alias(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher
) -> tuple[float, str]:
    if kind != "weakAlias":
        return 0.0, ""
    q = probe.form
    if (
        len(cand.tokens) == 1
        and sum([1 for tok in q.tokens if is_word(tok)]) >= 2
        and cand.tokens[0] not in acronyms(q.tokens, q.legal_forms)
    ):
        # A nickname or a one-word a.k.a. (not the query's initials) can confirm one word
        # of a fuller name, never the others: MIKE for Mike Flood, COTTO for Tom Cotton.
        return -1.0, "matched a one-word weak alias (low-quality a.k.a.) with one word of the query"
    return -WEAK_ALIAS_SHARE, "matched a weak alias (low-quality a.k.a.)"


def f_legal_form(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher
) -> tuple[float, str]:
    a, b = set(probe.form.legal_forms), set(cand.legal_forms)
    if not a or not b:
        return 0.0, ""
    if a & b:
        # Written alike (LTDA and LTDA, not LTDA and SDN BHD), the form of one country and
        # language; the same kind written otherwise counts half.
        alike = _last_word(probe.form.original) == _last_word(cand.original)
        return 1.0 if alike else OTHER_WRITING, "same legal form " + "/".join(sorted(a & b))
    return -1.0, f"legal form {'/'.join(sorted(a))} vs {'/'.join(sorted(b))}"


def _last_word(name: str) -> str:
    words = _WORDS.findall(name.upper())
    return words[-1] if words else ""


def f_schema(probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher) -> tuple[float, str]:
    fq = schema_family(probe.schema)
    fc = schema_family(party.schema)
    if "any" in (fq, fc) or fq == fc:
        return 0.0, ""
    if {fq, fc} <= {"org", "vessel", "airplane"}:
        return -0.3, f"schema {probe.schema} vs {party.schema}"
    return -1.0, f"schema {probe.schema} vs {party.schema}"


def _date_agreement(query: str, listed: tuple[str, ...]) -> tuple[float, str]:
    best = -1.0
    best_ev = ""
    qy = query[:4]
    for d in listed:
        prefix = min(len(query), len(d))
        if query[:prefix] == d[:prefix]:
            value = 1.0 if prefix >= 10 else 0.7
            if value > best:
                best, best_ev = value, f"birth date {query} = {d}"
        elif qy.isdigit() and d[:4].isdigit() and abs(int(qy) - int(d[:4])) <= 1:
            if 0.0 > best:
                best, best_ev = 0.0, f"birth date {query} ~ {d}"
        elif best < -0.5:
            best_ev = f"birth date {query} != {', '.join(listed)}"
    return best, best_ev


def f_birth_date(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher
) -> tuple[float, str]:
    if not probe.birth_date or not party.birth_dates:
        return 0.0, ""
    return _date_agreement(probe.birth_date, party.birth_dates)


def f_country(probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher) -> tuple[float, str]:
    if not probe.country or not party.countries:
        return 0.0, ""
    if probe.country in party.countries:
        return 1.0, f"country {probe.country} listed"
    return -1.0, f"country {probe.country} not in {', '.join(party.countries)}"


def f_identifier(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher
) -> tuple[float, str]:
    if not probe.identifier or not party.identifiers:
        return 0.0, ""
    key = clean_identifier(probe.identifier)
    if len(key) >= 4 and key in party.identifiers:
        return 1.0, f"identifier {probe.identifier} listed"
    return 0.0, ""


FEATURES: tuple[tuple[str, float, FeatureFn], ...] = (
    ("name_tokens", 1.0, f_name),
    ("weak_alias", 0.2, f_weak_alias),
    ("legal_form", 0.04, f_legal_form),
    ("schema", 0.25, f_schema),
    ("birth_date", 0.12, f_birth_date),
    ("country", 0.06, f_country),
    ("identifier", 0.5, f_identifier),
)
"""(name, weight, function): the whole scoring model."""


Part = tuple[str, float, float, str]
"""(feature name, weight, value, evidence) before rounding."""


def evaluate(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher = length_weight
) -> tuple[float, list[Part]]:
    """The score of one listed name of ``party`` and the features that made it, unrounded
    (:func:`explain` turns them into what :func:`score_name` returns). A name with no
    name score scores 0 with only that feature."""
    parts: list[Part] = []
    total = 0.0
    for k in range(len(FEATURES)):
        name, weight, _ = FEATURES[k]
        value, evidence = _feature_value(k, probe, cand, kind, party, weigh)
        if k == 0 and value <= 0.0:
            return 0.0, [(name, weight, 0.0, evidence)]
        if value == 0.0 and not evidence:
            continue
        parts.append((name, weight, value, evidence))
        total += weight * value
    return round(min(1.0, max(0.0, total)), 4), parts


def _feature_value(
    k: int, probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher
) -> tuple[float, str]:
    """The function of ``FEATURES[k]`` applied, called directly: compiled (mypyc), a call
    through the table's function object costs more than most features' work, and
    evaluate makes seven per name scored. A test checks that this follows the table."""
    if k == 0:
        return f_name(probe, cand, kind, party, weigh)
    if k == 1:
        return f_weak_alias(probe, cand, kind, party, weigh)
    if k == 2:
        return f_legal_form(probe, cand, kind, party, weigh)
    if k == 3:
        return f_schema(probe, cand, kind, party, weigh)
    if k == 4:
        return f_birth_date(probe, cand, kind, party, weigh)
    if k == 5:
        return f_country(probe, cand, kind, party, weigh)
    return f_identifier(probe, cand, kind, party, weigh)


Best = tuple[float, float, int, list[Part]]
"""A party's best name: (score, unclamped total, name id, features)."""


def best_per_party(
    probe: Probe,
    queue: list[int],
    names: list[tuple[int, str, NameForm]],
    parties: list[IndexedParty],
    weigh: Weigher,
    budget: int,
    names_per_party: int,
    best: dict[int, Best] | None = None,
    touched: set[int] | None = None,
) -> dict[int, Best]:
    """Score the names ``queue`` (ids into ``names``: party index, kind, form) in order,
    at most ``budget`` of them and ``names_per_party`` per party; per party that scored
    above 0, its best name (updating ``best`` if given). The score is clamped to 1, so
    equal scores rank by the unclamped total (an agreeing legal form or birth date still
    counts between two perfect names), then by the lower name id. Into ``touched`` (if
    given): the parties of the names scored, whatever their score."""
    if best is None:
        best = {}
    per_party: dict[int, int] = {}
    scored = 0
    for nid in queue:
        if scored >= budget:
            break
        pidx, kind, form = names[nid]
        seen = per_party.get(pidx, 0)
        if seen >= names_per_party:
            continue
        per_party[pidx] = seen + 1
        scored += 1
        if touched is not None:
            touched.add(pidx)
        score, parts = evaluate(probe, form, kind, parties[pidx], weigh)
        if score <= 0.0:
            continue
        raw = 0.0
        for part in parts:
            raw += part[1] * part[2]
        prev = best.get(pidx)
        if prev is None or score > prev[0] or (
            score == prev[0] and (raw > prev[1] or (raw == prev[1] and nid < prev[2]))
        ):
            best[pidx] = (score, raw, nid, parts)
    return best


def explain(parts: list[Part]) -> tuple[tuple[Feature, ...], str]:
    """Features and explanation of a name scored by :func:`evaluate` (above 0)."""
    feats: list[Feature] = []
    said: list[str] = []
    for name, weight, value, ev in parts:
        value = round(value, 4)
        feats.append(Feature(name, weight, value, ev))
        said.append(f"{name} {weight * value:+.2f}: {ev}")
    return tuple(feats), "; ".join(said)


def score_name(
    probe: Probe, cand: NameForm, kind: str, party: IndexedParty, weigh: Weigher = length_weight
) -> tuple[float, tuple[Feature, ...], str]:
    """Score one listed name of ``party`` against the probe: (score, features, explanation)."""
    score, parts = evaluate(probe, cand, kind, party, weigh)
    if parts[0][0] == "name_tokens" and parts[0][2] <= 0.0:
        name, weight, _, evidence = parts[0]
        return 0.0, (Feature(name, weight, 0.0, evidence),), evidence
    feats, explanation = explain(parts)
    return score, feats, explanation


def compare(a: str, b: str, schema: str = "Any") -> tuple[float, tuple[Feature, ...], str]:
    """Score name ``b`` against name ``a`` without an index (token weights by length)."""
    is_org = is_org_schema(schema)
    person = schema == "Person"
    probe = Probe(analyse(a, is_org, person), schema, None, None, None)
    party = IndexedParty("", "", schema, b, (), (), ())
    return score_name(probe, analyse(b, is_org, person), "name", party)
