"""Load-and-fault run of the ledger and ``sanctions serve`` (issue #20): what holds, as a table.

Five bounded checks, all on 127.0.0.1 and on the shared list files:

1. **kill -9 during ingest**: ``sanctions ingest`` of the FtM 2022 compilation into a store
   holding the OFAC SDN 2019 file, killed after several delays (fractions of one uninterrupted
   run); each store must then open and hold the old snapshots or the whole new one, never part
   (snapshots, per-list statement and party counts, the parties a ``LedgerView`` sees);
2. **admin ingests under searches**: two ``POST /admin/ingest`` uploads at once while clients
   send ``/match`` and ``/search``; no request fails except a 503 with ``Retry-After`` (load
   shedding, by design) and both snapshots land whole;
3. **200 connections**: 200 concurrent keep-alive clients for 10 s; errors, 503s, p99;
4. **slow clients**: request heads and bodies trickled a few bytes at a time are answered 408
   while a probe's requests keep getting answers;
5. **a poisoned cache**: the index cache files are replaced by a pickle that would create a
   marker folder when unpickled; ``sanctions screen`` must not create it, and rebuilds the index.

    python benchmarks/reliability.py [--out benchmarks/results/reliability.md]

Every loop is bounded in count and time, the server is stopped in all cases, and the whole run
takes about two minutes. The server helpers (readiness wait, the raw keep-alive client) are
``serve_load``'s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_load import DATA, FTM_LISTS, REPO, WORK, Conn, _free_port, pct, wait_ready  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "reliability.md"
HERE = WORK / "reliability"
BASE = DATA / "ofac-sdn" / "2019-01-15"
FTM = DATA / "ftm" / "eu-uk-us-2022-05-05.ftm.json"
UPLOADS = {"ofac-sdn 2021-07-07": DATA / "ofac-sdn" / "2021-07-07",
           "ofac-cons 2025-12-19": DATA / "ofac-cons" / "2025-12-19"}
NAMES = ["Nicolas Maduro", "Kim Jong Un", "Banco Nacional de Cuba", "Hamas", "Viktor Bout",
         "Islamic Revolutionary Guard Corps", "Rosneft", "Maria Gonzalez Fernandez", "Acme Widgets Ltd"]
TOKEN = secrets.token_hex(16)
CLI = [sys.executable, "-c", "from sanctions_ledger.cli import main; main()"]
Row = tuple[str, str, str, str, bool]


def cli(*args: str, store: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args, "--store", str(store)], capture_output=True, text=True,
                          timeout=timeout, check=False)


def ingest_args() -> list[str]:
    return ["ingest", str(FTM), *[a for name in FTM_LISTS for a in ("--as-list", name)]]


State = tuple[tuple[tuple[str, str, int, int], ...], int]


def state(store: Path) -> State:
    """What a restarted process sees: every (snapshot, list, statements, parties) and the number
    of parties the ledger shows today. Opened writable, so a leftover WAL is replayed."""
    from sanctions_ledger.queries import sources
    from sanctions_ledger.store import Ledger, LedgerView

    with Ledger.open(store) as ledger:
        rows = tuple(sorted((r["snapshot_id"], r["dataset"], int(r["statements"]), int(r["parties"]))
                            for r in sources(ledger)))
        return rows, len(LedgerView(ledger).party_ids())


def copy_store(src: Path, dst: Path) -> None:
    for path in (dst, Path(f"{dst}.wal")):
        path.unlink(missing_ok=True)
    shutil.copyfile(src, dst)


# -- 1. kill -9 during ingest --------------------------------------------------------------------

def kill_during_ingest() -> list[Row]:
    base = HERE / "base.duckdb"
    base.unlink(missing_ok=True)
    done = cli("ingest", str(BASE), store=base)
    if done.returncode:
        raise RuntimeError(f"base ingest failed: {done.stderr[-500:]}")
    old = state(base)
    ref = HERE / "whole.duckdb"
    copy_store(base, ref)
    start = time.monotonic()
    done = cli(*ingest_args(), store=ref)
    full_s = time.monotonic() - start
    if done.returncode:
        raise RuntimeError(f"reference ingest failed: {done.stderr[-500:]}")
    whole = state(ref)
    outcomes = []
    for point in KILL_AT:
        store = HERE / "killed.duckdb"
        copy_store(base, store)
        outcomes.append(kill_at(point, store, full_s, old, whole))
    held = all(o.verdict in ("old", "whole") for o in outcomes) and any(o.killed and o.wrote for o in outcomes)
    observed = "; ".join(o.text() for o in outcomes)
    n_old, n_whole = len(old[0]), len(whole[0])
    return [("kill -9 during ingest",
             f"`sanctions ingest` FtM 2022 ({', '.join(FTM_LISTS)} allowed) into a store holding OFAC "
             f"SDN 2019, SIGKILLed {len(outcomes)} times: while parsing (0.3 × an uninterrupted run), when the store file starts "
             f"to grow (+0, +0.25 s), when the WAL appears (commit: +0, +0.3, +0.5 s); each store reopened "
             f"(an uninterrupted run: {full_s:.1f} s)",
             f"old state ({n_old} snapshot-list rows, {old[1]:,} parties) or whole "
             f"({n_whole} rows, {whole[1]:,} parties), never part",
             observed, held)]


KILL_AT = (("parsing", "start", 0.3), ("writing", "grows", 0.0), ("writing", "grows", 0.25),
           ("commit", "wal", 0.0), ("commit", "wal", 0.3), ("commit", "wal", 0.5))
"""(label, event, seconds after it): ``start`` is the spawn (the delay is then a fraction of an
uninterrupted run), ``grows`` the store file's first growth (the transaction's pages being
written), ``wal`` the write-ahead log appearing (the commit, then the checkpoint)."""


@dataclass
class Kill:
    label: str
    at: float
    killed: bool
    wrote: bool
    wal: bool
    verdict: str

    def text(self) -> str:
        how = "had finished" if not self.killed else "WAL present" if self.wal else \
            "store file grown" if self.wrote else "nothing written yet"
        return f"{self.label} {self.at:.2f} s ({how}): {self.verdict}"


def kill_at(point: tuple[str, str, float], store: Path, full_s: float, old: State, whole: State) -> Kill:
    """One ingest killed at ``point``; what the store holds after."""
    label, event, delay = point
    wal = Path(f"{store}.wal")
    size0 = store.stat().st_size
    proc = subprocess.Popen([*CLI, *ingest_args(), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    limit = start + 3 * full_s + 10
    if event == "start":
        time.sleep(delay * full_s)
    else:
        while proc.poll() is None and time.monotonic() < limit:
            if (wal.exists() if event == "wal" else store.stat().st_size > size0):
                break
            time.sleep(0.005)
        time.sleep(delay)
    at = time.monotonic() - start
    wrote, wal_now = store.stat().st_size > size0, wal.exists()
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        seen = state(store)
        verdict = "old" if seen == old else "whole" if seen == whole else "PARTIAL"
    except Exception as exc:  # noqa: BLE001 - a store that does not open is the finding
        verdict = f"does not open ({exc})"
    return Kill(label, at, killed, wrote, wal_now, verdict)


# -- the server --------------------------------------------------------------------------------

def start_server(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``serve_load.start_server`` with the admin endpoints on (a token of this run)."""
    cmd = [*CLI, "serve", "--store", str(store), "--port", str(port)]
    env = dict(os.environ, SANCTIONS_LEDGER_ADMIN_TOKEN=TOKEN)
    return subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass
class Tally:
    ok: int = 0
    shed: int = 0
    shed_no_retry: int = 0
    failed: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.ok + self.shed + len(self.failed)

    def summary(self) -> str:
        return (f"{self.total:,} requests: {self.ok:,} × 200, {self.shed} × 503 "
                f"({self.shed - self.shed_no_retry} with Retry-After), {len(self.failed)} failed"
                + (f" (e.g. {self.failed[0]})" if self.failed else ""))


async def client(host: str, port: int, tally: Tally, stop: asyncio.Event, deadline: float, seed: int,
                 pause: float = 0.0) -> None:
    """Alternates /match and /search (``pause`` seconds apart) until ``stop`` is set or
    ``deadline`` passes."""
    conn = Conn(host, port)
    i = seed
    while not stop.is_set() and time.monotonic() < deadline:
        name = NAMES[i % len(NAMES)]
        i += 1
        started = time.perf_counter()
        try:
            if i % 2:
                body = orjson.dumps({"queries": {"q": {"schema": "Thing", "properties": {"name": [name]}}}})
                status, data = await conn.request("POST", "/match/default", body)
            else:
                status, data = await conn.request("GET", f"/search?{httpx.QueryParams({'q': name, 'limit': 5})}")
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            conn.close()
            conn.writer = None
            tally.failed.append(repr(exc))
            continue
        if status == 200:
            tally.ok += 1
            tally.latencies.append(time.perf_counter() - started)
        elif status == 503:
            tally.shed += 1
            tally.shed_no_retry += b"retry-after" not in conn.headers
            await asyncio.sleep(0.05)
        else:
            tally.failed.append(f"{status} {data[:100]!r}")
        if pause:
            await asyncio.sleep(pause)
    conn.close()


def _files(folder: Path) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())
            if p.is_file() and p.name != "SHA256SUMS"]


