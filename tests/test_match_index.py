"""The screening index on a handful of real listed parties (read from ../shared at test
time, never copied into the repository): retrieval, ranking, features, filters, cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import InputError, MatchError
from sanctions_ledger.match import DEFAULT_THRESHOLD, MatchIndex, Query

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV = SHARED / "bench" / "ofac-2021-alias-holdout" / "index.ftm.json"
FTM = SHARED / "data" / "ftm" / "eu-uk-us-2022-05-05.ftm.json"
IDS = {
    DEV: {"us-sdn-9760", "us-sdn-9797", "us-sdn-26186", "us-sdn-10140", "us-sdn-3754"},
    FTM: {"us-sdn-32746", "uk-14154", "eu-EU.7300.29", "eu-EU.8040.60", "us-sdn-29857",
          "us-sdn-29858", "us-sdn-27310"},
}

# No skip when the data is absent: conftest.py already refuses to run without ../shared/data, so
# a skip on FTM could never trigger, and one on DEV would hide this module's data-free tests too.
# A missing file fails the tests that read it, naming the path.


def _load() -> list[tuple[str, EntityProxy]]:
    out = []
    for path, ids in IDS.items():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if '"id": "' not in line[:60]:
                    continue
                data = json.loads(line)
                if data["id"] in ids:
                    out.append((data["datasets"][0], model.get_proxy(data)))
    sanction = model.make_entity("Sanction")
    sanction.id = "not-a-party"
    out.append(("us_ofac_sdn", sanction))
    return out


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(_load())


CASES = [
    {"query": "Аляксандр Лукашэнка", "schema": "Person", "expect": "us-sdn-9760"},
    {"query": "Alexandre Loukachenko", "schema": "Person", "expect": "us-sdn-9760"},
    {"query": "Lukashenko, Alexander G.", "schema": "Person", "expect": "us-sdn-9760"},
    {"query": "Лукашенко Александр Григорьевич", "schema": "Any", "expect": "us-sdn-9760"},
    {"query": "Viktor Lukashenko", "schema": "Person", "expect": "us-sdn-9797"},
    {"query": "Uladzimir Rusakevich", "schema": "Person", "expect": "us-sdn-10140"},
    {"query": "Musa Abu Marzouq", "schema": "Person", "expect": "us-sdn-3754"},
    {"query": "Беларуськалий", "schema": "Organization", "expect": {"us-sdn-32746", "uk-14154"}},
    {"query": "Belaruskaliy OJSC", "schema": "Organization", "expect": {"us-sdn-32746", "uk-14154"}},
    {"query": "Maria Kolesnikova", "schema": "Person", "expect": None},
    {"query": "CORP", "schema": "Organization", "expect": None},
    {"query": "Lukas Shenk", "schema": "Person", "expect": None},
]


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_search_cases(index: MatchIndex, case: dict) -> None:
    hits = index.search(Query(case["query"], schema=case["schema"]), threshold=DEFAULT_THRESHOLD)
    expect = case["expect"]
    if expect is None:
        assert hits == [], hits[0].explanation
    else:
        allowed = expect if isinstance(expect, set) else {expect}
        assert hits and hits[0].entity_id in allowed, hits[:2]


def test_index_skips_non_parties(index: MatchIndex) -> None:
    assert len(index) == sum(len(v) for v in IDS.values())


def test_hit_carries_evidence(index: MatchIndex) -> None:
    hit = index.search(Query("Alexandre Loukachenko", schema="Person"))[0]
    assert hit.name_kind in {"name", "alias"}
    assert hit.features[0].name == "name_tokens"
    assert "loukachenko~lukashenk" in hit.explanation
    assert 0.0 < hit.score <= 1.0


def test_birth_date_and_identifier_move_the_score(index: MatchIndex) -> None:
    base = index.search(Query("Aleksandr Lukashenko", schema="Person"))[0]
    right = index.search(Query("Aleksandr Lukashenko", schema="Person", birth_date="1954-08-30"))[0]
    wrong = index.search(Query("Aleksandr Lukashenko", schema="Person", birth_date="1980"))[0]
    assert right.entity_id == base.entity_id == "us-sdn-9760"
    assert right.score >= base.score > wrong.score
    vessel = index.search(Query("Jasmin", schema="Vessel", identifier="IMO 9105085"))[0]
    assert vessel.entity_id == "us-sdn-27310"
    assert any(f.name == "identifier" and f.value > 0 for f in vessel.features)


def test_dataset_filter_limit_and_ties(index: MatchIndex) -> None:
    q = Query("Belaruskali", schema="Organization")
    assert {h.dataset for h in index.search(q, datasets={"gb_hmt"})} == {"gb_hmt"}
    assert len(index.search(q, limit=1)) == 1
    hits = index.search(q)
    assert hits == index.search(q)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    with pytest.raises(MatchError):
        index.search(q, limit=0)
    with pytest.raises(InputError):
        index.search(Query("\u200b"))


def test_save_and_load_round_trip(index: MatchIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.pkl"
    index.save(path)
    again = MatchIndex.load(path)
    q = Query("Alexandre Loukachenko", schema="Person")
    assert len(again) == len(index)
    assert again.search(q) == index.search(q)


def _org(eid: str, name: str) -> tuple[str, EntityProxy]:
    ent = model.make_entity("Organization")
    ent.id = eid
    ent.add("name", name)
    return "test", ent


def test_clamped_ties_rank_by_unclamped_total() -> None:
    """Two names both score the maximum 1.0; the one whose legal form also agrees ranks
    first although its entity id sorts later (the reported score stays clamped)."""
    index = MatchIndex.build([_org("a-1", "STROYTRANSGAZ"), _org("z-9", "STROYTRANSGAZ OJSC")])
    hits = index.search(Query("OAO STROYTRANSGAZ", schema="Organization"))
    assert [h.entity_id for h in hits] == ["z-9", "a-1"]
    assert hits[0].score == hits[1].score == 1.0
    assert any(f.name == "legal_form" and f.value > 0 for f in hits[0].features)
    # Without a legal form in the query both totals are equal: entity id decides.
    hits = index.search(Query("STROYTRANSGAZ", schema="Organization"))
    assert [h.entity_id for h in hits] == ["a-1", "z-9"]


def test_vocabulary_expanded_at_build_as_at_query_time() -> None:
    """Each vocabulary token's expansion stored at build time is what expanding it as a
    query key gives: the same entries, weights and posting count."""
    from sanctions_ledger.match.reach import expand_keys

    index = MatchIndex.build(_load())
    maps = (index.vocab, index.skel_map, index.del_map, index.vk_map, index.abj_map,
            index.voice_map)
    tokens = list(index.vocab)
    fresh = expand_keys([(tok, False, False) for tok in tokens], maps, index.weights, index.df,
                        tokens)
    assert len(index.own_off) == len(tokens) + 1 == len(index.own_sizes) + 1
    for tid, (tids, weights, size) in enumerate(fresh):
        a, b = index.own_off[tid], index.own_off[tid + 1]
        assert index.own_tids[a:b].tolist() == tids
        assert index.own_weights[a:b].tolist() == weights
        assert index.own_sizes[tid] == size
    tid = index.vocab["lukashenka"]
    reached = {tokens[t] for t in index.own_tids[index.own_off[tid]:index.own_off[tid + 1]]}
    assert "lukashenka" in reached


def test_key_memo_changes_nothing_is_bounded_and_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Query keys the vocabulary lacks are expanded per query and memoised per index: the
    same hits with the memo cold, warm or emptied when full, and the memo never goes into
    the saved index. Vocabulary tokens were expanded at build time and are not memoised."""
    from sanctions_ledger.match import retrieve

    index = MatchIndex.build(_load())
    queries = [Query(c["query"], schema=c["schema"]) for c in CASES]
    cold = [index.search(q) for q in queries]
    memo = index.retrieval.memo
    assert "lukashenko" in index.vocab and ("lukashenko", False, False) not in memo
    assert ("lukashenkoalexander", False, True) in memo  # a joined neighbour
    assert not [key for key in memo if key[0] in index.vocab and not key[1] and not key[2]]
    assert [index.search(q) for q in queries] == cold
    monkeypatch.setattr(retrieve, "MEMO_KEYS", 3)
    index.retrieval.forget()
    assert [index.search(q) for q in queries] == cold
    assert 0 < len(index.retrieval.memo) <= 6  # emptied whenever it passes 3
    path = tmp_path / "index.pkl"
    index.save(path)
    again = MatchIndex.load(path)
    assert not again.retrieval.memo
    assert [again.search(q) for q in queries] == cold


