"""Screening round 8, session 22: false alerts a customer book raises on company names that
match a listed one only by a likeness of its naming word and add a naming word of their own
(CRIMEAN PROPAGANDA SHIPPING against KERMAN SHIPPING COMPANY LIMITED). Such a name does not lie
inside the query's; words added that only describe the body or say where it is still may.
And a French or Italian article elided before a company's word (SOCIÉTÉ D'INGÉNIERIE) is a
word of its own, and a Korean name in the other romanisation (JO/CHO, GYU/KYU) is the same
name: both found by the alias hold-out on the EU, UK and UN lists."""

from __future__ import annotations

import pytest

from sanctions_ledger.match import MatchIndex
from sanctions_ledger.match.korean import korean_key, korean_name
from sanctions_ledger.match.normalise import analyse
from sanctions_ledger.match.orgwords import place_words
from sanctions_ledger.match.score import DEFAULT_THRESHOLD, compare

from .conftest import listed, party_hit


def _hit(index: MatchIndex, name: str, party: str) -> tuple[float, str]:
    """The score and explanation of ``party``'s hit for the organisation ``name`` (0 if none)."""
    return party_hit(index, name, party, "Organization")


@pytest.mark.parametrize(("customer", "party", "before"), [
    ("Crimean Propaganda Shipping", "us-sdn-25482", 0.820),  # KERMAN SHIPPING COMPANY LIMITED
    ("Future Niebla Shipping", "us-sdn-30104", 0.860),       # NOBLE SHIPPING COMPANY LIMITED
    ("Oman Catalyst Holding", "us-sdn-26887", 0.809),        # AMAN HOLDING COMPANY
])
def test_a_name_matched_by_likeness_is_not_inside_one_adding_a_naming_word(
        sdn_index: MatchIndex, customer: str, party: str, before: float) -> None:
    score, explanation = _hit(sdn_index, customer, party)
    assert 0.0 < score < DEFAULT_THRESHOLD, (score, explanation)
    assert "translit" in explanation and "query only" in explanation


@pytest.mark.parametrize(("customer", "party"), [
    ("Aria Royal Construction Company", "us-sdn-16027"),  # ROYAL ARYA CO.: a kind of business added
    ("Kerman Shipping Services", "us-sdn-25482"),          # the naming word itself, a kind added
    ("Royal Pearl Chemical", "us-sdn-21554"),             # ROYAL PEARLS: one word inflected
])
def test_words_describing_the_body_or_its_place_still_leave_the_name_inside(
        sdn_index: MatchIndex, customer: str, party: str) -> None:
    score, explanation = _hit(sdn_index, customer, party)
    assert score >= DEFAULT_THRESHOLD, (score, explanation)


def test_place_words_are_territories_words_not_kinds_of_business() -> None:
    places = place_words()
    assert {"korea", "iran", "north", "emirates", "crimea"} <= places
    assert not {"shipping", "trading", "propaganda", "catalyst", "and", "the"} & places


def test_a_place_added_to_a_name_matched_by_likeness_leaves_it_inside() -> None:
    """KOREA DAESONG BANK (a UK record's alias) against its other name TAESONG BANK: DAESONG
    and TAESONG are one word voiced otherwise (0.80), and KOREA only says where the bank is."""
    index = MatchIndex.build([
        listed("p-taesong", "Organization", "TAESONG BANK"),
        listed("p-other", "Organization", "KOREA DAESONG TRADING COMPANY"),
    ])
    score, explanation = _hit(index, "Korea Daesong Bank", "p-taesong")
    assert score >= DEFAULT_THRESHOLD and "query only: korea" in explanation, (score, explanation)


@pytest.mark.parametrize(("name", "tokens"), [
    ("Société d'ingénierie Sepasad", ("societe", "ingenierie", "sepasad")),
    ("Ministère de l’Intérieur", ("ministere", "de", "interieur")),
    ("Comando missilistico dell'aeronautica", ("comando", "missilistico", "aeronautica")),
    ("D'S SUPERMARKET COMPANY LTD.", ("ds", "supermarket")),  # one letter after it: no article
    ("Al-Qa'ida", ("al", "qaida")),
])
def test_an_organisations_elided_article_is_a_word_of_its_own(
        name: str, tokens: tuple[str, ...]) -> None:
    assert analyse(name, True).tokens == tokens


def test_a_persons_elided_particle_stays_in_the_name() -> None:
    assert analyse("D'Souza", False, True).tokens == ("dsouza",)


def test_a_translated_company_name_meets_its_french_form_through_the_elided_article() -> None:
    """An EU FSF hold-out alias (EU.1836.93): SEPASAD ENGINEERING COMPANY against the kept
    SOCIÉTÉ D'INGÉNIERIE SEPASAD, 0.38 when the article made DINGENIERIE one word."""
    score, _, explanation = compare("Sepasad Engineering Company", "Société d'ingénierie Sepasad",
                                    "Organization")
    assert score >= DEFAULT_THRESHOLD and "engineering~ingenierie" in explanation, explanation


@pytest.mark.parametrize(("a", "b"), [
    ("jo", "cho"), ("gyu", "kyu"), ("chol", "cheol"), ("chol", "chul"), ("ri", "li"),
    ("jong", "jeong"), ("jong", "chong"), ("chae", "jae"), ("seong", "song"), ("kyongchol", "gyeongcheol"),
])
def test_two_romanisations_of_a_korean_syllable_share_a_key(a: str, b: str) -> None:
    assert korean_key(a) is not None and korean_key(a) == korean_key(b)


def test_korean_keys_keep_apart_what_the_romanisations_keep_apart() -> None:
    assert korean_key("yun") != korean_key("yon")  # 윤 and 연
    assert korean_key("chae") != korean_key("che")
    assert korean_key("mohammed") is None and korean_key("strawberry") is None


@pytest.mark.parametrize(("query", "listed"), [
    ("RI Chae-Il", "RI JAE IL"),            # a DEV alias of SDN 20127: 0.47 before
    ("Pak Il-Gyu", "Pak Il Kyu"),           # a UN hold-out alias (KPi.062): 0.57
    ("YONG CHOL JO", "YONG CHOL Cho"),      # a UK hold-out alias (13419)
    ("Cho Ch’o’l-so’ng", "JO CHEOL SEONG"),
])
def test_a_korean_name_in_another_romanisation_matches(query: str, listed: str) -> None:
    score, _, explanation = compare(query, listed, "Person")
    assert score >= 0.9 and "(korean 0.88)" in explanation, explanation


def test_short_words_of_other_names_are_not_read_as_korean() -> None:
    """DON and TON, GO and KO are one Korean syllable's romanisations, but not in a name
    that is not Korean by its shape (no Korean surname, or a word of another shape)."""
    assert not korean_name(("don", "pedro"))
    assert korean_name(("ri", "chae", "il")) and not korean_name(("ri", "chae", "ilyich"))
    _, _, explanation = compare("Don Miguel Go", "TON Miguel KO", "Person")
    assert "korean" not in explanation
