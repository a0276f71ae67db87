"""yente's query-by-example protocol over the screening service: requests in, responses out.

An example entity becomes one :class:`~sanctions_ledger.match.Query` per name (the other
facts — birth date, country, identifier — confirm or refute each); the screening service
screens them (:meth:`~sanctions_ledger.screening.service.ScreeningService.search_any`: hits
merged per party, cut at ``cutoff``); here they are flagged ``match`` at ``threshold`` and
rendered in yente's shape. No screening happens in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sanctions_ledger.api.schemas import EntityExample
from sanctions_ledger.errors import InputError
from sanctions_ledger.match import FEATURES, Hit, Query, validate_query
from sanctions_ledger.screening.records import EntityRecord
from sanctions_ledger.vocab import COUNTRY_PROPS, DATE_PROPS, IDENTIFIER_PROPS, QUERY_NAME_PROPS

ALGORITHM = "ledger-v1"
ALGORITHM_ALIASES = frozenset({ALGORITHM, "best", "default"})
ALGORITHM_DESCRIPTION = ("Token index with transliteration and typo keys, scored by weighted features; "
                         "every feature returns its own evidence (see /algorithms).")
NAME_PROPS = QUERY_NAME_PROPS
ID_PROPS = IDENTIFIER_PROPS
MAX_NAMES_PER_QUERY = 8
OVERFETCH = 4


def _feature_docs() -> dict[str, dict[str, Any]]:
    out = {}
    for name, weight, fn in FEATURES:
        doc = (fn.__doc__ or "").strip().splitlines()
        out[name] = {"description": doc[0] if doc else name.replace("_", " "), "coefficient": weight,
                     "url": None}
    return out


FEATURE_DOCS = _feature_docs()
"""The matcher's features as yente's responses describe them (``matcher``): computed once at
import, never changed (a plain dict, so that orjson serialises it as it is)."""


def feature_docs() -> dict[str, dict[str, Any]]:
    return FEATURE_DOCS


def check_algorithm(name: str) -> None:
    if name not in ALGORITHM_ALIASES:
        raise InputError(f"unknown algorithm {name!r}; available: {ALGORITHM} (also 'best', 'default')")


def _values(props: dict[str, str | list[str]], names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for prop in names:
        raw = props.get(prop)
        if raw is None:
            continue
        for value in [raw] if isinstance(raw, str) else raw:
            if not isinstance(value, str):
                raise InputError(f"property {prop} must be strings")
            if value.strip() and value not in out:
                out.append(value)
    return out


def to_queries(example: EntityExample, max_name_length: int) -> list[Query]:
    """The queries one example entity runs: one per distinct name."""
    props = example.properties
    names = _values(props, NAME_PROPS[:4])
    if not names:
        first, last = _values(props, ("firstName",)), _values(props, ("lastName",))
        if first or last:
            names = [" ".join(first[:1] + last[:1])]
    if not names:
        raise InputError("the query entity has no name (properties.name)")
    for name in names:
        if len(name) > max_name_length:
            raise InputError(f"name longer than {max_name_length} characters", 422)
    birth = _values(props, DATE_PROPS)
    country = _values(props, COUNTRY_PROPS)
    ident = _values(props, ID_PROPS)
    schema = example.schema_
    if schema in ("Thing",):
        schema = "Any"
    return [validate_query(Query(name, schema=schema, birth_date=birth[0] if birth else None,
                                 country=country[0] if country else None,
                                 identifier=ident[0] if ident else None))
            for name in names[:MAX_NAMES_PER_QUERY]]


@dataclass
class Plan:
    """Hits of one query entity before its party records are attached."""

    key: str
    example: EntityExample
    hits: list[Hit]


def fetch_limit(limit: int, overfetch: bool) -> int:
    """Hits to screen for per example: more than ``limit`` when filters on the party records
    (topics, changed_since) may drop some after screening."""
    return limit * OVERFETCH if overfetch else limit


def _keep(rec: EntityRecord, topics: list[str], changed_since: date | None) -> bool:
    if topics and not set(topics) & set(rec.topics):
        return False
    return not (changed_since and (rec.last_change is None or rec.last_change < changed_since))


def render(plan: Plan, records: dict[tuple[str, str], EntityRecord], *, limit: int, threshold: float,
           topics: list[str], changed_since: date | None) -> dict[str, Any]:
    results = []
    for hit in plan.hits:
        rec = records.get((hit.dataset, hit.entity_id))
        if rec is None or not _keep(rec, topics, changed_since):
            continue
        doc = rec.to_json()
        doc["score"] = round(hit.score, 4)
        doc["features"] = {f.name: round(f.value, 4) for f in hit.features}
        doc["explanations"] = {f.name: {"score": round(f.value, 4), "weight": f.weight, "detail": f.evidence}
                               for f in hit.features}
        doc["match"] = hit.score >= threshold
        doc["explanation"] = hit.explanation
        doc["matched_name"] = hit.matched_name
        results.append(doc)
        if len(results) >= limit:
            break
    query = plan.example.model_dump(by_alias=True)
    query["properties"] = {k: [v] if isinstance(v, str) else v for k, v in query["properties"].items()}
    return {"status": 200, "results": results, "total": {"value": len(results), "relation": "eq"},
            "query": query}


def parse_changed_since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"changed_since {value!r} is not a date (YYYY-MM-DD[THH:MM:SS])") from exc


def plans_keys(plans: list[Plan]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((h.dataset, h.entity_id) for p in plans for h in p.hits))

