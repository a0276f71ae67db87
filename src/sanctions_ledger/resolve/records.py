"""What the linker knows about each listed record: names, dates, countries, identifiers.

Records are read from the whole ``statements`` table, not from one date's view: a record
keeps every value any snapshot ever gave it, so a party that was renamed or delisted still
links, and linking does not change when a newer snapshot arrives without new evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from normality import ascii_text
from rigour.names import remove_org_types, remove_person_prefixes

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.links import party_statements
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.vocab import (
    COUNTRY_PROPS,
    DOCUMENT_PROPS,
    IDENTIFIER_PROPS,
    SCHEMA_FAMILY,
    STRONG_NAME_PROPS,
)

NAME_PROPS = STRONG_NAME_PROPS
# Document numbers: lists file the same passport as passportNumber, idNumber or in free
# text, so all of these compare with each other (the kind "doc").
DOC_PROPS = DOCUMENT_PROPS
ID_PROPS = IDENTIFIER_PROPS
TEXT_PROPS = ("notes", "summary")
SANCTION_PROPS = ("unscId", "authorityId", "program", "listingDate", "startDate")

FAMILY = SCHEMA_FAMILY
# When one entity id carried several schemata over time, keep the most specific.
_SCHEMA_RANK = {"Person": 0, "Vessel": 1, "Airplane": 2, "Company": 3, "PublicBody": 4,
                "Organization": 5, "LegalEntity": 6}

UN_REF = re.compile(r"^[A-Z]{2}[ie]\.\d{3}$")
# A UN reference cited as the record's *own* ("UN Ref QDi.001", "(UN Ref):QDi.001"). Bare
# "(QDe.115)" in a note names some other listed party (an associate), never the record.
UN_OWN_REF = re.compile(r"UN\s*(?:Ref(?:erence)?\.?|ID)\s*(?:No\.?|Number)?\s*\)?\s*[:#]?\s*"
                        r"([A-Z]{2}[ie]\.\s?\d{3})", re.IGNORECASE)
IMO_TEXT = re.compile(r"\bIMO\b(?:\s*(?:company)?\s*(?:number|no\.?|#))?\s*[:.]?\s*(\d{7})\b", re.IGNORECASE)
_ID_CLEAN = re.compile(r"[^0-9A-Z]")
_PREFIXED = re.compile(r"^([A-Z]{0,3})(\d+)$")
_WORD_SPLIT = re.compile(r"[\s,;:()/]+")
_DATE_WORD = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})\.?$")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


@dataclass
class PartyRecord:
    """One list's record of a party, with everything the linker compares."""

    entity_id: str
    datasets: set[str] = field(default_factory=set)
    schemata: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    birth_dates: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    identifiers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """kind -> normalised values; kinds: unsc, imo, ofac, lei, bic, doc."""
    programs: set[str] = field(default_factory=set)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    """Normalised names as sorted token tuples (filled by :func:`prepare`)."""
    joined: list[str] = field(default_factory=list)
    schema: str = "LegalEntity"
    family: str = "any"
    yearset: frozenset[str] = frozenset()

    @property
    def dataset(self) -> str:
        return min(self.datasets)

    @property
    def caption(self) -> str:
        return self.names[0] if self.names else self.entity_id

    def years(self) -> frozenset[str]:
        return self.yearset


def clean_identifier(value: str) -> str:
    key = _ID_CLEAN.sub("", value.upper())
    return key[3:] if key.startswith("IMO") and key[3:].isdigit() else key


def usable_document(key: str) -> bool:
    """Short or digit-poor numbers ("12345", "N/A") collide across unrelated parties."""
    return len(key) >= 6 and sum(ch.isdigit() for ch in key) >= 3 and len(set(key)) >= 3


def name_key(name: str, family: str) -> tuple[str, ...]:
    """A name as its sorted ASCII tokens, honorifics and legal forms removed."""
    text = ascii_text(name) or ""
    text = text.lower()
    if family in ("org", "any"):
        # "OAO Belaruskali" and "BELARUSKALI, JSC" are one name: legal forms say nothing
        # about identity, and lists translate them differently.
        stripped = remove_org_types(text)
        text = stripped if stripped.strip() else text
    if family == "person":
        text = remove_person_prefixes(text)
    return tuple(sorted(t for t in _TOKEN_SPLIT.split(text) if t))


def _add_identifier(rec: PartyRecord, prop: str, value: str) -> None:
    key = clean_identifier(value)
    if prop == "imoNumber":
        if len(key) == 7 and key.isdigit():
            rec.identifiers["imo"].add(key)
    elif prop == "leiCode":
        if len(key) == 20:
            rec.identifiers["lei"].add(key)
    elif prop == "swiftBic":
        if len(key) in (8, 11):
            rec.identifiers["bic"].add(key[:8])
    else:
        rec.identifiers["doc"].update(document_keys(value))


