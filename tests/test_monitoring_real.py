"""Monitoring on real data, the issue's "done when": OFAC SDN 2019-01-15 ingested, a book
monitored, SDN 2021-07-07 ingested, monitored again (BELARUS parties added in 2021 give
``new_hit``, parties delisted by then ``hit_cleared``), a third run gives nothing, a false
positive survives the next runs, a webhook receiver on 127.0.0.1 gets signed alerts; and
before every run the incremental alerts equal those of a full re-screen compared with the
previous result."""

from __future__ import annotations

import csv
import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sanctions_ledger.monitoring import decide, import_book, monitor, plan_run
from sanctions_ledger.monitoring.runs import RunResult, service_over
from sanctions_ledger.monitoring.webhooks import SIGNATURE_HEADER, add_webhook, redeliver, verify
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.store import Ledger, ingest
from sanctions_ledger.store import alerts as store_alerts

from .conftest import FTM_2022, FTM_LISTS, SDN_2019, SDN_2021

SECRET = "s3cret-for-the-test-receiver"
PLANTED = {  # customer -> (name, schema, birth date, country), the party it is planted on
    "p-karaeu": ("Yuriy Karaev", "Person", "1966-06-21", None, "us-sdn-29642"),
    "p-minsk-gu": ("Main Internal Affairs Directorate of the Minsk City Executive Committee",
                   "Organization", None, "by", "us-sdn-30546"),
    "p-omon": ("Minsk Special Purpose Police Unit", "Organization", None, "by", "us-sdn-30547"),
    "p-herrera": ("Giselle Herrera Ramirez", "Person", None, None, "us-sdn-4355"),
    "p-albaraka": ("Al Baraka Exchange LLC", "Organization", None, None, "us-sdn-6953"),
}


def _sdn_rows(folder: Path) -> dict[str, tuple[str, str]]:
    with open(folder / "sdn.csv", encoding="latin-1", newline="") as fh:
        return {r[0]: (r[1], r[2].strip()) for r in csv.reader(fh) if len(r) > 3}


def _as_customer(name: str, kind: str) -> tuple[str, str]:
    """An SDN name written as a bank's book would: ``LAST, First`` -> ``First Last``."""
    if kind == "individual" and ", " in name:
        last, first = name.split(", ", 1)
        return f"{first} {last.title()}", "Person"
    return name.title(), "Organization" if kind in ("-0-", "") else "Any"


def write_book(path: Path, *, extra_note: str = "", drop: tuple[str, ...] = (),
               change: dict[str, dict[str, str]] | None = None) -> None:
    """The test's book: the planted customers, 60 parties of each snapshot written as a book
    would, 60 near misses (first and last names of different parties) and 40 clean names."""
    rng = random.Random(18)
    old, new = _sdn_rows(SDN_2019), _sdn_rows(SDN_2021)
    people = sorted(k for k, (n, t) in new.items() if t == "individual" and ", " in n)
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    kept = sorted(set(old) & set(new))
    rows: list[dict[str, Any]] = []
    for cid, (name, schema, dob, country, _party) in PLANTED.items():
        rows.append({"customer_id": cid, "name": name, "schema": schema, "birth_date": dob or "",
                     "country": country or "", "identifier": "", "segment": "planted"})
    for label, pool, rows_of in (("added", added, new), ("removed", removed, old), ("kept", kept, new)):
        for ent in rng.sample(pool, 60):
            name, schema = _as_customer(*rows_of[ent])
            rows.append({"customer_id": f"{label}-{ent}", "name": name, "schema": schema, "birth_date": "",
                         "country": "", "identifier": "", "segment": label})
    for i in range(60):
        a, b = rng.sample(people, 2)
        first = new[a][0].split(", ", 1)[1].split()[0]
        last = new[b][0].split(", ", 1)[0].title()
        rows.append({"customer_id": f"near-{i}", "name": f"{first} {last}", "schema": "Person",
                     "birth_date": "", "country": "", "identifier": "", "segment": "near"})
    for i, name in enumerate(["Olivia Thornbury", "Harbour Freight Logistics Ltd", "Mathilde Roussel",
                              "Kwame Mensah", "Nordlys Fiskeri AS"] * 8):
        rows.append({"customer_id": f"clean-{i}", "name": name, "schema": "Any", "birth_date": "",
                     "country": "", "identifier": "", "segment": "clean"})
    for row in rows:
        row["note"] = extra_note
        row.update((change or {}).get(row["customer_id"], {}))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["customer_id"] not in drop)


class Receiver(BaseHTTPRequestHandler):
    got: list[tuple[dict[str, Any], bool]] = []
    fail_next = 0

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.fail_next > 0:
            Receiver.fail_next -= 1
            self.send_response(503)
            self.end_headers()
            return
        Receiver.got.append((json.loads(body), verify(SECRET, body, self.headers[SIGNATURE_HEADER])))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, receiver: str) -> Iterator[tuple[Ledger, ScreeningService, Path]]:
    folder = tmp_path_factory.mktemp("monitoring")
    ledger = Ledger.open(folder / "ledger.duckdb")
    ingest(ledger, SDN_2019)
    add_webhook(ledger, receiver, SECRET, "bank")
    yield ledger, service_over(ledger), folder
    ledger.close()


