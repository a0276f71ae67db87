"""Cross-list linking on the real lists, judgements, canonical ids; evidence rules as CASES."""

from __future__ import annotations

import re

import pytest

from sanctions_ledger import resolve
from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.resolve.evidence import TokenStats, evaluate
from sanctions_ledger.resolve.records import PartyRecord, prepare
from sanctions_ledger.store import Ledger, ingest
from tests.test_resolve_support import FTM_2022, linked_ledger, names_of, raw_where


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return linked_ledger(tmp_path_factory.getbasetemp() / "issue5")


def _raw_lukashenka(dataset: str) -> set[str]:
    return {e["id"] for e in raw_where(
        lambda e: dataset in e.get("datasets", []) and e["schema"] == "Person"
        and "1954-08-30" in e["properties"].get("birthDate", [])
        and any("LUKASHENK" in n.upper() for n in names_of(e)))}


def test_lukashenka_one_party_across_ofac_eu_uk(ledger: Ledger) -> None:
    eu, uk = _raw_lukashenka("eu_fsf"), _raw_lukashenka("gb_hmt")
    assert len(eu) == 1 and len(uk) == 1, (eu, uk)
    party = resolve.party_of(ledger, "us-sdn-9760")
    assert {"us-sdn-9760", *eu, *uk} <= set(party.entity_ids)
    assert re.fullmatch(r"sl-[0-9a-f]{10}", party.party_id)
    # Every record resolves to the same party, and the party id itself resolves too.
    for eid in (*eu, *uk, party.party_id):
        assert resolve.party_of(ledger, eid).party_id == party.party_id
    # Each link carries its evidence and a confidence at or above the threshold.
    assert party.links and all(lk.confidence >= 0.8 and lk.detail for lk in party.links)
    assert {lk.evidence for lk in party.links} <= {"name+dob", "identifier:doc", "judgement"}


def test_no_party_holds_two_records_of_one_list(ledger: Ledger) -> None:
    rows = ledger.query("""SELECT party_id, dataset, count(*) FROM party_members
                           GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 5""")
    assert rows == []


def test_ofac_number_links_sub_lists(ledger: Ledger) -> None:
    # OFAC numbers a party once across its lists: SDN and SSI records with one number are one.
    ssi = [e["id"] for e in raw_where(lambda e: e["id"].startswith("us-ssi-"))][:20]
    for eid in ssi:
        num = eid.rsplit("-", 1)[1]
        if ledger.query("SELECT 1 FROM statements WHERE entity_id = ?", [f"us-sdn-{num}"]):
            assert f"us-sdn-{num}" in resolve.party_of(ledger, eid).entity_ids


def test_ids_are_stable_across_runs(ledger: Ledger) -> None:
    before = dict(ledger.query("SELECT entity_id, party_id FROM party_members"))
    ingest(ledger, FTM_2022)  # same bytes: a no-op, and linking gives the same parties
    resolve.resolve(ledger)
    after = dict(ledger.query("SELECT entity_id, party_id FROM party_members"))
    assert before == after


def test_judgements_override_and_survive_relinking(ledger: Ledger) -> None:
    # Asma al-Assad: OFAC lists her as AL-ASSAD, the UK under her birth name AL AKHRAS.
    uk = next(e["id"] for e in raw_where(
        lambda e: "gb_hmt" in e["datasets"] and any("AKHRAS Asma" in n for n in names_of(e))))
    us = resolve.party_of(ledger, uk).entity_ids
    assert any(x.startswith("us-sdn-") for x in us), "machine linking joins her records"
    ofac = next(x for x in us if x.startswith("us-sdn-"))
    resolve.unlink(ledger, uk, ofac, note="test: keep apart", author="tests")
    assert ofac not in resolve.party_of(ledger, uk).entity_ids
    resolve.resolve(ledger)  # a full re-run must respect the judgement
    assert ofac not in resolve.party_of(ledger, uk).entity_ids
    resolve.link(ledger, uk, ofac, note="test: same person", author="tests")
    party = resolve.party_of(ledger, uk)
    assert ofac in party.entity_ids
    resolve.resolve(ledger)
    assert ofac in resolve.party_of(ledger, uk).entity_ids
    stored = [j for j in resolve.judgements(ledger) if j["author"] == "tests"]
    assert [j["verdict"] for j in stored] == ["unlink", "link"]


def test_human_link_of_unrelated_records(ledger: Ledger) -> None:
    a, b = "us-sdn-9760", "un-QDi.001"
    resolve.link(ledger, a, b, note="test", author="tests2")
    assert b in resolve.party_of(ledger, a).entity_ids
    resolve.unlink(ledger, a, b, note="undo", author="tests2")
    assert b not in resolve.party_of(ledger, a).entity_ids
    assert "eu-EU.5971.83" in resolve.party_of(ledger, a).entity_ids