def document_keys(value: str) -> set[str]:
    """Comparable keys of a document number written with or without its description.

    The UN writes "Libyan passport No. 96184442", the EU "96184442"; the UK "2954347", the EU
    "002954347". Keys: the whole value cleaned (when short) and each number-like word, digit
    runs without leading zeros; dates inside the text are not numbers of anything.
    """
    keys: set[str] = set()
    whole = clean_identifier(value)
    if len(whole) <= 20 and usable_document(whole):
        keys.add(_strip_zeros(whole))
    for word in _WORD_SPLIT.split(value.upper()):
        if _DATE_WORD.match(word):
            continue
        key = clean_identifier(word)
        if usable_document(key):
            keys.add(_strip_zeros(key))
    return keys


def _strip_zeros(key: str) -> str:
    """Zero padding and a letter prefix are how lists differ in writing one number:
    "D000857"/"D00857", "V9761075"/"9761075", "PD472310104"/"472310104"."""
    m = _PREFIXED.match(key)
    if m is None:
        return key
    prefix, digits = m.groups()
    digits = digits.lstrip("0") or digits
    return digits if len(digits) >= 7 or not prefix else prefix + digits


def _add_sanction(rec: PartyRecord, dataset: str, prop: str, value: str) -> None:
    if prop == "unscId" and UN_REF.match(value.strip()):
        rec.identifiers["unsc"].add(value.strip())
    elif prop == "authorityId":
        value = value.strip()
        if UN_REF.match(value):
            rec.identifiers["unsc"].add(value)
        elif dataset.startswith("us_ofac") and value.isdigit():
            # OFAC numbers every party once across SDN and the non-SDN lists, so the same
            # number under us_ofac_sdn and us_ofac_ssi is the same party.
            rec.identifiers["ofac"].add(value)
    elif prop == "program":
        rec.programs.add(value)


def _add_text(rec: PartyRecord, value: str) -> None:
    for m in UN_OWN_REF.finditer(value):
        rec.identifiers["unsc"].add(m.group(1).replace(" ", ""))
    if rec.family in ("org", "vessel", "any"):
        for m in IMO_TEXT.finditer(value):
            rec.identifiers["imo"].add(m.group(1))


def load_records(ledger: Ledger, entity_ids: Iterable[str] | None = None) -> dict[str, PartyRecord]:
    """Every party record the ledger ever held (or only ``entity_ids``), keyed by entity id."""
    props = [SCHEMA_PROP, *NAME_PROPS, "birthDate", *COUNTRY_PROPS, *ID_PROPS, *TEXT_PROPS,
             "program"]
    rows = party_statements(ledger, props, SANCTION_PROPS, entity_ids)
    records: dict[str, PartyRecord] = {}
    texts: list[tuple[PartyRecord, str]] = []
    for dataset, entity_id, schema, prop, value in rows:
        rec = records.get(entity_id)
        if rec is None:
            rec = records[entity_id] = PartyRecord(entity_id)
        if schema == "Sanction":
            _add_sanction(rec, dataset, prop, value)
            continue
        rec.datasets.add(dataset)
        if prop == SCHEMA_PROP:
            rec.schemata.add(value)
        elif prop in NAME_PROPS:
            if value not in rec.names:
                # The primary name goes first: it is the record's caption.
                rec.names.insert(0 if prop == "name" else len(rec.names), value)
        elif prop == "birthDate":
            rec.birth_dates.add(value)
        elif prop in COUNTRY_PROPS:
            rec.countries.add(value.lower())
        elif prop in ID_PROPS:
            _add_identifier(rec, prop, value)
        elif prop in TEXT_PROPS:
            texts.append((rec, value))
        elif prop == "program":
            rec.programs.add(value)
    for rec, value in texts:
        if rec.schemata:
            prepare_kind(rec)
        _add_text(rec, value)
    # Sanction rows for entities that are not parties (links, addresses) are dropped here.
    records = {k: r for k, r in records.items() if r.schemata}
    for rec in records.values():
        if rec.entity_id.startswith("un-") and "un_sc_sanctions" in rec.datasets:
            ref = rec.entity_id[3:]
            if UN_REF.match(ref):
                rec.identifiers["unsc"].add(ref)
        prepare(rec)
    return records


def prepare_kind(rec: PartyRecord) -> None:
    rec.schema = min(rec.schemata, key=lambda s: _SCHEMA_RANK.get(s, 9))
    rec.family = FAMILY.get(rec.schema, "any")


def prepare(rec: PartyRecord) -> None:
    """Derive the comparison fields once, so pairwise scoring does no parsing."""
    if rec.schemata:
        rec.schema = min(rec.schemata, key=lambda s: _SCHEMA_RANK.get(s, 9))
    rec.family = fam = FAMILY.get(rec.schema, "any")
    rec.yearset = frozenset(d[:4] for d in rec.birth_dates if d[:4].isdigit())
    seen: set[tuple[str, ...]] = set()
    for name in rec.names:
        key = name_key(name, fam)
        if key and key not in seen:
            seen.add(key)
            rec.keys.append(key)
            rec.joined.append(" ".join(key))
