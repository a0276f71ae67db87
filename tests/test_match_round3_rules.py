"""Issue 22, screening round 3: the rules that lower what a name written otherwise scores
(a word replaced, a short word sharing letters with a longer name, the male and female
forms of a given name) and raise a name cut off by a field-length limit. Listed names are
real OFAC SDN names (us-sdn-10621 BELTRAN ROMERO, us-sdn-10274 HODWALKER MARTINEZ,
us-sdn-10268 FERNANDEZ CASTRO, us-sdn-10566 HARDAN, us-sdn-10136 MIKLASHEVICH); the
queries are the shapes of the sanctions-screening-benchmark's classes."""

from __future__ import annotations

from sanctions_ledger.match import DEFAULT_THRESHOLD, compare
from sanctions_ledger.match.tokens import given_gender_forms


def score(query: str, listed: str, schema: str = "Person") -> tuple[float, str]:
    value, _, why = compare(query, listed, schema)
    return value, why


def test_whole_string_view_takes_one_slip_not_a_word_written_otherwise() -> None:
    """The spaceless comparison raises a name only for one slip (a typo, a swap, a space),
    never for a word replaced by another of about its length."""
    typo, why = score("MPANO, Doublas", "MPANO, Douglas")
    assert typo >= 0.9 and "compact" in why
    spaced, why = score("Victo rHugo CASTRO", "Victor Hugo CASTRO")
    assert spaced >= 0.95 and "compact" in why
    # HolR for HODWALKER: 0.90 spaceless before, a word written otherwise
    replaced, why = score("HolR MARTINEZ, Martin David", "HODWALKER MARTINEZ, Martin David")
    assert replaced < 0.8 and "compact" not in why
    # LalN for LOGAN: as long as the word it replaces, three edits apart
    replaced, why = score("LalN MOREY, Elvis Angus", "LOGAN MOREY, Elvis Angus")
    assert replaced < 0.85 and "compact" not in why


def test_a_name_cut_off_by_a_field_limit_scores_as_the_name() -> None:
    """A query of 15 characters or more that is the listed name's beginning (its last word
    cut) is that name; a short query that a listed name merely begins with is not."""
    cut, why = score("FERNANDEZ CASTRO, Fe", "FERNANDEZ CASTRO, Fernando Alberto")
    assert cut >= 0.9 and "cut off (20 characters shown)" in why
    cut, why = score("HODWALKER MARTINEZ,", "HODWALKER MARTINEZ, Martin David")
    assert cut >= 0.9 and "cut off" in why
    # a different order is not a cut, and a short query is not one either
    _, why = score("Fe FERNANDEZ CASTRO", "FERNANDEZ CASTRO, Fernando Alberto")
    assert "cut off" not in why
    _, why = score("CASTRO, Fe", "CASTRO, Fernando")
    assert "cut off" not in why


def test_a_person_name_contracted_keeps_its_consonants() -> None:
    """A person's word written short keeps its consonants but a repeated one (MOHD, MHMMD);
    a short word sharing three letters with a longer name is not its abbreviation."""
    near, why = score("BERN ROMERO, Mireya Denisse", "BELTRAN ROMERO, Mireya Denisse")
    assert near < DEFAULT_THRESHOLD + 0.05 and "abbreviation" not in why
    assert "bern~beltran" not in why
    kept, why = score("MOHD Ali HASSAN", "MOHAMED Ali HASSAN")
    assert kept >= 0.9 and "mohd~mohamed (abbreviation" in why
    # nor one that leaves out a consonant it does not repeat (session 17: HARN for HARDAN is
    # the surname's middle rewritten, ssb's edit_beyond near miss)
    _, why = score("HARN, Assaad Halim", "HARDAN, Assaad Halim")
    assert "harn~hardan (abbreviation" not in why
    # organisation words keep their abbreviations, whatever they leave out
    org, why = score("KOREA SAMMA SHPG CO", "KOREA SAMMA SHIPPING CO", "Organization")
    assert org >= 0.9 and "shpg~shipping" in why


def test_male_and_female_given_names_are_two_people() -> None:
    """MARIA/MARIO, JAN/JANA: one or two letters apart, and two people; the whole-string
    view does not undo it (nor for surnames: IVANOV/IVANOVA)."""
    assert given_gender_forms("maria", "mario") and given_gender_forms("jana", "jan")
    assert given_gender_forms("daniel", "daniela") and given_gender_forms("karima", "karim")
    assert not given_gender_forms("yuri", "yuria")  # a vowel-final stem
    assert not given_gender_forms("gennadevich", "gennadevicha")  # a patronymic's genitive
    assert not given_gender_forms("ahmed", "ahmad")
    for query, listed in (("Maria ROSSI", "Mario ROSSI"), ("Jan NOVAK", "Jana NOVAK"),
                          ("Paul MARTIN", "Paula MARTIN")):
        value, why = score(query, listed)
        assert value < 0.8, (query, value, why)
        assert "gender form" in why and "compact" not in why
    same, _ = score("Jan NOVAK", "Jan NOVAK")
    assert same == 1.0
    value, why = score("Ivan KOLESNIKOV", "Ivan KOLESNIKOVA")
    assert value < 0.9 and "compact" not in why and "cut off" not in why
    # a surname written before a comma is nobody's female form (ALBA)
    value, why = score("VARGAS ALB, Jorge", "VARGAS ALBA, Jorge")
    assert "gender form" not in why


def test_a_disagreeing_middle_name_ranks_below_a_missing_one() -> None:
    """Item 5: a listed middle name or patronymic that contradicts the query's ranks below
    an agreeing one and below none at all, also where the two share a consonant skeleton
    (MOHAMMAD/MAHMOUD, 0.83 as a transliteration); a slip in a middle name (a typo) is not
    a contradiction, nor is a name written without short vowels (ALY/ALI)."""
    for query, agree, none, differ in (
        ("Ali Mohammad HASSAN", "HASSAN, Ali Mohammad", "HASSAN, Ali", "HASSAN, Ali Mahmoud"),
        ("Dmitry Alekseevich IVANOV", "IVANOV, Dmitry Alekseyevich", "IVANOV, Dmitry",
         "IVANOV, Dmitry Aleksandrovich"),
    ):
        a, _ = score(query, agree)
        n, _ = score(query, none)
        d, why = score(query, differ)
        assert a > n > d, (query, a, n, d)
    _, why = score("Ali Mohammad HASSAN", "HASSAN, Ali Mahmoud")
    assert "middle name differs: mahmoud" in why
    typo, why = score("POPOV, Dimitri Igoervich", "POPOV, Dimitri Igorevich")
    assert typo >= 0.95 and "differs" not in why
    _, why = score("محمد علي نصر", "Mohammed Ali NASR")
    assert "differs" not in why
