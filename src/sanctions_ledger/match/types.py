"""Value types of the matching API: queries in, hits with their evidence out."""

from __future__ import annotations

from dataclasses import dataclass

from sanctions_ledger.vocab import NAME_PROPS, SCREENABLE_SCHEMAS

__all__ = ["NAME_KINDS", "PARTY_SCHEMATA", "Feature", "Hit", "Query"]

PARTY_SCHEMATA = SCREENABLE_SCHEMAS
"""FtM schemata the index holds (:data:`sanctions_ledger.vocab.SCREENABLE_SCHEMAS`); anything
else given to ``MatchIndex.build`` is skipped."""

NAME_KINDS = NAME_PROPS
"""Name properties read from an entity, strongest first."""


@dataclass(frozen=True)
class Query:
    """What a caller screens: a name plus optional facts that confirm or refute a hit.

    ``schema`` is an FtM schema name or ``"Any"``; ``birth_date`` is ``YYYY``, ``YYYY-MM``
    or ``YYYY-MM-DD``; ``country`` an ISO 3166-1 alpha-2 code; ``identifier`` any
    passport, national id, registration, tax or IMO number.
    """

    name: str
    schema: str = "Any"
    birth_date: str | None = None
    country: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class Feature:
    """One piece of evidence: ``weight * value`` is its contribution to the score.

    ``value`` is in [-1, 1] (negative values count against a match) and ``evidence`` says
    in words what was compared, e.g. ``"LUKASHENKO~LUKASHENKA (translit)"``.
    """

    name: str
    weight: float
    value: float
    evidence: str


@dataclass(frozen=True)
class Hit:
    """A listed party that matched, with the name that matched best and why."""

    entity_id: str
    dataset: str
    schema: str
    caption: str
    matched_name: str
    name_kind: str
    """Which property ``matched_name`` came from: name, alias, weakAlias or previousName."""
    score: float
    """In [0, 1]; see ``DEFAULT_THRESHOLD`` for the suggested alert level."""
    features: tuple[Feature, ...]
    explanation: str
