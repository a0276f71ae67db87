"""Pydantic models of the HTTP API.

The matching and entity models follow yente's wire format (``yente/data/common.py``) so
that yente/OpenSanctions clients work unchanged; fields that only this service has
(``as_of``, ``snapshot_ids``, ``listings``, ``explanation``) are extra keys that those
clients ignore.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

EXAMPLE_TIME = datetime(2021, 7, 7)


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["as_of '2021-13-01' is not a date (YYYY-MM-DD)"])


class StatusResponse(BaseModel):
    status: str = Field("ok", examples=["ok"])
    detail: str | None = Field(None, examples=["index ready"])


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[42])
    relation: str = Field("eq", examples=["eq"])


class EntityResponse(BaseModel):
    """An entity as yente returns it; ``properties.sanctions`` holds nested Sanction entities."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["us-sdn-9760"])
    caption: str = Field(..., examples=["LUKASHENKA, Alyaksandr Hryhoryavich"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, list[Any]] = Field(..., examples=[{"name": ["LUKASHENKA, Alyaksandr"]}])
    datasets: list[str] = Field(default_factory=list, examples=[["us_ofac_sdn"]])
    referents: list[str] = Field(default_factory=list, examples=[[]])
    target: bool = Field(False, examples=[True])
    first_seen: datetime | None = Field(None, examples=[EXAMPLE_TIME])
    last_seen: datetime | None = Field(None, examples=[EXAMPLE_TIME])
    last_change: datetime | None = Field(None, examples=[EXAMPLE_TIME])


class FeatureExplanation(BaseModel):
    score: float = Field(..., examples=[0.89])
    weight: float = Field(..., examples=[1.0])
    detail: str = Field(..., examples=["alexander=alexander, lukashenko=lukashenko"])


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., examples=[0.89])
    features: dict[str, float] = Field(..., examples=[{"name_tokens": 0.89}])
    match: bool = Field(False, examples=[True])
    explanations: dict[str, FeatureExplanation] = Field(default_factory=dict)
    explanation: str = Field("", examples=["name_tokens +0.89: alexander=alexander"])
    matched_name: str = Field("", examples=["LUKASHENKO, Alexander Grigoryevich"])
    authorisations: list[dict[str, Any]] = Field(
        default_factory=list, description="Our extension (yente clients ignore it): licences in "
        "force on the screening date whose scope names this party, e.g. OFAC Belarus GL 13 "
        "(identifier, kind, start, end, extent, owned_50, source_url, confirmed, ...). The party "
        "stays listed: an authorisation is not a delisting")


def _check_text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"text with an unpaired surrogate at character {exc.start}") from None


class EntityExample(BaseModel):
    """One query entity: an FtM schema and properties (strings or lists of strings)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[str]] = Field(
        ..., examples=[{"name": ["Alexander Lukashenko"], "birthDate": ["1954-08-30"], "nationality": ["by"]}])

    @model_validator(mode="after")
    def _encodable(self) -> EntityExample:
        """JSON escapes can spell a lone surrogate (``"\\ud800"``), which no UTF-8 reply can
        carry: the example is echoed in the response, so refuse it here, not when the
        reply is written (a 500)."""
        for value in (self.id or "", self.schema_, *self.properties):
            _check_text(value)
        for values in self.properties.values():
            for value in [values] if isinstance(values, str) else values:
                _check_text(value)
        return self


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict, examples=[{}])
    config: dict[str, Any] = Field(default_factory=dict, examples=[{}])
    queries: dict[str, EntityExample] = Field(..., examples=[{
        "q1": {"schema": "Person", "properties": {"name": ["Alexander Lukashenko"], "birthDate": ["1954"]}}}])

    @model_validator(mode="after")
    def _encodable_keys(self) -> EntityMatchQuery:
        """The query keys key the response too (see ``EntityExample``)."""
        for key in self.queries:
            _check_text(key)
        return self


class EntityMatches(BaseModel):
    status: int = Field(200, examples=[200])
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str | None = None


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int = Field(..., examples=[5])
    as_of: str | None = Field(None, examples=["2021-07-07"])
    snapshot_ids: list[str] = Field(default_factory=list, examples=[["ofac_csv-6a04a6f7341690c9"]])


class SearchResponse(BaseModel):
    results: list[EntityResponse]
    facets: dict[str, Any] = Field(default_factory=dict)
    total: TotalSpec
    limit: int
    offset: int = 0


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


class Listing(BaseModel):
    dataset: str
    jurisdiction: str
    snapshot_id: str
    observed_at: str
    entity: dict[str, Any]
    sanctions: list[dict[str, Any]]


class PartyResponse(EntityResponse):
    """``GET /entities/{id}``: the yente entity plus each list's listing as of the date."""

    as_of: str | None = None
    listings: list[Listing] = Field(default_factory=list)


class EventModel(BaseModel):
    kind: str = Field(..., examples=["listed"])
    dataset: str
    entity_id: str
    observed: str | None
    previous_observed: str | None
    snapshot_id: str | None
    source_dates: dict[str, list[str]]
    changes: list[dict[str, Any]]
    note: str


class HistoryResponse(BaseModel):
    entity_id: str
    events: list[EventModel]


class ListedParty(BaseModel):
    dataset: str
    id: str
    schema_: str = Field(..., alias="schema")
    caption: str
    program: list[str] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)


class ListsResponse(BaseModel):
    as_of: str | None
    total: int
    limit: int
    offset: int
    results: list[ListedParty]


class DiffResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(None, alias="from")
    to: str | None
    snapshots: dict[str, dict[str, str | None]]
    counts: dict[str, dict[str, int]]
    notes: list[str]
    entries: list[dict[str, Any]]


class SourceSnapshot(BaseModel):
    dataset: str
    snapshot_id: str
    kind: str
    observed_at: str
    published_at: str | None
    parties: int
    entities: int
    statements: int
    sha256: str
    parser_version: str
    full_snapshot: bool


class SourcesResponse(BaseModel):
    snapshots: list[SourceSnapshot]


class IngestResponse(BaseModel):
    snapshot_id: str
    kind: str
    observed_at: str
    skipped: bool
    summary: str
    datasets: dict[str, int]
