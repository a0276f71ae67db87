"""Divergence between jurisdictions, checked against parties found directly in the raw file."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

from sanctions_ledger.jurisdictions.divergence import divergence, table_rows
from sanctions_ledger.store import Ledger
from sanctions_ledger.vocab import jurisdiction
from tests.test_resolve_support import linked_ledger, names_of, raw_entities


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return linked_ledger(tmp_path_factory.getbasetemp() / "issue5")


def _surname_keys(entity: dict) -> set[str]:
    out = set()
    for name in names_of(entity):
        for tok in name.replace(",", " ").split():
            if len(tok) >= 4 and tok.isupper():
                out.add(tok)
    return out


def _raw_single_list_belarus_persons(dataset: str) -> list[str]:
    """Persons with country BY on ``dataset`` for whom no record of another jurisdiction's
    sanctions list shares a birth date: found without our linker, by a cruder rule."""
    by_dob: dict[str, set[str]] = defaultdict(set)
    for e in raw_entities():
        if e["schema"] == "Person" and "sanction" in e["properties"].get("topics", []):
            for d in e["properties"].get("birthDate", []):
                for ds in e["datasets"]:
                    by_dob[d].add(jurisdiction(ds))
    out = []
    own = jurisdiction(dataset)
    for e in raw_entities():
        props = e["properties"]
        countries = {v for p in ("country", "nationality", "birthCountry") for v in props.get(p, [])}
        dobs = [d for d in props.get("birthDate", []) if len(d) == 10]
        if (dataset in e["datasets"] and e["schema"] == "Person" and "by" in countries and dobs
                and all(by_dob[d] == {own} for d in dobs)):
            out.append(e["id"])
    return out


def test_belarus_2022_contains_parties_found_in_the_raw_file(ledger: Ledger) -> None:
    result = divergence(ledger, "2022-05-05", country="by", between="us,eu,uk")
    assert result.compared == ["us", "eu", "gb"]
    by_member = {eid: p for p in result.parties for s in p.sides.values() for eid in s.entity_ids}
    # Belaruskali: OFAC and UK records in the raw file, no EU record.
    kali = by_member["us-sdn-32746"]
    assert kali.sides["us"].listed and kali.sides["gb"].listed and not kali.sides["eu"].listed
    assert kali.sides["gb"].designated == "2021-12-02"
    # Lukashenka is on all three lists: no divergence.
    assert "us-sdn-9760" not in by_member
    # EU-only Belarusian persons (no other list has anyone born that day) diverge, EU side.
    eu_only = _raw_single_list_belarus_persons("eu_fsf")
    assert len(eu_only) >= 20
    for eid in eu_only:
        party = by_member.get(eid)
        assert party is not None, eid
        assert party.sides["eu"].listed and not party.sides["us"].listed
    us_only = _raw_single_list_belarus_persons("us_ofac_sdn")
    assert us_only and all(by_member[eid].sides["us"].listed for eid in us_only)


def test_since_when_on_both_sides(ledger: Ledger) -> None:
    result = divergence(ledger, "2022-05-05", country="by", between="us,eu")
    party = next(p for p in result.parties if "us-sdn-32746" in p.sides["us"].entity_ids)
    assert party.sides["us"].first_observed is not None
    assert party.sides["eu"].since == "not in the snapshot of 2022-05-05"
    # An OFAC party seen since 2019 says so.
    old = [p for p in result.parties if p.sides["us"].listed
           and p.sides["us"].first_observed and p.sides["us"].first_observed.year == 2019]
    assert old
    headers, rows = table_rows(result)
    assert headers == ["party_id", "name", "schema", "us", "eu"] and len(rows) == len(result.parties)


def test_jurisdictions_without_data_are_not_compared(ledger: Ledger) -> None:
    result = divergence(ledger, "2022-05-05", country="by")
    assert "un" not in result.compared
    assert any("un: no sanctions list snapshot" in n for n in result.notes)
    latest = divergence(ledger, None, country="af", between="un,eu")
    assert latest.compared == ["un", "eu"]


def test_program_aliases_reach_the_eu_code(ledger: Ledger) -> None:
    result = divergence(ledger, "2022-05-05", program="BELARUS", between="us,eu")
    assert result.counts().get("eu", 0) > 50  # EU writes BLR, OFAC BELARUS


def test_one_country_is_fast(ledger: Ledger) -> None:
    divergence(ledger, "2022-05-05", country="by")
    started = time.perf_counter()
    divergence(ledger, "2022-05-05", country="by")
    assert time.perf_counter() - started < 1.0
