#!/usr/bin/env python3
"""Alias hold-out on the other lists: the DEV benchmark's rules on EU, UK and UN records.

    python benchmarks/holdout.py [--per-list N] [--no-baselines] [--out FILE] [--dump FILE]

DEV (``shared/bench/ofac-2021-alias-holdout``) holds out aliases of OFAC SDN records only.
This builds the same kind of set from the other official lists under ``../shared/data``, so
that what the matcher learnt on OFAC's spelling habits is measured on lists it was not
tuned on:

* EU FSF and UK HMT: the records of the EU/UK/US 2022 FtM compilation (``eu_fsf``,
  ``gb_hmt``);
* UN: the UN Security Council list of 2026-02-27, read by our own ``un_sc`` parser.

Per list, the DEV README's rules (seeded, deterministic): the records with a Latin alias
(``alias`` or ``previousName``), in a seeded order; for each, its aliases in a seeded order,
the first one held out that has 3 letters or digits, is not *trivial* (its key, casefolded
without diacritics or apostrophes and with sorted words, is the key of no name the record
keeps) and not *ambiguous* (the key of no name of another record of the list), up to
``--per-list`` queries. The index is that list's records without the held-out aliases; a
third of the person queries carry one of the record's birth dates, like DEV's. Categories
as DEV's README defines them (`translit`, `word_order`, `org_form`, `partial`, `other`; our
reading of its rules below). Negatives: DEV's 500 Congress members (checked by DEV's build
against every list of the shared data). Nothing is written but the result table.

Measures per list and system: R@1 and R@10 (threshold-free), R@1 at the system's threshold
for FPR <= 1% on the negatives against that list's index, and for ours R@1 and FPR at the
default threshold. Baselines as in ``screening.py``: brute-force rapidfuzz token_sort_ratio
over every name, and nomenklatura logic-v2 (``PYTHONPATH`` with nomenklatura, as there) on
every 5th query.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from followthemoney.proxy import EntityProxy
from parties import fold, names_of, script_of, trivial_key
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from screening import (
    BENCH,
    PARTIES,
    SHARED,
    BruteForce,
    Case,
    Engine,
    LogicV2,
    Searcher,
    every,
    fmt,
    fpr,
    read_csv,
    read_ftm,
    recall_at_1,
    run,
    threshold_at_fpr,
)

from sanctions_ledger.sources import ParseMeta, get_parser

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "holdout.md"
FTM = SHARED / "data" / "ftm" / "eu-uk-us-2022-05-05.ftm.json"
UN_XML = SHARED / "data" / "un" / "2026-02-27" / "consolidated.xml"
SEED = "20261205"
HELD_PROPS = ("alias", "previousName")
CATEGORIES = ("translit", "word_order", "org_form", "partial", "other")
LEGAL_WORDS = frozenset(
    "llc ltd limited ooo oao zao pao ao tov jsc ojsc cjsc pjsc co company inc corp corporation "
    "gmbh sa s a de cv srl llp plc ag bv fze fzco fzc sarl sal spa pte pvt private public "
    "joint stock closed open type liability group holding holdings est establishment".split())
"""Legal-form and body words for the `org_form` category (DEV: LLC/LTD/OOO/COMPANY...)."""


def un_entities() -> list[tuple[str, EntityProxy]]:
    recs = get_parser("un_sc").parse(UN_XML, ParseMeta())
    return [(r.dataset, r.entity) for r in recs if r.entity.schema.name in PARTIES]


def _words(name: str) -> list[str]:
    return fold(name).split()


def _alike(a: str, b: str) -> bool:
    return fuzz.ratio(a, b) >= 70 or Levenshtein.distance(a, b) <= 1


def _in_order(q: list[str], k: list[str]) -> bool:
    return len(q) == len(k) and all(_alike(a, b) for a, b in zip(q, k, strict=True))


def _any_order(q: list[str], k: list[str]) -> bool:
    return len(q) == len(k) and _covers(q, k)


def _covers(q: list[str], k: list[str]) -> bool:
    """Every word of ``q`` alike to its own word of ``k`` (greedy)."""
    left = list(k)
    for a in q:
        hit = next((b for b in left if _alike(a, b)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def category(query: str, kept: Sequence[str]) -> str:
    """The closest relation of ``query`` to any kept name, first rule first (DEV README)."""
    q = _words(query)
    found = set()
    for name in kept:
        k = _words(name)
        qc, kc = [w for w in q if w not in LEGAL_WORDS], [w for w in k if w not in LEGAL_WORDS]
        if _in_order(q, k):
            return "translit"
        if _any_order(q, k):
            found.add("word_order")
        elif qc and kc and (qc != q or kc != k) and (_in_order(qc, kc) or _any_order(qc, kc)):
            found.add("org_form")
        elif q and k and (_covers(q, k) or _covers(k, q)):
            found.add("partial")
    return next((c for c in CATEGORIES if c in found), "other")


def _query_schema(entity: EntityProxy) -> str:
    name = entity.schema.name
    return "Organization" if name in ("Company", "LegalEntity") else name


def holdout(entities: Sequence[tuple[str, EntityProxy]], list_name: str, limit: int
            ) -> tuple[list[tuple[str, EntityProxy]], list[Case], dict[str, int]]:
    """(the index without the held-out aliases, the queries, skip counts) for one list."""
    owners: dict[str, set[str]] = {}
    for _, e in entities:
        for n in names_of(e):
            owners.setdefault(trivial_key(n), set()).add(e.id or "")
    rng = random.Random(f"{SEED}-{list_name}")
    dob_rng = random.Random(f"{SEED}-{list_name}-dob")
    order = sorted(entities, key=lambda de: de[1].id or "")
    rng.shuffle(order)
    held: dict[str, tuple[str, str]] = {}
    cases: list[Case] = []
    skipped = {"trivial": 0, "ambiguous": 0, "short": 0}
    for _, e in order:
        if len(cases) >= limit:
            break
        aliases = [(p, a) for p in HELD_PROPS for a in e.get(p, quiet=True) if script_of(a) == "Latin"]
        rng.shuffle(aliases)
        for prop, alias in aliases:
            key = trivial_key(alias)
            if sum(ch.isalnum() for ch in alias) < 3:
                skipped["short"] += 1
                continue
            kept = [n for n in names_of(e) if n != alias]
            if any(trivial_key(n) == key for n in kept):
                skipped["trivial"] += 1
                continue
            if owners.get(key, set()) - {e.id}:
                skipped["ambiguous"] += 1
                continue
            held[e.id or ""] = (prop, alias)
            schema = _query_schema(e)
            dob = ""
            dates = sorted(e.get("birthDate", quiet=True))
            if schema == "Person" and dates and dob_rng.random() < 1 / 3:
                dob = dob_rng.choice(dates)
            kept_latin = [n for n in kept if script_of(n) == "Latin"]
            cases.append(Case(f"{list_name}-{len(cases)}", alias, schema, dob, "", e.id or "",
                              category(alias, kept_latin), frozenset([e.id or ""])))
            break
    index = []
    for ds, e in entities:
        if e.id in held:
            prop, alias = held[e.id or ""]
            e = e.clone()
            e.remove(prop, alias)
        index.append((ds, e))
    return index, cases, skipped


def negatives() -> list[Case]:
    return [Case(f"neg-{r['query_id']}", r["name"], r["schema"] or "Any", category="negative")
            for r in read_csv(BENCH / "negatives.csv")]


def measure(searchers: list[Searcher], cases: list[Case], neg: list[Case],
            dump: dict[str, list] | None = None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    runs: list[tuple[str, Searcher, int]] = [(s.name, s, 5 if getattr(s, "slow", False) else 1)
                                             for s in searchers]
    if any(step > 1 for _, _, step in runs):
        # ours on the slow baseline's queries too: the ratios compare like with like
        runs.insert(1, (f"{searchers[0].name} (every 5th query)", searchers[0], 5))
    for label, s, step in runs:
        sub, nsub = every(cases, step), every(neg, step)
        res, _ = run(s, sub)
        nres, _ = run(s, nsub)
        both = sub + nsub
        allres = {**res, **nres}
        t1 = threshold_at_fpr(allres, both, 0.01)
        cells = {
            "queries": str(len(sub)),
            "R@1": fmt(recall_at_1(res, sub)),
            "R@10": fmt(sum(1 for c in sub if any(e in c.accept for e, _ in res[c.qid][:10])) / len(sub)),
            "R@1@FPR≤1%": fmt(recall_at_1(res, sub, t1)),
            "T@1%": fmt(t1),
        }
        if s.threshold is not None:
            cells["R@1@T"] = fmt(recall_at_1(res, sub, s.threshold))
            cells["FPR@T"] = fmt(fpr(nres, nsub, s.threshold))
        for cat in CATEGORIES:
            cs = [c for c in sub if c.category == cat]
            cells[cat] = f"{fmt(recall_at_1(res, cs))} ({len(cs)})" if cs else "-"
        out[label] = cells
        print(f"  {label}: {cells}", file=sys.stderr)
        if dump is not None and s is searchers[0] and step == 1:
            dump.update({c.qid: [c.name, c.expected, c.category, res[c.qid][:3]] for c in sub})
    return out


COLUMNS = ("queries", "R@1", "R@10", "R@1@FPR≤1%", "T@1%", "R@1@T", "FPR@T", *CATEGORIES)


def render(table: dict[str, dict[str, dict[str, str]]], notes: list[str]) -> str:
    lines = ["| list | system | " + " | ".join(COLUMNS) + " |",
             "|---|---|" + "---|" * len(COLUMNS)]
    for lst, rows in table.items():
        for system, cells in rows.items():
            lines.append(f"| {lst} | {system} | " + " | ".join(cells.get(c, "-") for c in COLUMNS) + " |")
    lines.append("")
    for lst, rows in table.items():
        names = list(rows)
        for base in names[1:]:
            if base.startswith(names[0]):
                continue
            ours = rows[names[0]]
            if rows[base]["queries"] != ours["queries"]:  # a slow baseline: ours on its queries
                ours = next(rows[n] for n in names if n.startswith(names[0]) and
                            rows[n]["queries"] == rows[base]["queries"])
            ratios = [f"{c} x{float(ours[c]) / float(rows[base][c]):.2f}" for c in ("R@1", "R@1@FPR≤1%")
                      if float(rows[base][c]) > 0]
            lines.append(f"- {lst}: ours vs {base} ({rows[base]['queries']} queries): " + ", ".join(ratios))
    lines.extend(f"- {n}" for n in notes)
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-list", type=int, default=1000)
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--lists", default="eu_fsf,gb_hmt,un")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--dump", type=Path, help="write our top 3 hits per query (JSON) here")
    args = ap.parse_args()
    ftm = read_ftm(FTM)
    sources = {"eu_fsf": [(d, e) for d, e in ftm if d == "eu_fsf"],
               "gb_hmt": [(d, e) for d, e in ftm if d == "gb_hmt"]}
    neg = negatives()
    notes: list[str] = [f"seed {SEED}; negatives: DEV's {len(neg)} Congress members; "
                        "logic-v2 on every 5th query and negative, its candidates as in screening.py."]
    table: dict[str, dict[str, dict[str, str]]] = {}
    dumped: dict[str, list] = {}
    for lst in args.lists.split(","):
        ents = un_entities() if lst == "un" else sources[lst]
        t = time.perf_counter()
        index, cases, skipped = holdout(ents, lst, args.per_list)
        engine = Engine(index)
        searchers: list[Searcher] = [engine]
        if not args.no_baselines:
            brute = BruteForce(index)
            searchers.append(brute)
            logic = LogicV2(index, [], engine, brute)
            if not logic.unavailable:
                searchers.append(logic)
        print(f"{lst}: {len(index)} parties, {len(cases)} queries, skipped {skipped}", file=sys.stderr)
        table[lst] = measure(searchers, cases, neg, dumped if args.dump else None)
        for s in searchers[1:]:
            s.threshold = None
        notes.append(f"{lst}: {len(index)} parties indexed, {len(cases)} aliases held out "
                     f"(skipped: {skipped}); built and run in {time.perf_counter() - t:.0f} s")
    text = render(table, notes)
    print(text)
    args.out.write_text(text)
    if args.dump:
        args.dump.write_text(json.dumps(dumped, ensure_ascii=False))

if __name__ == "__main__":
    main()