def keys(result: RunResult) -> list[tuple[Any, ...]]:
    return sorted((a.kind, a.customer_id, a.dataset, a.entity_id, a.score, a.matched_name, a.reason)
                  for a in result.alerts)


def checked_run(ledger: Ledger, service: ScreeningService, *, lists_changed: bool = False,
                spark: bool = False) -> RunResult:
    """The incremental run, after checking that its alerts are a full re-screen's (it screens
    the whole book when a list changed, else only what the book changed). ``spark``: and
    that the full re-screen on Spark in local mode (the engine for a large book) gives the
    same alerts as on the local engine."""
    full = plan_run(ledger, service, "bank", mode="full")
    incremental = plan_run(ledger, service, "bank")
    assert incremental.run.mode == "incremental"
    assert keys(incremental) == keys(full)
    if spark:
        on_spark = plan_run(ledger, service, "bank", mode="full", engine="spark")
        assert on_spark.run.rescreened == full.run.rescreened
        assert keys(on_spark) == keys(full)
    if lists_changed:
        assert incremental.run.rescreened == full.run.rescreened
    else:
        assert incremental.run.rescreened < full.run.rescreened
    return monitor(ledger, service, "bank")


def pairs(result: RunResult, kind: str) -> set[tuple[str, str]]:
    return {(a.customer_id, a.entity_id) for a in result.alerts if a.kind == kind}


def test_done_when(world: tuple[Ledger, ScreeningService, Path]) -> None:
    ledger, service, folder = world
    book = folder / "book.csv"
    write_book(book)
    imported = import_book(ledger, book, "bank")
    assert imported.report.version == 1 and imported.report.rejected == 0 and imported.report.added == 285

    first = monitor(ledger, service, "bank")
    assert first.run.mode == "full" and first.run.rescreened == 285
    assert {("p-herrera", "us-sdn-4355"), ("p-albaraka", "us-sdn-6953")} <= pairs(first, "new_hit")
    assert not {c for c, _e in pairs(first, "new_hit")} & {"p-karaeu", "p-minsk-gu", "p-omon"}
    assert all(json.loads(a.trigger)["type"] == "first_run" for a in first.alerts)

    ingest(ledger, SDN_2021)
    second = checked_run(ledger, service, lists_changed=True, spark=True)
    assert {("p-karaeu", "us-sdn-29642"), ("p-minsk-gu", "us-sdn-30546"),
            ("p-omon", "us-sdn-30547")} <= pairs(second, "new_hit")
    assert {("p-herrera", "us-sdn-4355"), ("p-albaraka", "us-sdn-6953")} <= pairs(second, "hit_cleared")
    omon = next(a for a in second.alerts if a.customer_id == "p-omon" and a.entity_id == "us-sdn-30547")
    trigger = json.loads(omon.trigger)
    assert trigger["type"] == "list" and trigger["change"] == "added" and trigger["dataset"] == "us_ofac_sdn"
    assert (trigger["from_snapshot"], trigger["to_snapshot"]) == ("ofac_csv-11fdd46ca53b9ea8",
                                                                  "ofac_csv-6a04a6f7341690c9")
    assert omon.score >= 0.95 and omon.matched_name == "MINSK SPECIAL PURPOSE POLICE UNIT"
    assert "name_tokens" in omon.explanation
    cleared = next(a for a in second.alerts if a.entity_id == "us-sdn-6953")
    assert cleared.reason == "party delisted: no longer on us_ofac_sdn" and cleared.previous_score == 1.0
    # Every planted party added in 2021 that the book writes as a bank would is found.
    found_added = {c for c, _e in pairs(second, "new_hit") if c.startswith("added-")}
    assert len(found_added) >= 55, found_added

    third = monitor(ledger, service, "bank")
    assert third.alerts == [] and third.run.rescreened == 0

    # A webhook receiver got every alert of the runs, signed.
    sent = [body["alert"]["id"] for body, ok in Receiver.got if ok]
    assert not [body for body, ok in Receiver.got if not ok]
    assert set(sent) == {a.id for a in first.alerts + second.alerts}


