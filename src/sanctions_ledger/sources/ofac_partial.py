"""OFAC legacy CSV without its main file: ``add.csv``, ``alt.csv`` (and ``sdn_comments.csv``)
but no ``sdn.csv``, as mirrors and test fixtures often keep them.

Such a folder is evidence that the ent_nums it names were on the SDN list on its date, with
those aliases and addresses. It is *not* evidence that any other party was absent: the
entries without an address or an alias row are simply not in these files. So it is read as a
partial snapshot (``full_snapshot = False``) of its own list, ``us_ofac_sdn_partial``: the
store builds no validity intervals from it (it never makes anyone "delisted" and never
changes the intervals or diffs of the full SDN snapshots), and the entities it holds keep the
SDN ids (``us-sdn-<ent_num>``), so a party's sightings in partial files are found by its SDN
record id (``store.licences.partial_sightings``).

The main file carries the name and type of each entry; without it the type is unknown, so
every entry is a ``LegalEntity`` whose names are the aliases ``alt.csv`` gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Record, date_from_path, make_entity, register
from sanctions_ledger.sources.ofac_csv import add_aliases_and_addresses, read_rows

DATASET = "us_ofac_sdn_partial"
_MAIN = ("sdn.csv", "cons_prim.csv")
_PARTS = ("add.csv", "alt.csv", "sdn_comments.csv")


def _files(folder: Path) -> dict[str, Path]:
    return {child.name.lower(): child for child in folder.iterdir() if child.is_file()}


def _ent_num(value: str | None, path: Path, line: int) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise SourceError(f"ent_num {value!r} is not a number", str(path), f"line {line}") from exc


class OfacPartialParser:
    kind = "ofac_partial"
    version = "1"
    description = ("OFAC SDN legacy CSV without SDN.CSV (ADD/ALT/SDN_COMMENTS only): a partial "
                   "snapshot, evidence of presence only")
    full_snapshot = False
    datasets = (DATASET,)

    def members(self, path: Path) -> list[Path]:
        folder = path if path.is_dir() else path.parent
        found = _files(folder)
        return [found[name] for name in _PARTS if name in found]

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_dir():
            return False
        found = _files(path)
        return not any(m in found for m in _MAIN) and ("add.csv" in found or "alt.csv" in found)

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        folder = path if path.is_dir() else path.parent
        found = _files(folder)
        aliases: dict[int, list[tuple[str, str]]] = {}
        addresses: dict[int, list[list[str | None]]] = {}
        notes: dict[int, str] = {}
        if "alt.csv" in found:
            for line, row in read_rows(found["alt.csv"], 5):
                num = _ent_num(row[0], found["alt.csv"], line)
                entry = aliases.setdefault(num, [])
                if row[3]:
                    entry.append((row[2] or "aka", row[3]))
        if "add.csv" in found:
            for line, row in read_rows(found["add.csv"], 6):
                addresses.setdefault(_ent_num(row[0], found["add.csv"], line), []).append(row)
        if "sdn_comments.csv" in found:
            for line, row in read_rows(found["sdn_comments.csv"], 2, end_mark=False):
                num = _ent_num(row[0], found["sdn_comments.csv"], line)
                notes[num] = notes.get(num, "") + (row[1] or "")
        if meta.published_at is None:
            meta.published_at = date_from_path(folder)
        nums = sorted(set(aliases) | set(addresses) | set(notes))
        if not nums:
            raise SourceError("no entries in ADD.CSV / ALT.CSV", str(path))
        meta.notes.append(f"partial OFAC file set: {len(nums)} ent_nums seen; absence from it "
                          "says nothing")
        for num in nums:
            entity = make_entity("LegalEntity", f"us-sdn-{num}")
            entity.add("topics", "sanction", cleaned=True)
            add_aliases_and_addresses(entity, aliases.get(num, []), addresses.get(num, []))
            if notes.get(num):
                entity.add("notes", notes[num], quiet=True)
            yield Record(DATASET, entity)


PARSER = register(OfacPartialParser())
