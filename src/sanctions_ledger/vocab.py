"""The one vocabulary every layer imports: which FtM schemata are parties (and which are
screened), their families, the properties that carry names, countries and identifiers, the
jurisdiction of a list, and the country and date helpers that the parsers share.

Nothing here reads the store or the network; parsers, the store, the matcher, the linker,
the API and the web UI all take these names from here instead of keeping copies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache

from followthemoney.types import registry

# -- schemata --------------------------------------------------------------------------------

PARTY_SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane",
                 "PublicBody")
"""FtM schemata of listed parties: stored, listed, linked and screened."""
SCREENABLE_SCHEMAS = frozenset(PARTY_SCHEMAS)
"""Schemata the screening index holds; one list with the store's, so that no stored party
is left out of screening."""
ORG_SCHEMAS = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
"""Schemata whose names are organisation names (legal forms, acronyms)."""
CRAFT_SCHEMAS = frozenset({"Vessel", "Airplane"})
SCHEMA_FAMILY = {
    "Person": "person",
    "Organization": "org",
    "Company": "org",
    "PublicBody": "org",
    "LegalEntity": "any",
    "Vessel": "vessel",
    "Airplane": "airplane",
}
"""Schemata that can name the same party compare within a family; ``any`` meets all."""


def schema_family(schema: str) -> str:
    return SCHEMA_FAMILY.get(schema, "any")


def families_compatible(a: str, b: str) -> bool:
    """Records of these two families may be one party: the same family, or a LegalEntity
    (``any``) beside a person or an organisation (never beside a vessel or an aircraft)."""
    if a == b or "any" in (a, b):
        return a == b or {a, b} <= {"any", "person", "org"}
    return False


# -- properties ------------------------------------------------------------------------------

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
"""Name properties of a listed entity, strongest first."""
STRONG_NAME_PROPS = NAME_PROPS[:3]
"""Names a list stands behind (weak aliases are low-quality by the list's own word)."""
QUERY_NAME_PROPS = (*NAME_PROPS, "firstName", "lastName")
"""Name properties read from a query entity (yente's ``/match`` examples)."""
DATE_PROPS = ("birthDate", "incorporationDate")
"""Dates that tell two parties apart."""
COUNTRY_PROPS = ("nationality", "citizenship", "country", "birthCountry", "jurisdiction",
                 "flag", "mainCountry")
"""Country properties (ISO codes after parsing)."""
DOCUMENT_PROPS = ("passportNumber", "idNumber", "registrationNumber", "taxNumber", "innCode",
                  "ogrnCode", "vatCode", "okpoCode")
"""Document numbers: lists file the same passport as ``passportNumber``, ``idNumber`` or in
free text, so all of these compare with each other."""
IDENTIFIER_PROPS = (*DOCUMENT_PROPS, "imoNumber", "leiCode", "swiftBic", "mmsi")
"""Every identifier that names one party and compares across lists."""
DISPLAY_IDENTIFIER_PROPS = (*IDENTIFIER_PROPS, "callSign", "authorityId")
"""Identifiers shown to a reader (a call sign or a list's own reference also helps a human)."""

# -- jurisdictions ---------------------------------------------------------------------------

JURISDICTIONS = {
    "us": "United States", "eu": "European Union", "gb": "United Kingdom", "un": "United Nations",
}


def jurisdiction(dataset: str) -> str:
    """The jurisdiction code of a list (``us_ofac_sdn`` -> ``us``, ``gb_hmt`` -> ``gb``)."""
    head = dataset.split("_", 1)[0].lower()
    return {"uk": "gb"}.get(head, head)


# -- countries and dates ---------------------------------------------------------------------


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO code for a country name; cached because FtM's fuzzy-free lookup costs ~50 µs a call."""
    return registry.country.clean(name.strip().rstrip("."))


_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE_FULL = re.compile(rf"^(\d{{1,2}}) ({_MONTHS})[a-z]* (\d{{4}})$", re.IGNORECASE)
_DATE_MONTH = re.compile(rf"^({_MONTHS})[a-z]* (\d{{4}})$", re.IGNORECASE)
_DATE_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(?:circa )?(\d{4}) to (\d{4})$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def parse_list_date(text: str) -> str | None:
    """A date as lists write it: ``30 Aug 1954`` -> ``1954-08-30``; ``Aug 1954`` ->
    ``1954-08``; ``circa 1954`` -> ``1954``."""
    text = text.strip().rstrip(".").strip()
    text = re.sub(r"^(circa|approximately|about)\s+", "", text, flags=re.IGNORECASE)
    if m := _DATE_FULL.match(text):
        try:
            return datetime.strptime(f"{m.group(1)} {m.group(2)[:3]} {m.group(3)}",
                                     "%d %b %Y").strftime("%Y-%m-%d")
        except ValueError:
            return None
    if m := _DATE_MONTH.match(text):
        return datetime.strptime(f"{m.group(1)[:3]} {m.group(2)}", "%b %Y").strftime("%Y-%m")
    if m := _DATE_YEAR.match(text):
        return m.group(1)
    return None


def parse_list_dates(text: str) -> list[str]:
    """A date clause that may be a range (``1960 to 1962``): every year then."""
    text = text.strip().rstrip(".")
    if m := _RANGE.match(text):
        start, end = int(m.group(1)), int(m.group(2))
        if 0 <= end - start <= 10:
            return [str(y) for y in range(start, end + 1)]
    parsed = parse_list_date(text)
    return [parsed] if parsed else []


def iso_date(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` a timestamp starts with (``2022-03-15T00:00:00`` -> ``2022-03-15``)."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    return match.group(1) if match else None


# -- freshness, provenance and list dates ----------------------------------------------------

STALE_AFTER_DAYS: dict[str, int] = {
    "us_ofac_sdn": 7, "us_ofac_cons": 7, "eu_fsf": 7, "gb_hmt": 7, "gb_hmt_invbans": 7,
    "gb_fcdo_sanctions": 7, "un_sc_sanctions": 31,
}
"""How many days a list's newest snapshot may trail the asked date before the state it gives
is flagged stale: OFAC, the EU and the UK publish changes most weeks, the UN Security
Council about monthly. Lists not named here use :data:`DEFAULT_STALE_AFTER_DAYS`; a user
overrides any of them through ``Settings.stale_after`` (``SANCTIONS_LEDGER_STALE_AFTER``)."""
DEFAULT_STALE_AFTER_DAYS = 30


def stale_after_days(dataset: str, overrides: Mapping[str, int] | None = None) -> int:
    """The staleness threshold of one list: an override by list name, then by jurisdiction
    (``us=14``), then ``*``, then the list's default, then :data:`DEFAULT_STALE_AFTER_DAYS`."""
    for key in (dataset, jurisdiction(dataset), "*"):
        if overrides and key in overrides:
            return overrides[key]
    if dataset in STALE_AFTER_DAYS:
        return STALE_AFTER_DAYS[dataset]
    if jurisdiction(dataset) == "un":
        return STALE_AFTER_DAYS["un_sc_sanctions"]
    return DEFAULT_STALE_AFTER_DAYS


PROVENANCE_PROPS = frozenset({"sourceUrl", "authority", "publisher", "publisherUrl",
                              "retrievedAt", "modifiedAt", "indexUrl", "dataUrl"})
"""Where a record came from and who published it, not what the list says about the party:
a parser writes these in its own words (OFAC's CSV says "Office of Foreign Assets Control",
an FtM export "US Department of the Treasury, Office of Foreign Assets Control (OFAC)"), so
a diff counts them as metadata, never as an amendment."""

LISTING_DATE_LABELS: dict[str, str] = {
    "eu_fsf": "date the EU entry was added (date_added): not necessarily the first EU listing",
}
"""What a list's ``listingDate`` means, where it is not the designation date. The EU's
consolidated file dates each entry by the act that last (re)published it: Lukashenka's says
2021-02-26, though the EU first listed him on 2020-11-06."""
DEFAULT_LISTING_DATE_LABEL = "designation date the list gives"
LISTING_DATE_SHORT: dict[str, str] = {"eu_fsf": "EU entry dated"}
"""The same, in two words for a table cell (``designated`` where the date is the designation)."""


def listing_date_label(dataset: str) -> str:
    """An honest label for the ``listingDate`` of a list's records."""
    return LISTING_DATE_LABELS.get(dataset, DEFAULT_LISTING_DATE_LABEL)


def listing_date_short(dataset: str) -> str:
    return LISTING_DATE_SHORT.get(dataset, "designated")
