"""Screening round 3 (issue 22): one-word surname recall, mixed-script look-alikes, dropped
vowels, disagreeing middle names, EU national transliterations, translated organisation
words and the false alarms on real people. Real names from ../shared, read at test time."""

from __future__ import annotations

import json
import re

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.match import MatchIndex, Query

from .conftest import FTM_2022

PARTIES = {"Person", "Organization", "Company", "LegalEntity", "PublicBody"}


def _ftm_parties(pattern: str) -> list[tuple[str, EntityProxy]]:
    """The parties of the 2022 FtM file whose record matches ``pattern`` (case-blind)."""
    rx = re.compile(pattern, re.IGNORECASE)
    out = []
    with open(FTM_2022, encoding="utf-8") as fh:
        for line in fh:
            if rx.search(line):
                data = json.loads(line)
                if data["schema"] in PARTIES:
                    out.append((data["datasets"][0], model.get_proxy(data)))
    return out


@pytest.fixture(scope="module")
def enko_index() -> MatchIndex:
    """Every party of the three lists with an -ENKO/-ENKA name: Lukashenka's family five
    times over (EU, UK, US, each with a dozen spellings), and the other -enkos."""
    return MatchIndex.build(_ftm_parties(r"[a-z]enk[oa]\b"))


def test_a_surname_search_returns_every_record_holding_it(enko_index: MatchIndex) -> None:
    """Item 7: the name budget counts names, three per party; the records of LUKASHENKA
    (five lists' worth, a dozen spellings each) used it up on a few parties, and the
    President's OFAC record, us-sdn-9760, was never scored."""
    holders = {
        p.entity_id for p, names in zip(enko_index.parties, enko_index.party_names, strict=True)
        if any("lukashenk" in n for nid in names for n in enko_index.names[nid][2].tokens)
    }
    assert {"us-sdn-9760", "us-sdn-35748", "uk-13918", "eu-EU.5971.83"} <= holders
    hits = enko_index.search(Query("Lukashenka"), limit=20, threshold=0.3)
    found = {h.entity_id for h in hits}
    assert holders <= found, sorted(holders - found)
    # and, among them, one-word matches rank above a different surname
    last_holder = max(i for i, h in enumerate(hits) if h.entity_id in holders)
    assert all(h.entity_id in holders for h in hits[:last_holder + 1])