async def ingests_under_search(base: str, host: str, port: int) -> tuple[Row, dict[str, Any]]:
    tally = Tally()
    stop = asyncio.Event()
    clients = [asyncio.create_task(client(host, port, tally, stop, time.monotonic() + 120, s))
               for s in range(8)]
    await asyncio.sleep(1.0)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        answers = await asyncio.gather(*(http.post("/admin/ingest", files=_files(folder), headers=auth)
                                         for folder in UPLOADS.values()))
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.gather(*clients)
        listed = (await http.get("/sources")).json()
    reports = {label: (a.status_code, a.json()) for label, a in zip(UPLOADS, answers, strict=True)}
    landed = {label: r.get("snapshot_id") for label, (code, r) in reports.items() if code == 200}
    rows = listed["snapshots"]
    listed_ids = {r["snapshot_id"] for r in rows}
    parties = {(r["snapshot_id"], r["dataset"]): r["parties"] for r in rows}
    whole = all(parties.get((sid, ds)) == n for label, sid in landed.items()
                for ds, n in reports[label][1]["datasets"].items())
    held = (not tally.failed and tally.shed_no_retry == 0 and len(landed) == len(UPLOADS)
            and set(landed.values()) <= listed_ids and whole)
    observed = (f"ingests: {', '.join(f'{k}: {c}' for k, (c, _) in reports.items())}; "
                f"{'both listed in /sources with the parties each ingest reported' if whole and len(landed) == 2 else 'NOT all listed whole'}; "
                f"searches: {tally.summary()}")
    return ("admin ingests under searches",
            f"2 concurrent `POST /admin/ingest` ({', '.join(UPLOADS)}) while 8 clients alternate "
            "`/match` and `/search`",
            "both 200 and listed whole; no search fails (503 + Retry-After allowed)", observed, held), reports


async def connections(host: str, port: int, n: int, seconds: float) -> Row:
    tally = Tally()
    stop = asyncio.Event()
    start = time.monotonic()
    await asyncio.gather(*(client(host, port, tally, stop, start + seconds, s) for s in range(n)))
    elapsed = time.monotonic() - start
    p50, p99 = pct(tally.latencies, 50), pct(tally.latencies, 99)
    held = not tally.failed and tally.shed_no_retry == 0 and p99 < 18_000
    return (f"{n} connections",
            f"{n} concurrent keep-alive clients alternating `/match` and `/search` for {seconds:.0f} s",
            "no errors; 503 only with Retry-After; p99 far below the 18 s the issue measured",
            f"{tally.summary()}; {tally.total / elapsed:,.0f} req/s; p50 {p50:,.0f} ms, p99 {p99:,.0f} ms", held)


async def trickle(host: str, port: int, whole: bytes, trickled: bytes, limit: float, *,
                  wait_at_end: bool = True) -> tuple[int | None, float]:
    """Sends ``whole`` at once, then ``trickled`` 8 bytes a second, until answered or ``limit``
    seconds have passed; (status answered, seconds taken). ``wait_at_end`` waits for the answer
    (up to ``limit``) once everything is sent."""
    reader, writer = await asyncio.open_connection(host, port)
    start = time.monotonic()
    try:
        if whole:
            writer.write(whole)
        for i in range(0, len(trickled), 8):
            if time.monotonic() - start > limit:
                if not wait_at_end:
                    return None, time.monotonic() - start
                break
            try:
                writer.write(trickled[i:i + 8])
                await writer.drain()
            except OSError:
                break
            try:
                line = await asyncio.wait_for(reader.readline(), 1.0)
            except TimeoutError:
                continue
            return (int(line.split()[1]) if line.startswith(b"HTTP/") else None), time.monotonic() - start
        if not wait_at_end:
            return None, time.monotonic() - start
        try:
            line = await asyncio.wait_for(reader.readline(), max(0.1, limit - (time.monotonic() - start)))
        except TimeoutError:
            return None, time.monotonic() - start
        return (int(line.split()[1]) if line.startswith(b"HTTP/") else None), time.monotonic() - start
    finally:
        writer.close()


