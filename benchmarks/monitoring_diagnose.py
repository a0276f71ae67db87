#!/usr/bin/env python3
"""Why an incremental monitoring run misses alerts a full re-screen raises: the synthetic book
of benchmarks/monitoring_book.py, SDN 2019-01-15 -> 2021-07-07, and for each alert only the full
re-screen raises, its class.

    python benchmarks/monitoring_diagnose.py --size 20000

Classes: ``added``/``amended`` (the party changed: the search of the book index with its names
did not return the customer; with its rank and score in an unlimited search), ``unchanged``
(the party did not change: the customer's search of the 2019 lists' index, limit 200 from 0,
gives the party's old score, or none when retrieval did not reach it). Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from monitoring_book import SDN_2019, SDN_2021, generate, write_parquet  # noqa: E402

from sanctions_ledger.match import Query  # noqa: E402
from sanctions_ledger.monitoring import import_book, monitor, plan_run, runs  # noqa: E402
from sanctions_ledger.monitoring.changes import current_parties, party_names  # noqa: E402
from sanctions_ledger.monitoring.runs import service_over  # noqa: E402
from sanctions_ledger.screening.books import book_index  # noqa: E402
from sanctions_ledger.store import Ledger, ingest  # noqa: E402
from sanctions_ledger.store import books as store_books  # noqa: E402
from sanctions_ledger.store.alerts import AlertRow  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="monitoring-diag-") as tmp:
        folder = Path(tmp)
        rows, _planted = generate(args.size)
        write_parquet(folder / "book.parquet", rows)
        ledger = Ledger.open(folder / "ledger.duckdb")
        ingest(ledger, SDN_2019)
        service = service_over(ledger)
        import_book(ledger, folder / "book.parquet", "bench")
        monitor(ledger, service, "bench", workers=args.workers, deliver=False)
        old_index = service.index(None)
        ingest(ledger, SDN_2021)
        inc = plan_run(ledger, service, "bench", workers=args.workers)
        full = plan_run(ledger, service, "bench", mode="full", workers=args.workers)

        def key(a: AlertRow) -> tuple[str, str, str, str]:
            return (a.kind, a.customer_id, a.dataset, a.entity_id)

        have = {key(a) for a in inc.alerts}
        missing = [a for a in full.alerts if key(a) not in have]
        extra = [a for a in inc.alerts if key(a) not in {key(b) for b in full.alerts}]
        print(f"incremental {len(inc.alerts)} alerts ({inc.run.rescreened} screened), full {len(full.alerts)}; "
              f"missing {len(missing)}, extra {len(extra)}")
        changes = inc.changes
        assert changes is not None
        info = store_books.book_info(ledger, "bench")
        customers = {c.customer_id: c for c in store_books.current_customers(ledger, "bench")}
        index = book_index(({"customer_id": c.customer_id, "name": c.name, "schema": c.schema,
                             "birth_date": c.birth_date, "country": c.country, "identifier": c.identifier}
                            for c in customers.values()), book="bench", version=info.version,
                           cache_dir=service.screener.cache_dir)
        classes: Counter[str] = Counter()
        for a in missing:
            c = customers[a.customer_id]
            entry = changes.entries.get((a.dataset, a.entity_id))
            q = Query(c.name, c.schema, c.birth_date or None, c.country or None)
            if entry is not None:
                party = current_parties(ledger, [(a.dataset, a.entity_id)])[(a.dataset, a.entity_id)]
                best = None
                for name, schema, birth, country in party_names(party):
                    hits = index.search(Query(name, schema, birth, country), limit=100_000, threshold=0.0)
                    for rank, h in enumerate(hits, 1):
                        if h.entity_id == c.customer_id and (best is None or h.score > best[1]):
                            best = (rank, h.score, name, len(hits))
                why = (f"book index: rank {best[0]} of {best[3]}, score {best[1]:.3f} for {best[2]!r}"
                       if best else "book index: not retrieved at all")
                cls = f"{entry['change']}: " + ("not retrieved" if best is None else
                                                 "under floor" if best[1] < runs.BOOK_FLOOR else
                                                 "past limit" if best[0] > runs.BOOK_LIMIT else "found?")
            else:
                old = old_index.search(q, limit=200, threshold=0.0)
                hit = next((h for h in old if h.entity_id == a.entity_id), None)
                old_score = f"score {hit.score:.3f}" if hit else "not found"
                why = f"old search: {old_score} ({len(old)} hits, " \
                      f"best {old[0].score if old else 0:.3f})"
                cls = "unchanged: " + ("not retrieved before" if hit is None else
                                       "under floor before" if hit.score < runs.FLOOR else "was a pair?")
            classes[cls] += 1
            print(f"{a.kind} {c.customer_id} {c.name!r} ({c.schema}) -> {a.entity_id} {a.caption!r} "
                  f"{a.matched_name!r} {a.score:.3f}: {cls}; {why}")
        print(dict(classes))
        ledger.close()


if __name__ == "__main__":
    main()