def test_unknown_ids_are_refused(ledger: Ledger) -> None:
    with pytest.raises(NotFoundError):
        resolve.link(ledger, "us-sdn-9760", "nope-123")
    with pytest.raises(NotFoundError):
        resolve.party_of(ledger, "sl-0000000000")


def test_assign_ids_keeps_majority_id_and_redirects_merged() -> None:
    previous = {"a": "sl-1", "b": "sl-1", "c": "sl-2", "d": "sl-3"}
    anchors = {"sl-1": "a", "sl-2": "c", "sl-3": "d"}
    groups = [["a", "b", "c"], ["d"], ["e"]]
    ids, redirects = resolve.assign_ids(groups, previous, anchors, set(anchors))
    assert ids[0] == "sl-1" and ids[1] == "sl-3"
    assert ids[2].startswith("sl-") and ids[2] not in anchors
    assert redirects == {"sl-2": "sl-1"}
    # A split: the part holding the anchor keeps the id, the other part gets a new one.
    ids2, _ = resolve.assign_ids([["a"], ["b", "c"]], {"a": "sl-1", "b": "sl-1", "c": "sl-1"},
                                 {"sl-1": "c"}, {"sl-1"})
    assert ids2[1] == "sl-1" and ids2[0] != "sl-1"


def _rec(eid: str, ds: str, schema: str, names: list[str], dob: set[str] | None = None,
         countries: set[str] | None = None, docs: set[str] | None = None) -> PartyRecord:
    rec = PartyRecord(eid, {ds}, {schema}, list(names), dob or set(), countries or set())
    if docs:
        rec.identifiers["doc"] |= docs
    prepare(rec)
    return rec


STATS = TokenStats([])

CASES = [
    # (left, right, expected evidence or None)
    (_rec("a", "x", "Person", ["Ivan Petrov"]), _rec("b", "y", "Person", ["PETROV, Ivan"]), None),
    (_rec("a", "x", "Person", ["Ivan Petrov"], countries={"ru"}),
     _rec("b", "y", "Person", ["PETROV, Ivan"], countries={"ru"}), "name+country"),
    (_rec("a", "x", "Person", ["Ivan Petrov"], dob={"1960-01-02"}),
     _rec("b", "y", "Person", ["PETROV Ivan"], dob={"1960-01-02"}), "name+dob"),
    (_rec("a", "x", "Person", ["Ivan Petrov"], dob={"1960-01-02"}),
     _rec("b", "y", "Person", ["Ivan Petrov"], dob={"1971-05-05"}, countries={"ru"}), None),
    (_rec("a", "x", "Person", ["Ivan Petrov"], docs={"AB123456"}),
     _rec("b", "y", "Person", ["Ivan Petrovich Petrov"], docs={"AB123456"}), "identifier:doc"),
    (_rec("a", "x", "Person", ["Ivan Petrov"], docs={"AB123456"}),
     _rec("b", "y", "Person", ["Juan Garcia"], docs={"AB123456"}), None),
    (_rec("a", "x", "Organization", ["Acme Trading LLC"], countries={"by"}),
     _rec("b", "y", "Person", ["Acme Trading"], countries={"by"}), None),
    (_rec("a", "x", "Organization", ["Zubrotrade LLC"], countries={"by"}),
     _rec("b", "y", "Organization", ["OOO Zubrotrade"], countries={"by"}), "name+country"),
    (_rec("a", "x", "Organization", ["Zubrotrade LLC"], countries={"by"}),
     _rec("b", "y", "Organization", ["OOO Zubrotrade"], countries={"ru"}), None),
    # A vessel's designation, however short, names one craft in each list (OFAC's 7-28).
    (_rec("a", "x", "Vessel", ["7-28"], countries={"kp"}),
     _rec("b", "y", "Vessel", ["7-28"], countries={"kp"}), "name+country"),
    (_rec("a", "x", "Vessel", ["7-28"], countries={"kp"}),
     _rec("b", "y", "Vessel", ["7-28"], countries={"pa"}), None),
    (_rec("a", "x", "Organization", ["7-28"], countries={"kp"}),
     _rec("b", "y", "Organization", ["7-28"], countries={"kp"}), None),
]


@pytest.mark.parametrize(("left", "right", "expected"), CASES)
def test_evidence_rules(left: PartyRecord, right: PartyRecord, expected: str | None) -> None:
    stats = TokenStats([left, right])
    link = evaluate(left, right, stats)
    assert (link.evidence if link else None) == expected
    if link:
        assert link.confidence >= 0.8 and link.detail


def test_craft_name_two_vessels_of_one_list_do_not_link() -> None:
    """A bare designation given to two vessels of one list identifies neither."""
    a = _rec("a", "x", "Vessel", ["7-28"], countries={"kp"})
    b = _rec("b", "x", "Vessel", ["7-28"], countries={"kp"})
    c = _rec("c", "y", "Vessel", ["7-28"], countries={"kp"})
    assert evaluate(a, c, TokenStats([a, b, c])) is None
    link = evaluate(a, c, TokenStats([a, c]))
    assert link is not None and link.evidence == "name+country"