def test_a_warm_key_survives_the_memo_being_emptied_for_cold_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A query with one key already memoised and new keys that push the memo past MEMO_KEYS:
    the memo is emptied for the new keys, and the warm key's expansion must still be used
    (it raised KeyError, and bulk screening of 100,000+ varied names stopped)."""
    from sanctions_ledger.match import retrieve

    index = MatchIndex.build(_load())
    first = Query("Lukashenkx Alyaksandrx", schema="Person")
    second = Query("Lukashenkx Hryhorx Petrx", schema="Person")
    expected = index.search(second)
    index.retrieval.forget()
    index.search(first)
    warm = len(index.retrieval.memo)
    monkeypatch.setattr(retrieve, "MEMO_KEYS", warm + 1)
    assert index.search(second) == expected


@pytest.fixture(scope="module")
def dev_index() -> MatchIndex:
    """The index of the whole DEV list (the OFAC SDN of 2021-07-07 less the held-out aliases)."""
    parties = []
    with open(DEV, encoding="utf-8") as fh:
        for line in fh:
            data = json.loads(line)
            if data["schema"] != "Sanction":
                parties.append((data["datasets"][0], model.get_proxy(data)))
    return MatchIndex.build(parties)


@pytest.mark.parametrize(("query", "expect", "listed"), [
    ("COPETE S.A.", "us-sdn-15715", "COLOMBO PERUANA DE TEJIDOS S.A."),
    ("HOTINCOL", "us-sdn-6343", "HOTELES E INMUEBLES DE COLOMBIA LTDA."),
    ("NEVNOV", "us-sdn-26230", "NEVSKIYE NOVOSTI"),
])
def test_syllable_abbreviation_is_retrieved(
    dev_index: MatchIndex, query: str, expect: str, listed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A syllable abbreviation (COPETE = COlombo PEruana de TEjidos) shares no key with the
    name it abbreviates: it is found by the first two letters of two consecutive words,
    checked, and scored. The abbreviations are held-out DEV aliases, absent from the
    index; without the syllable keys they find nothing of theirs."""
    from sanctions_ledger.match import retrieve

    hits = dev_index.search(Query(query, schema="Organization"))
    assert hits[0].entity_id == expect and hits[0].matched_name == listed
    assert "syllables" in hits[0].explanation and hits[0].score >= 0.7
    monkeypatch.setattr(retrieve, "SYLLABLE_POSTINGS", -1)
    assert expect not in [h.entity_id for h in dev_index.search(Query(query, schema="Organization"))]


