"""The linking tables' named queries (store/links.py) on a small in-memory ledger."""

from __future__ import annotations

from datetime import datetime

import pytest

from sanctions_ledger.store import Ledger
from sanctions_ledger.store import links as store

AT = datetime(2026, 1, 2, 3, 4, 5)


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger.memory()
    rows = [(1, "eu_fsf", "a", "Person", "$schema", "", "Person"),
            (2, "gb_hmt", "b", "Person", "$schema", "", "Person"),
            (3, "gb_hmt", "b", "Person", "name", "name", "B"),
            (4, "eu_fsf", "s", "Sanction", "$schema", "", "Sanction")]
    for row in rows:
        ledger.query("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?)", list(row))
    return ledger


def test_never_resolved(ledger: Ledger) -> None:
    # The tables exist from the start: empty means "never linked", never an error.
    assert store.linking_counts(ledger) == (None, 2)
    assert store.canonical_id(ledger, "a") is None
    assert store.party_map(ledger, ["a", "b"]) == {}
    assert store.members_of(ledger, ["sl-1"]) == {}
    assert store.all_judgements(ledger) == []
    assert store.is_listed_party(ledger, "a") and not store.is_listed_party(ledger, "s")


def test_party_statements(ledger: Ledger) -> None:
    rows = store.party_statements(ledger, ["$schema", "name"], ["program"], ["b"])
    assert rows == [("gb_hmt", "b", "Person", "$schema", "Person"),
                    ("gb_hmt", "b", "Person", "name", "B")]


def test_run_written_and_read_back(ledger: Ledger) -> None:
    with store.writing(ledger) as tx:
        tx.replace_links([("a", "b", "name+dob", 0.9, "same")])
        tx.write_parties([("a", "sl-1", "eu_fsf", "Person", "A"),
                          ("b", "sl-1", "gb_hmt", "Person", "B")],
                         [("sl-1", "a"), ("sl-1", "a")], {}, AT)
        tx.record_run(AT, 2, 1, 1, 0.1)
    assert store.linking_counts(ledger) == (AT, 0)
    assert store.canonical_id(ledger, "b") == "sl-1"
    assert store.party_map(ledger, ["a", "z"]) == {"a": "sl-1"}
    assert store.members_of(ledger, ["sl-1"]) == {"sl-1": ["a", "b"]}
    assert [m[0] for m in store.party_members(ledger, "sl-1")] == ["a", "b"]
    assert store.links_among(ledger, ["a", "b"]) == [("a", "b", "name+dob", 0.9, "same")]
    # A split: "b" gets a party of its own; then the two merge back under sl-2, retiring sl-1.
    with store.writing(ledger) as tx:
        assert tx.assignments() == ({"a": "sl-1", "b": "sl-1"}, {"sl-1": "a"}, {"sl-1"})
        tx.write_parties([("a", "sl-2", "eu_fsf", "Person", "A"),
                          ("b", "sl-2", "gb_hmt", "Person", "B")],
                         [("sl-2", "a")], {"sl-1": "sl-2"}, AT)
        assert tx.linked_with(["a"]) == {"a", "b"}
        assert tx.parties_of(["a", "b"]) == ["sl-2"]
        assert tx.members_of(["sl-2"]) == {"a", "b"}
    assert store.canonical_id(ledger, "sl-1") == "sl-2"
    assert store.canonical_id(ledger, "sl-2") == "sl-2"


def test_judgements_in_order_and_rolled_back_on_error(ledger: Ledger) -> None:
    with store.writing(ledger) as tx:
        tx.add_judgement("a", "b", "link", "n", "me", AT)
        tx.add_judgement("b", "a", "unlink", None, None, AT)
        assert tx.judgements() == [("a", "b", "link"), ("b", "a", "unlink")]
    with pytest.raises(RuntimeError), store.writing(ledger) as tx:
        tx.add_judgement("a", "b", "link", None, None, AT)
        raise RuntimeError("abandon")
    assert [j[2] for j in store.all_judgements(ledger)] == ["link", "unlink"]
    assert store.judgements_among(ledger, ["a", "b"])[0] == ("a", "b", "link", "n", "me")
