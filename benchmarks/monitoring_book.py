"""A synthetic customer book for the monitoring benchmark, made from real name parts.

Everything is drawn from the read-only OFAC SDN files under ../shared (2019-01-15 and
2021-07-07): given names and surnames of listed people, words of listed organisations'
names. About 1% of the customers are real listed parties, lightly perturbed (``LAST, First``
written ``First Last``, letter case, a dropped middle name, now and then one letter
changed in a long word); about 10% are near misses (a listed surname with another given
name, organisation names sharing words with listed ones); the rest are combinations of the
same parts. Nothing derived from the lists is kept: the book is written to a temporary file.

    python benchmarks/monitoring_book.py OUT.parquet --size 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SDN = REPO.parent / "shared" / "data" / "ofac-sdn"
SDN_2019, SDN_2021 = SDN / "2019-01-15", SDN / "2021-07-07"
ORG_SUFFIXES = ("LLC", "LTD", "TRADING CO", "HOLDING", "GROUP", "SHIPPING", "INVEST", "AG", "SA", "FZE")


@dataclass(frozen=True)
class Party:
    ent_num: str
    name: str
    kind: str  # individual, vessel, aircraft, or "" for an organisation


def read_sdn(folder: Path) -> dict[str, Party]:
    with open(folder / "sdn.csv", encoding="latin-1", newline="") as fh:
        return {r[0]: Party(r[0], r[1].strip(), r[2].strip().strip("-0").strip())
                for r in csv.reader(fh) if len(r) > 3 and r[0].strip().isdigit()}


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    vowels = "aeiou" if word[i].islower() else "AEIOU"
    if word[i] in vowels:
        return word[:i] + rng.choice([v for v in vowels if v != word[i]]) + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if i + 2 <= len(word) - 1 else word


def perturb(party: Party, rng: random.Random) -> tuple[str, str]:
    """A listed party as a customer book might write it: (name, schema)."""
    if party.kind == "individual" and ", " in party.name:
        last, first = party.name.split(", ", 1)
        given = first.split()
        if len(given) > 1 and rng.random() < 0.5:
            given = given[:1]  # the middle / patronymic name left out
        words = [*given, last.title() if rng.random() < 0.7 else last]
        if rng.random() < 0.2:
            long = [i for i, w in enumerate(words) if len(w) >= 7]
            if long:
                i = rng.choice(long)
                words[i] = _typo(words[i], rng)
        return " ".join(words), "Person"
    name = party.name.title() if rng.random() < 0.6 else party.name
    return name, {"vessel": "Vessel", "aircraft": "Airplane"}.get(party.kind, "Organization")


def generate(size: int, seed: int = 18) -> tuple[list[dict[str, str]], dict[str, str]]:
    """``size`` customers, and for the planted ones the listed party (``us-sdn-N``) they are."""
    rng = random.Random(seed)
    old, new = read_sdn(SDN_2019), read_sdn(SDN_2021)
    parties = sorted({**old, **new}.values(), key=lambda p: int(p.ent_num))
    people = [p for p in parties if p.kind == "individual" and ", " in p.name]
    surnames = sorted({p.name.split(", ", 1)[0].title() for p in people})
    given = sorted({w for p in people for w in p.name.split(", ", 1)[1].split() if len(w) > 2})
    org_words = sorted({w for p in parties if p.kind == "" for w in p.name.split()
                        if len(w) > 3 and w.isalpha()})
    rows: list[dict[str, str]] = []
    planted: dict[str, str] = {}
    n_planted = max(1, size // 100)
    for i in range(size):
        cid = f"c{i:07d}"
        roll = rng.random()
        if i < n_planted:
            party = rng.choice(parties)
            name, schema = perturb(party, rng)
            planted[cid] = f"us-sdn-{party.ent_num}"
        elif roll < 0.10:  # near misses: a listed surname, another given name
            p = rng.choice(people)
            name, schema = f"{rng.choice(given)} {p.name.split(', ', 1)[0].title()}", "Person"
        elif roll < 0.70:
            name, schema = f"{rng.choice(given)} {rng.choice(surnames)}", "Person"
        else:
            words = rng.sample(org_words, 2)
            name, schema = f"{' '.join(words).title()} {rng.choice(ORG_SUFFIXES)}", "Organization"
        birth = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" \
            if schema == "Person" and rng.random() < 0.3 else ""
        rows.append({"customer_id": cid, "name": name, "schema": schema, "birth_date": birth,
                     "country": "", "identifier": "", "segment": rng.choice(("retail", "corporate", "pep"))})
    order = list(range(size))
    rng.shuffle(order)  # planted customers anywhere in the file
    return [rows[i] for i in order], planted


def write_parquet(path: Path, rows: list[dict[str, str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({k: [r[k] for r in rows] for k in rows[0]}), path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    rows, planted = generate(args.size)
    write_parquet(args.out, rows)
    print(f"wrote {len(rows)} customers ({len(planted)} planted) to {args.out}")


if __name__ == "__main__":
    main()