@pytest.mark.parametrize(("query", "expect", "listed"), [
    # the listed name is an acronym of part of the query
    ("ISLAMIC REVOLUTION GUARDS CORPS GROUND FORCE", "us-sdn-26719", "IRGC GROUND FORCES"),
    ("GLAVNOYE UPRAVLENIE VNUTRENNIKH DEL MINSKOVO GORISPOLKOMA", "us-sdn-30546", "MINSK GUVD"),
    # the whole query's acronym, outweighed in retrieval by names sharing its words
    ("BOSNIAN INVESTMENT ORGANIZATION", "us-sdn-7658", "BIO CORPORATION"),
    # a query acronym of part of the listed name
    ("LAREDO DTO", "us-sdn-19134", "LAREDO DRUG TRAFFICKING ORGANIZATION"),
    ("IRISL MTI", "us-sdn-25431", "IRISL MARITIME TRAINING INSTITUTE"),
])
def test_acronyms_of_part_of_a_name_are_scored(
    dev_index: MatchIndex, query: str, expect: str, listed: str
) -> None:
    """Held-out DEV aliases that are (or hold) an acronym of some words of the listed name,
    or the reverse: each ranked second or lower, or was never scored, before the names
    such acronyms reach were scored in full."""
    hit = dev_index.search(Query(query, schema="Organization"))[0]
    assert (hit.entity_id, hit.matched_name) == (expect, listed)
    assert "acronym" in hit.explanation and hit.score >= 0.69