async def slow_clients(host: str, port: int) -> Row:
    body = orjson.dumps({"queries": {"q": {"schema": "Thing", "properties": {"name": ["Hamas " * 40]}}}})
    heads = [f"GET /search?q=hamas HTTP/1.1\r\nHost: {host}\r\nX-Slow-{i}: {'a' * 400}\r\n\r\n".encode()
             for i in range(10)]
    post = (f"POST /match/default HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    slow = [trickle(host, port, b"", h, 25) for h in heads]
    # The whole head at once, then the body trickled (the body deadline is the app's).
    slow += [trickle(host, port, post, body, 40, wait_at_end=False) for _ in range(10)]
    probe = Tally()
    stop = asyncio.Event()

    probing = asyncio.create_task(client(host, port, probe, stop, time.monotonic() + 60, 0, pause=0.2))
    results = await asyncio.gather(*slow)
    stop.set()
    await probing
    heads_408 = sum(1 for code, _ in results[:10] if code == 408)
    bodies_408 = sum(1 for code, _ in results[10:] if code == 408)
    head_s = max(s for _, s in results[:10])
    body_s = max(s for _, s in results[10:])
    held = heads_408 == 10 and bodies_408 == 10 and probe.ok > 0 and not probe.failed
    return ("slow clients (slowloris)",
            "10 request heads and 10 `/match` bodies sent 8 bytes a second, while a probe client "
            "sends `/match` and `/search` every 0.2 s",
            "every slow request answered 408 (heads within 10 s, bodies within 30 s); the probe answered",
            f"heads: {heads_408}/10 × 408 (last after {head_s:.1f} s); bodies: {bodies_408}/10 × 408 "
            f"(last after {body_s:.1f} s); probe: {probe.summary()}", held)


def serve_checks(store: Path) -> list[Row]:
    port = _free_port()
    host = "127.0.0.1"
    base = f"http://{host}:{port}"
    proc = start_server(store, port, HERE / "serve.log")
    try:
        ready = wait_ready(base, proc, timeout=180)
        print(f"server ready in {ready:.1f} s", flush=True)
        row, _ = asyncio.run(ingests_under_search(base, host, port))
        print(f"  {row[3]}", flush=True)
        wait_ready(base, proc, timeout=120)
        rows = [row, asyncio.run(connections(host, port, 200, 10.0))]
        print(f"  {rows[-1][3]}", flush=True)
        rows.append(asyncio.run(slow_clients(host, port)))
        print(f"  {rows[-1][3]}", flush=True)
        return rows
    finally:
        stop_server(proc)


# -- 5. a poisoned cache -------------------------------------------------------------------------

class Poison:
    """Unpickling this calls ``os.mkdir(marker)``: proof that a cache file ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def poisoned_cache(store: Path) -> Row:
    cache = Path(f"{store}.index")
    marker = HERE / "poison-ran"
    shutil.rmtree(marker, ignore_errors=True)
    files = sorted(cache.glob("*.idx"))
    # Control: the same kind of pickle, loaded directly, does run code (so "absent" means
    # something).
    control = HERE / "poison-control"
    pickle.loads(pickle.dumps(Poison(control)))  # noqa: S301 - the point of the control
    live = control.exists()
    payload = pickle.dumps(Poison(marker))
    for path in files:
        path.write_bytes(payload)
    done = cli("screen", "Banco Nacional de Cuba", "--json", store=store)
    answer: dict[str, Any] = orjson.loads(done.stdout) if done.returncode == 0 else {}
    rebuilt = [p for p in files if p.exists() and p.read_bytes() != payload]
    ran = marker.exists()
    n_hits = len(answer.get("hits", []))
    # Files of older snapshot sets (before the admin ingests) stay poisoned: nothing reads them.
    held = live and bool(files) and not ran and done.returncode == 0 and n_hits > 0 and bool(rebuilt)
    return ("poisoned cache file",
            f"{len(files)} index cache file(s) in `{cache.name}/` replaced by a pickle that calls "
            "`os.mkdir(marker)`; then `sanctions screen 'Banco Nacional de Cuba'`",
            "no marker; the screen answers; the current snapshots' cache file is rebuilt",
            f"control (the pickle loaded directly): {'ran' if live else 'DID NOT RUN'}; "
            f"marker {'CREATED' if ran else 'absent'}; exit {done.returncode}, {n_hits} hit(s); "
            f"{len(rebuilt)}/{len(files)} file(s) rewritten (the others index older snapshot sets)"
            + (f"; stderr: {done.stderr.strip()[-200:]}" if done.returncode else ""), held)


# -- report ------------------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    lines = ["| check | what was done | expected | observed | held |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {'yes' if e else 'NO'} |" for a, b, c, d, e in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    start = time.monotonic()
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir(parents=True)
    print("kill -9 during ingest ...", flush=True)
    rows = kill_during_ingest()
    print(f"  {rows[-1][3]}", flush=True)
    store = HERE / "serve.duckdb"
    copy_store(HERE / "whole.duckdb", store)
    print("server checks ...", flush=True)
    rows += serve_checks(store)
    print("poisoned cache ...", flush=True)
    rows.append(poisoned_cache(store))
    took = time.monotonic() - start
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        "# Reliability: faults and load (issue #20)", "",
        f"Run {when} with `python benchmarks/reliability.py` ({took:.0f} s, {os.cpu_count()} vCPU shared "
        "with other work; all traffic on 127.0.0.1). "
        f"{sum(r[4] for r in rows)} of {len(rows)} checks held.", "",
        table(rows), "",
    ])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    if not all(r[4] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
