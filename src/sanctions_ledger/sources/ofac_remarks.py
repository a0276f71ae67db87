"""Structured facts hidden in OFAC's free-text remarks (shared by the CSV and XML parsers).

OFAC remarks are ``;``-separated clauses such as ``DOB 30 Aug 1954``, ``POB Kopys, Belarus``,
``Passport T14553558 (Iran) issued 28 Oct 2008``, ``a.k.a. 'Mastercartaria'`` or
``Linked To: LAZARUS GROUP.``. Each clause kind maps to an FtM property.
"""

from __future__ import annotations

import re

from followthemoney.proxy import EntityProxy

from sanctions_ledger.vocab import country_code, parse_list_date, parse_list_dates

_ID_WITH_COUNTRY = re.compile(r"^(?P<num>.+?)(?:\s*\((?P<country>[^)]+)\))?(?:\s+(?:issued|expires).*)?$")

# Clause prefix -> (property, kind). Longest prefixes first so "National ID No." wins over "National".
_ID_CLAUSES: list[tuple[str, str]] = [
    ("passport", "passportNumber"),
    ("national id no.", "idNumber"),
    ("cedula no.", "idNumber"),
    ("identification number", "idNumber"),
    ("id no.", "idNumber"),
    ("tax id no.", "taxNumber"),
    ("registration number", "registrationNumber"),
    ("registration id", "registrationNumber"),
    ("ssn", "idNumber"),
    ("nit #", "taxNumber"),
    ("rfc", "taxNumber"),
    ("d-u-n-s number", "dunsCode"),
    ("swift/bic", "swiftBic"),
    ("company number", "registrationNumber"),
    ("business registration number", "registrationNumber"),
    ("unified social credit code (uscc)", "registrationNumber"),
    ("legal entity number", "leiCode"),
    ("vessel registration identification imo", "imoNumber"),
]
_ID_CLAUSES.sort(key=lambda item: -len(item[0]))

_WEAK_ALIAS = re.compile(r"^a\.k\.a\.?\s*['\u2018\u2019\"](.+?)['\u2018\u2019\"]\.?$", re.IGNORECASE)


def split_clauses(remarks: str) -> list[str]:
    """OFAC separates clauses with ``; `` (aliases with a semicolon inside are not known to occur)."""
    return [c.strip() for c in re.split(r";\s+", remarks) if c.strip()]


def apply_remarks(entity: EntityProxy, remarks: str, linked: list[str]) -> None:
    """Add the facts found in ``remarks`` to ``entity``; ``Linked To`` names go to ``linked``."""
    schema = entity.schema
    for clause in split_clauses(remarks):
        plain = clause.rstrip(".").strip()
        low = plain.lower()
        if low.startswith("alt. "):
            plain = plain[5:].strip()
            low = plain.lower()
        if m := _WEAK_ALIAS.match(clause.strip()):
            entity.add("weakAlias", m.group(1).strip(), quiet=True)
            continue
        if low.startswith("dob "):
            for d in parse_list_dates(plain[4:]):
                entity.add("birthDate", d, quiet=True)
            continue
        if low.startswith("pob "):
            place = plain[4:].strip()
            entity.add("birthPlace", place, quiet=True)
            code = country_code(place.rsplit(",", 1)[-1])
            if code:
                entity.add("birthCountry", code, quiet=True)
            continue
        if low.startswith("nationality ") or low.startswith("citizen "):
            prop = "nationality" if low.startswith("nationality ") else "citizenship"
            code = country_code(plain.split(" ", 1)[1])
            if code:
                entity.add(prop, code, quiet=True)
            continue
        if low.startswith("gender "):
            entity.add("gender", plain.split(" ", 1)[1].lower(), quiet=True)
            continue
        if low.startswith("linked to:"):
            linked.append(plain.split(":", 1)[1].strip())
            continue
        if low.startswith("email address "):
            entity.add("email", plain.split(" ", 2)[2], quiet=True)
            continue
        if low.startswith("website "):
            entity.add("website", plain.split(" ", 1)[1], quiet=True)
            continue
        if low.startswith("digital currency address - "):
            entity.add("notes", plain, quiet=True)
            continue
        if low.startswith("vessel registration identification imo ") or low.startswith("imo "):
            num = plain.rsplit(" ", 1)[-1]
            entity.add("imoNumber" if schema.get("imoNumber") else "registrationNumber", f"IMO{num}" if num.isdigit() else num, quiet=True)
            continue
        if low.startswith("organization established date "):
            established = parse_list_date(plain[len("organization established date "):])
            if established:
                entity.add("incorporationDate", established, quiet=True)
            continue
        for prefix, prop in _ID_CLAUSES:
            if low.startswith(prefix + " "):
                body = plain[len(prefix):].strip()
                m = _ID_WITH_COUNTRY.match(body)
                if m and schema.get(prop):
                    num = m.group("num").strip()
                    if prop == "imoNumber" and num.isdigit():
                        num = f"IMO{num}"
                    entity.add(prop, num, quiet=True)
                break