def test_a_listed_three_letter_acronym_of_the_query_is_scored(dev_index: MatchIndex) -> None:
    """The Arabic article counts: AQY is Al-Qa'ida (in) Yemen, scored in full. A listed
    acronym of three letters is weak evidence for a full name (the initials of thousands of
    names, ``abbreviations.LISTED_SHORT_ACRONYM_SIM``), so AL QA'IDA, whose words the query
    holds, ranks first."""
    hits = dev_index.search(Query("AL-QA'IDA IN YEMEN", schema="Organization"), limit=5)
    aqy = [h for h in hits if (h.entity_id, h.matched_name) == ("us-sdn-11695", "AQY")]
    assert aqy and "acronym 0.72" in aqy[0].explanation and aqy[0].score >= 0.6
    assert hits[0].entity_id == "us-sdn-6366"


def test_split_spelling_is_scored_among_many_partial_matches(
    dev_index: MatchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """"KYRGYZTRANSAVIA AIRLINES" is KYRGYZ TRANS AVIA (us-sdn-15981) written joined. In
    the index of the whole DEV list the pre-score, which compares token with token, rates
    it 0, below a dozen listed airlines that share the word AIRLINES, and retrieval weighs
    two of those higher; the names a split spelling of a query token reaches are scored
    in full anyway, after the others, and this one ranks first."""
    from sanctions_ledger.match import retrieve

    index = dev_index
    query = Query("KYRGYZTRANSAVIA AIRLINES", schema="Organization")
    hits = index.search(query)
    assert hits[0].entity_id == "us-sdn-15981" and hits[0].score >= DEFAULT_THRESHOLD - 0.05
    assert "kyrgyztransavia~kyrgyz trans avia (joined" in hits[0].explanation
    assert sum("AIRLINE" in h.matched_name for h in hits) >= 8
    monkeypatch.setattr(retrieve, "DERIVED_FIRST", 0)
    assert "us-sdn-15981" not in [h.entity_id for h in index.search(query)]


def _dev_parties(ids: set[str]) -> list[tuple[str, EntityProxy]]:
    out = []
    with open(DEV, encoding="utf-8") as fh:
        for line in fh:
            if line[8:8 + 14].split('"')[0] in ids:
                data = json.loads(line)
                out.append((data["datasets"][0], model.get_proxy(data)))
    return out


def test_one_word_weak_alias_confirms_one_word_only() -> None:
    """us-sdn-4108 (RODRIGUEZ OREJUELA, Miguel Angel) has the weak alias MIKE, us-sdn-26148
    the weak alias COTTO, us-sdn-23843 (ISIS-BANGLADESH) the weak alias ISB. A query of
    several words that meets a one-word weak alias in one word (the Congressmen Mike Flood
    and Tom Cotton) costs the whole weak-alias weight, 0.2, not 0.08, and stays well under
    the threshold; the alias alone, or spelled by the query's initials, costs 0.08."""
    index = MatchIndex.build(_dev_parties({"us-sdn-4108", "us-sdn-26148", "us-sdn-23843"}))
    assert len(index) == 3

    def weak(query: str, schema: str = "Person") -> tuple[str, float, float]:
        hit = index.search(Query(query, schema=schema))[0]
        feature = next(f for f in hit.features if f.name == "weak_alias")
        return hit.entity_id, round(feature.weight * feature.value, 4), hit.score

    entity, cost, score = weak("Mike Flood")
    assert (entity, cost) == ("us-sdn-4108", -0.2) and score < 0.5
    entity, cost, score = weak("Tom Cotton")
    assert (entity, cost) == ("us-sdn-26148", -0.2) and score < DEFAULT_THRESHOLD - 0.1
    assert weak("MIKE")[:2] == ("us-sdn-4108", -0.08)
    assert weak("Mike R.")[:2] == ("us-sdn-4108", -0.08)  # an initial is not a word
    assert weak("IRAN SHIP BUILDING", "Organization")[:2] == ("us-sdn-23843", -0.08)


def test_rare_query_word_is_found_however_common_its_variants(dev_index: MatchIndex) -> None:
    """ABDOLLAHI is in two DEV names, but its spelling variants (ABDALLAH, ABDULLAH...)
    reach hundreds, so the key as a whole only re-ranks; its own entry is still expanded,
    and the held-out alias ABDOLLAHI ALIABADI, Ali finds ABDOLLAHI, Ali (us-sdn-27856)."""
    tid = dev_index.vocab["abdollahi"]
    assert dev_index.df[tid] <= 2 < dev_index.df_cap < dev_index.own_sizes[tid]
    hits = dev_index.search(Query("ABDOLLAHI ALIABADI, Ali", schema="Person"))
    assert hits[0].entity_id == "us-sdn-27856" and hits[0].score > 0.85


def test_person_names_hold_no_legal_forms(dev_index: MatchIndex) -> None:
    """In a person's name SA, NA, SIA are name words, not legal forms (S.A., N.A., Latvian
    SIA): KHUN SA (us-sdn-6709's alias) stays two words, and "CHU, Na" (us-sdn-23224) does
    not shrink to CHU, which Congresswoman Judy Chu would then almost cover."""
    from sanctions_ledger.match.normalise import analyse

    assert analyse("KHUN SA", is_person=True).tokens == ("khun", "sa")
    assert analyse("KHUN SA", is_person=True).legal_forms == ()
    assert analyse("KHUN SA").legal_forms  # schema unknown: may be a company
    assert analyse("KOLESNIKOV, V.V.", is_person=True).tokens == ("kolesnikov", "v", "v")
    hit = dev_index.search(Query("Judy Chu", schema="Person"))[0]
    assert hit.entity_id == "us-sdn-23224" and hit.matched_name == "CHU, Na"
    assert hit.score < 0.55 and "candidate only: na" in hit.explanation


def test_initials_count_in_the_estimate(dev_index: MatchIndex) -> None:
    """us-sdn-6925 has 19 names; only the best-estimated few of a party are scored in full.
    The estimate counts an initial against the word it starts, as the full scoring does, so
    AHMED, Abubakar K. is among them for the held-out AHMED, Abubakar Khalfan."""
    hit = dev_index.search(Query("AHMED, Abubakar Khalfan", schema="Person"))[0]
    assert (hit.entity_id, hit.matched_name) == ("us-sdn-6925", "AHMED, Abubakar K.")
    assert hit.score > 0.95


@pytest.mark.parametrize(("query", "expect", "listed"), [
    ("CHO'NG, Man-pok", "us-sdn-23504", "JONG, Man Bok"),
    ("KIM, Chung Chong", "us-sdn-18558", "KIM, Jung Jong"),
])
def test_korean_voicing_variants_are_retrieved(
    dev_index: MatchIndex, query: str, expect: str, listed: str
) -> None:
    """McCune-Reischauer writes aspiration where Revised Romanization writes voicing
    (CH'ONG / JONG, POK / BOK): tokens equal but for voicing, vowels as written, reach
    each other in retrieval (the voicing key), not only in scoring."""
    hit = dev_index.search(Query(query, schema="Person"))[0]
    assert (hit.entity_id, hit.matched_name) == (expect, listed) and hit.score > 0.85


def test_names_tied_at_the_retrieval_cut_are_kept_by_id(dev_index: MatchIndex) -> None:
    """When more names than RETRIEVED_NAMES tie at the cut, the lowest ids go on, as the
    ranking orders them (a partition kept an arbitrary subset, and HUNJIN TRADING CO.
    lost KOREA HEUNGJIN TRADING COMPANY, us-sdn-12220, to whichever ties it kept)."""
    hit = dev_index.search(Query("HUNJIN TRADING CO.", schema="Organization"))[0]
    assert (hit.entity_id, hit.matched_name) == ("us-sdn-12220", "KOREA HEUNGJIN TRADING COMPANY")


def test_legal_forms_written_alike_count_more() -> None:
    """PTC GMBH is the acronym of PRINTING TRADE CENTER GMBH (us-sdn-23146) and of
    PETROCHEMICAL TRADING COMPANY LIMITED (us-sdn-11622), both limited companies: the one
    whose legal form is written as the query's ranks first, by half the legal form's
    weight. So M.T.T. LTDA. is MAQUINARIA TECNICA Y TIERRAS LTDA. (us-sdn-6722), a held-out
    DEV alias, before MAHAN TRAVEL AND TOURISM SDN BHD (us-sdn-24706)."""
    index = MatchIndex.build([_org("us-sdn-11622", "PETROCHEMICAL TRADING COMPANY LIMITED"),
                              _org("us-sdn-23146", "PRINTING TRADE CENTER GMBH")])
    hits = index.search(Query("PTC GMBH", schema="Organization"))
    assert [h.entity_id for h in hits] == ["us-sdn-23146", "us-sdn-11622"]
    assert hits[0].score - hits[1].score == pytest.approx(0.02, abs=1e-4)
    index = MatchIndex.build([_org("us-sdn-24706", "MAHAN TRAVEL AND TOURISM SDN BHD"),
                              _org("us-sdn-6722", "MAQUINARIA TECNICA Y TIERRAS LTDA.")])
    hits = index.search(Query("M.T.T. LTDA.", schema="Organization"))
    assert [h.entity_id for h in hits] == ["us-sdn-6722", "us-sdn-24706"]


def test_words_in_the_query_order_break_a_tie_between_organisations() -> None:
    """MELLAT BANK ARMENIA scores the same against BANK MELLAT and MELLAT BANK (a legal
    form aside); the name with the words in the query's order ranks first although its
    entity id sorts later, and the reported scores stay equal. Person names, which lists
    write surname first or last, get no such tie-break."""
    index = MatchIndex.build([_org("a-1", "BANK MELLAT"), _org("z-9", "MELLAT BANK CJSC")])
    hits = index.search(Query("MELLAT BANK ARMENIA", schema="Organization"))
    assert [h.entity_id for h in hits] == ["z-9", "a-1"]
    assert hits[0].score == hits[1].score


def test_a_long_word_written_short_is_found(dev_index: MatchIndex) -> None:
    """NAZARI, Hossein, a held-out DEV alias of NAZARIKOLEHJOUB, Hossein (us-sdn-29839):
    NAZARI begins the compound surname, which no other key reaches (HOSSEIN is in too
    many names to find any). Only person names: SVETL (Bulgarian, bright) begins
    SVETLOVSKOYE, and an organisation query does not look it up so."""
    hit = dev_index.search(Query("NAZARI, Hossein", schema="Person"))[0]
    assert hit.entity_id == "us-sdn-29839"
    assert "nazari~nazarikolehjoub (abbreviation" in hit.explanation and hit.score > 0.9
    index = MatchIndex.build([_org("org-1", "OAO SVETLOVSKOYE")])
    assert index.search(Query("SVETL PUT", schema="Organization")) == []
