"""Pydantic models (documentation and OpenAPI examples) of the cross-list endpoints:
``/status``, ``/divergence``, ``/timeline``, ``/events`` and ``/parties/{party_id}``.

The routes return plain dicts built by the library's ``to_dict()`` methods; these models
describe them, with examples taken from the real 2022 lists."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Linking(BaseModel):
    """Whether ``sanctions resolve`` has linked the ledger's records into parties."""

    linked: bool = Field(..., examples=[True])
    last_run: str | None = Field(None, examples=["2026-11-29T10:15:00"])
    unlinked_records: int = Field(0, examples=[0], description="Party records ingested since the last run")
    note: str = Field("", examples=[""])


class Member(BaseModel):
    entity_id: str = Field(..., examples=["uk-14154"])
    dataset: str = Field(..., examples=["gb_hmt"])
    jurisdiction: str = Field(..., examples=["gb"])
    schema_: str = Field(..., alias="schema", examples=["Organization"])
    caption: str = Field(..., examples=['OPEN JOINT STOCK COMPANY "BELARUSKALI"'])


class LinkModel(BaseModel):
    left: str = Field(..., examples=["uk-14154"])
    right: str = Field(..., examples=["us-sdn-32746"])
    evidence: str = Field(..., examples=["name+country"])
    confidence: float = Field(..., examples=[0.85])
    detail: str | None = Field(None, examples=["name 'belaruskali' ~ 'belaruskali' (1.00); country by"])


class PartyMember(Member):
    evidence: list[LinkModel] = Field(default_factory=list, description="Links joining this record")


class FreshnessModel(BaseModel):
    """The snapshot one list's answer comes from and its age on the asked date."""

    dataset: str = Field(..., examples=["us_ofac_sdn"])
    snapshot: str = Field(..., examples=["2022-05-05"], description="Observed date of the snapshot")
    age_days: int = Field(..., examples=[1673], description="Days from the snapshot to the asked date")
    stale: bool = Field(..., examples=[True],
                        description="Past the list's threshold with no later snapshot")
    stale_after_days: int = Field(..., examples=[7])


class JurisdictionRow(BaseModel):
    jurisdiction: str = Field(..., examples=["gb"])
    name: str = Field(..., examples=["United Kingdom"])
    state: str = Field(..., examples=["listed"], description="listed | listed — authorised | delisted | not listed | uncertain | unknown")
    lists: list[str] = Field(default_factory=list, examples=[["gb_hmt"]])
    entity_ids: list[str] = Field(default_factory=list, examples=[["uk-14154"]])
    programs: list[str] = Field(default_factory=list, examples=[["Belarus"]])
    authorities: list[str] = Field(default_factory=list, examples=[["HM Treasury, OFSI"]])
    designated: list[str] = Field(default_factory=list, examples=[["2021-12-02"]],
                                  description="Designation dates as the list gives them (source dates)")
    first_observed: str | None = Field(None, examples=["2022-05-05"], description="Our first snapshot with it")
    last_observed: str | None = Field(None, examples=["2022-05-05"])
    delisted: str = Field("", examples=[""])
    checked: list[str] = Field(default_factory=list, examples=[["gb_hmt@2022-05-05"]])
    note: str = Field("", examples=[""])
    since: str = Field("", examples=["2021-07-07 < … ≤ 2022-05-05 (observed)"],
                       description="The designation date the list gives (with what it means), "
                                   "otherwise the bracket of our observations")
    observed_after: str | None = Field(None, examples=["2021-07-07"],
                                       description="Our snapshot before first_observed")
    snapshot_date: str | None = Field(None, examples=["2022-05-05"],
                                      description="The oldest snapshot the state rests on")
    age_days: int | None = Field(None, examples=[1673])
    stale: bool = Field(False, examples=[True])
    freshness: list[FreshnessModel] = Field(default_factory=list)
    answer: str = Field("", examples=["listed — authorised by OFAC Belarus GL 13 (general licence) "
                                      "since 2025-12-15, no expiry, all transactions"],
                        description="The state in one sentence, with what it rests on")
    authorisations: list[dict[str, Any]] = Field(
        default_factory=list, description="Licences in force on the date whose scope names the "
        "party (identifier, kind, start, end, expires, extent, owned_50, scope, source_url, "
        "confirmed, ...): an authorisation, never a delisting")
    delisted_by: dict[str, Any] | None = Field(
        None, description="The dated legal act (and its event) behind a 'delisted' the lists cannot show")
    partial: dict[str, Any] | None = Field(
        None, description="Sightings in partial list files (seen, last_seen, no_longer_seen_since)")
    acts: list[dict[str, Any]] = Field(default_factory=list,
                                       description="Every licence and legal act naming the party")


class Candidate(BaseModel):
    party_id: str
    caption: str
    score: float