def test_false_positive_survives(world: tuple[Ledger, ScreeningService, Path]) -> None:
    ledger, service, folder = world
    if store_alerts.last_run(ledger, "bank") is None:
        pytest.skip("needs test_done_when's runs")
    brest = store_alerts.alerts(ledger, book="bank", customer_id="p-minsk-gu")
    fp = next(a for a in brest if a.entity_id != "us-sdn-30546" and a.kind == "new_hit")
    decide(ledger, fp.id, "false_positive", author="analyst", note="another directorate")
    assert store_alerts.alert(ledger, fp.id).state == "false_positive"

    book = folder / "book.csv"
    # A change of a column screening does not read: a new version, no alert.
    write_book(book, extra_note="reviewed")
    assert import_book(ledger, book, "bank").report.changed == 285
    assert checked_run(ledger, service).alerts == []
    # The customer leaves the book, then comes back unchanged: its other hits are new again,
    # the false positive stays suppressed.
    write_book(book, extra_note="reviewed", drop=("p-minsk-gu",))
    assert import_book(ledger, book, "bank").report.removed == 1
    gone = checked_run(ledger, service)
    assert {a.kind for a in gone.alerts} == {"hit_cleared"}
    assert {a.reason for a in gone.alerts} == {"customer removed from the book"}
    write_book(book, extra_note="reviewed")
    assert import_book(ledger, book, "bank").report.added == 1
    back = checked_run(ledger, service)
    assert ("p-minsk-gu", "us-sdn-30546") in pairs(back, "new_hit")
    assert ("p-minsk-gu", fp.entity_id) not in pairs(back, "new_hit")
    assert back.run.suppressed == 1
    # A material change of the customer (an identifier: its tax id) lifts the suppression.
    write_book(book, extra_note="reviewed", change={"p-minsk-gu": {"identifier": "100582346"}})
    assert import_book(ledger, book, "bank").report.changed == 1
    moved = checked_run(ledger, service)
    assert ("p-minsk-gu", fp.entity_id) in pairs(moved, "hit_changed") | pairs(moved, "hit_cleared")
    assert ("p-minsk-gu", "us-sdn-30546") in pairs(moved, "hit_changed")


def test_failed_delivery_is_kept_and_redelivered(world: tuple[Ledger, ScreeningService, Path]) -> None:
    ledger, _service, _folder = world
    found = store_alerts.alerts(ledger, book="bank", limit=1)
    if not found:
        pytest.skip("needs test_done_when's runs")
    from sanctions_ledger.monitoring.webhooks import deliver_alerts

    waits: list[float] = []
    Receiver.fail_next = 2  # two 503s, then accepted: delivered on the third attempt
    done = deliver_alerts(ledger, found, attempts=3, backoff=0.01, sleep=waits.append)
    assert [(d.ok, d.attempts) for d in done] == [(True, 3)] and waits == [0.01, 0.02]
    Receiver.fail_next = 10  # every attempt refused: kept as failed
    done = deliver_alerts(ledger, found, attempts=2, backoff=0.01, sleep=waits.append)
    assert [(d.ok, d.error) for d in done] == [(False, "HTTP 503")]
    assert store_alerts.failed_deliveries(ledger)[0][:3] == (found[0].id, done[0].url, 2)
    Receiver.fail_next = 0
    again = redeliver(ledger, attempts=2, backoff=0.01, sleep=waits.append)
    assert [(d.ok, d.attempts) for d in again] == [(True, 3)]
    assert store_alerts.failed_deliveries(ledger) == []


def test_authorisation_in_force_clears_the_hit(world: tuple[Ledger, ScreeningService, Path]) -> None:
    """A licence that comes into force clears a hit (Belaruskali, on the EU/UK/US compilation
    of 2022-05-05, OFAC Belarus GL 13 of 2025-12-15, in force today), with no list or book
    change."""
    from sanctions_ledger.jurisdictions.licences import import_licences
    from sanctions_ledger.service import licence_authoriser

    ledger, service, folder = world
    if store_alerts.last_run(ledger, "bank") is None:
        pytest.skip("needs test_done_when's runs")
    ingest(ledger, FTM_2022, allow_lists=FTM_LISTS)
    book = folder / "potash.csv"
    book.write_text("customer_id,name,schema\nk-potash,Belaruskali OAO,Organization\n", encoding="utf-8")
    import_book(ledger, book, "potash")
    first = monitor(ledger, service, "potash", authoriser=licence_authoriser)
    assert ("k-potash", "us-sdn-32746") in pairs(first, "new_hit")
    assert monitor(ledger, service, "potash", authoriser=licence_authoriser).alerts == []
    # The shipped Belarus set's GL 13 row (the others name records of OFAC files after 2022).
    from sanctions_ledger.jurisdictions import licences

    shipped = (Path(licences.__file__).parents[1] / "data" / "belarus_licences.csv").read_text(encoding="utf-8")
    with open(folder / "gl13.csv", "w", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(shipped.splitlines()))
        csv.writer(fh).writerows([rows[0], *[r for r in rows[1:] if r[0] == "OFAC Belarus GL 13"]])
    import_licences(ledger, folder / "gl13.csv")
    full = plan_run(ledger, service, "potash", mode="full", authoriser=licence_authoriser)
    licensed = plan_run(ledger, service, "potash", authoriser=licence_authoriser)
    assert keys(licensed) == keys(full) and licensed.run.mode == "incremental"
    [cleared] = licensed.alerts
    assert (cleared.kind, cleared.entity_id) == ("hit_cleared", "us-sdn-32746")
    assert cleared.reason == "authorisation in force: OFAC Belarus GL 13"