class StatusResult(BaseModel):
    """``GET /status``: one row per jurisdiction for the party found."""

    party_id: str = Field(..., examples=["sl-bad419a447"])
    caption: str = Field(..., examples=['OPEN JOINT STOCK COMPANY "BELARUSKALI"'])
    as_of: str | None = Field(None, examples=["2022-05-05"])
    asked: str | None = Field(None, examples=["2026-12-03"],
                              description="The date ages are counted to (as_of, or today)")
    stale: bool = Field(False, description="Some jurisdiction's state rests on a stale snapshot")
    matched: str = Field("", examples=['OPEN JOINT STOCK COMPANY "BELARUSKALI" (uk-14154, score 1.00)'])
    resolved: bool = Field(True, examples=[True])
    members: list[PartyMember]
    links: list[LinkModel]
    jurisdictions: list[JurisdictionRow]
    other_candidates: list[Candidate] = Field(default_factory=list)
    linking: Linking


class Side(BaseModel):
    listed: bool = Field(..., examples=[True])
    lists: list[str] = Field(default_factory=list, examples=[["gb_hmt"]])
    entity_ids: list[str] = Field(default_factory=list, examples=[["uk-14154"]])
    designated: str | None = Field(None, examples=["2021-12-02"])
    designated_list: str | None = Field(None, examples=["gb_hmt"], description="The list giving it")
    designated_label: str | None = Field(None, examples=["designation date the list gives"])
    first_observed: str | None = Field(None, examples=["2022-05-05"])
    observed_after: str | None = Field(None, examples=["2021-07-07"])
    since: str = Field("", examples=["2021-07-07 < … ≤ 2022-05-05"],
                       description="Listed: the observation bracket; not listed: why not")


class DivergentParty(BaseModel):
    party_id: str = Field(..., examples=["sl-bad419a447"])
    caption: str = Field(..., examples=['OPEN JOINT STOCK COMPANY "BELARUSKALI"'])
    schema_: str = Field(..., alias="schema", examples=["Organization"])
    listed_by: list[str] = Field(..., examples=[["gb", "us"]])
    not_listed_by: list[str] = Field(..., examples=[["eu"]])
    sides: dict[str, Side]


class DivergenceResult(BaseModel):
    as_of: str | None = Field(None, examples=["2022-05-05"])
    compared: list[str] = Field(..., examples=[["us", "eu", "gb"]])
    snapshots: dict[str, list[str]] = Field(..., examples=[{"eu": ["eu_fsf@2022-05-05"]}])
    in_scope: int = Field(..., examples=[338], description="Parties matching the filters")
    total: int = Field(..., examples=[291], description="Parties listed by some and not others")
    counts: dict[str, int] = Field(..., examples=[{"gb+us": 19, "eu": 92}])
    limit: int = Field(..., examples=[500])
    offset: int = Field(0, examples=[0])
    notes: list[str] = Field(default_factory=list,
                             examples=[["un: no sanctions list snapshot on or before 2022-05-05; not compared"]])
    stale: bool = Field(False, description="Some compared list's snapshot is stale")
    freshness: dict[str, list[FreshnessModel]] = Field(default_factory=dict)
    parties: list[DivergentParty]
    linking: Linking


class SeriesModel(BaseModel):
    jurisdiction: str = Field(..., examples=["eu"])
    designated: list[tuple[str, int]] = Field(..., examples=[[["2020-10-02", 40], ["2020-11-06", 55]]],
                                              description="(date, cumulative parties) by source dates")
    undated: int = Field(0, examples=[0])
    observed: list[tuple[str, int]] = Field(..., examples=[[["2022-05-05", 196]]],
                                            description="(snapshot date, parties in our snapshots)")
    skipped: list[str] = Field(default_factory=list, examples=[[]])
    last_snapshot: str | None = Field(None, examples=["2022-05-05"],
                                      description="The lines end at this snapshot")


class EventItem(BaseModel):
    id: str = Field(..., examples=["74d6d3fb44f90260"])
    date: str = Field(..., examples=["2020-08-09"])
    title: str = Field(..., examples=["Belarus presidential election"])
    url: str | None = Field(None, examples=["https://en.wikipedia.org/wiki/2020_Belarusian_presidential_election"])
    tags: list[str] = Field(default_factory=list, examples=[["by", "belarus", "election"]])
    related: list[str] = Field(default_factory=list, examples=[["us-sdn-9760"]])


class TimelineResult(BaseModel):
    country: str | None = Field(None, examples=["by"])
    program: str | None = Field(None, examples=[None])
    parties: int = Field(..., examples=[342])
    series: list[SeriesModel]
    events: list[EventItem]
    linking: Linking


class EventsResult(BaseModel):
    events: list[EventItem]


class PartyResult(BaseModel):
    """``GET /parties/{party_id}``: the linked cluster."""

    party_id: str = Field(..., examples=["sl-4280c7ec3d"])
    requested: str = Field(..., examples=["us-sdn-9760"], description="The id asked for")
    caption: str = Field(..., examples=["Aliaksandr Ryhoravich LUKASHENKA"])
    resolved: bool = Field(..., examples=[True])
    members: list[PartyMember]
    links: list[LinkModel]
    linking: Linking
