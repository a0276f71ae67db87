"""Load test of ``sanctions serve``: throughput, latency and memory of the HTTP service.

Starts the real server (``sanctions serve``, one uvicorn process) on 127.0.0.1 over all shared
list data, waits for ``/readyz``, then drives it from this process with an asyncio HTTP/1.1
keep-alive client (loopback only; bounded in requests and time):

1. closed loop: 32 concurrent clients for 60 s on single-query ``POST /match/default``;
2. open loop: a fixed 300 requests/s for 60 s; latency measured from each request's
   *scheduled* start, so queueing is counted (no coordinated omission);
3. mixed workload (match 60 %, search 25 %, entity 15 %), 16 clients for 30 s;
and the server's RSS after each phase. ``--quick`` runs 10 s phases.

    python benchmarks/serve_load.py [--quick] [--out benchmarks/results/serve.md]

Query names are drawn (seeded) from the listed parties and perturbed (case, token order,
dropped or misspelt tokens), plus names that are on no list, so caches do not answer for the
matcher. Server and load generator share the machine's cores; the report says how many.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx
import orjson
import psutil

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
FTM_LISTS = ("us_ofac_sdn", "eu_fsf", "gb_hmt")
"""Official list names the shared FtM compilation gives its records, accepted explicitly (the
release guard refuses official names that a file claims on its own word)."""
WORK = REPO / "benchmarks" / ".work"
SOURCES = ["ofac-sdn/2019-01-15", "ofac-sdn/2021-07-07", "ofac-cons/2025-12-19",
           "ftm/eu-uk-us-2022-05-05.ftm.json", "un/2026-02-27/consolidated.xml"]
TARGETS = {"errors": 0, "closed_rps": 800.0, "p50_ms": 5.0, "p99_ms": 25.0, "rss_mb": 1024.0}
YENTE_RPS_PER_VCPU = (4.0, 30.0)
YENTE_P95_MS_AT_8 = 1000.0
OTHER_LOAD: dict[str, float] = {}
"""CPU used by processes other than the server and the load generator during the phases."""
NO_LIST_NAMES = ["Maria Gonzalez Fernandez", "Jonathan Whitfield", "Li Wei Zhang", "Acme Widgets Ltd",
                 "Sunrise Bakery GmbH", "Olga Petrova Ivanovna", "Green Valley Farms LLC", "Kofi Mensah"]


# -- data and server ---------------------------------------------------------------------------

def build_store(path: Path) -> list[str]:
    """Ingest every shared list into ``path`` (idempotent: re-runs skip known snapshots)."""
    from sanctions_ledger.store import Ledger, ingest

    lines = []
    with Ledger.open(path) as ledger:
        for rel in SOURCES:
            src = DATA / rel
            if not src.exists():
                lines.append(f"{rel}: missing, skipped")
                continue
            try:
                rep = ingest(ledger, src, allow_lists=FTM_LISTS)
            except Exception as exc:  # noqa: BLE001 - a parser this build lacks is reported
                lines.append(f"{rel}: not ingested ({exc})")
                continue
            lines.append(f"{rel}: {rep.kind}, {sum(rep.datasets.values())} parties"
                         + (" (already in the store)" if rep.skipped else ""))
    return lines


def sample_names(path: Path, n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """(query names, entity ids) drawn from the store's parties, perturbed."""
    from sanctions_ledger.store import Ledger
    from sanctions_ledger.store.reads import sample_names as stored_names

    with Ledger.open(path, read_only=True) as ledger:
        rows = stored_names(ledger, ("Person", "Organization", "Company", "LegalEntity", "Vessel"),
                            20000)
    rng = random.Random(seed)
    picked = rng.sample(rows, min(n, len(rows)))
    names = []
    for _eid, name in picked:
        toks = name.replace(",", " ").split()
        roll = rng.random()
        if roll < 0.25 and len(toks) > 1:
            rng.shuffle(toks)
        elif roll < 0.45 and len(toks) > 2:
            toks.pop(rng.randrange(len(toks)))
        elif roll < 0.6 and toks:
            i = rng.randrange(len(toks))
            t = toks[i]
            if len(t) > 4:
                j = rng.randrange(1, len(t) - 1)
                toks[i] = t[:j] + t[j + 1:]
        text = " ".join(toks)
        names.append(text.lower() if rng.random() < 0.3 else text)
    names += NO_LIST_NAMES * max(1, n // 50)
    rng.shuffle(names)
    return names, [eid for eid, _ in picked]


def start_server(store: Path, port: int, log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    code = "from sanctions_ledger.cli import main; main()"
    cmd = [sys.executable, "-c", code, "serve", "--store", str(store), "--port", str(port),
           "--workers", str(workers)]
    env = dict(os.environ, SANCTIONS_LEDGER_ADMIN_TOKEN="")
    return subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> float:
    """Until /readyz answers 200 on 20 fresh connections in a row (with several worker
    processes, each connection may land on a different one)."""
    start = time.monotonic()
    streak = 0
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            ok = httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ok = False
        streak = streak + 1 if ok else 0
        if streak >= 20:
            return time.monotonic() - start
        time.sleep(0.05 if ok else 0.25)
    raise RuntimeError("server not ready in time")


def rss_mb(pid: int) -> float:
    """Resident memory of the server and all its processes, summed (pages shared between
    processes, such as the libraries' code, count once per process)."""
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


PSS: dict[str, float] = {}


def pss_mb(pid: int) -> float:
    """Proportional set size, summed: shared pages split between the processes sharing them."""
    proc = psutil.Process(pid)
    return sum(p.memory_full_info().pss for p in [proc, *proc.children(recursive=True)]) / 2**20


def memory(pid: int, phase: str, rss: dict[str, float]) -> None:
    rss[phase] = rss_mb(pid)
    PSS[phase] = pss_mb(pid)
    print(f"  server memory after {phase}: RSS {rss[phase]:,.0f} MB, PSS {PSS[phase]:,.0f} MB", flush=True)


# -- a minimal keep-alive HTTP/1.1 client --------------------------------------------------------

class Conn:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.headers: dict[bytes, bytes] = {}
        """The last response's headers, names in lower case."""

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionError("connection closed")
        self.headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            self.headers[name.strip().lower()] = value.strip()
        data = await self.reader.readexactly(int(self.headers.get(b"content-length", b"0")))
        if self.headers.get(b"connection") == b"close":  # e.g. a 503 when shedding load
            self.close()
            self.writer = None
        return int(status_line.split()[1]), data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    requests: int = 0
    elapsed: float = 0.0

    def add(self, kind: str, seconds: float, ok: bool, note: str = "") -> None:
        self.requests += 1
        if ok:
            self.latencies.setdefault(kind, []).append(seconds)
        else:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(note)

    def all(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


Request = Callable[[Conn], Awaitable[tuple[str, int, bytes]]]


class Workload:
    def __init__(self, names: list[str], ids: list[str], seed: int = 11) -> None:
        self.names, self.ids = names, ids
        self.rng = random.Random(seed)

    def match_body(self) -> bytes:
        name = self.rng.choice(self.names)
        return orjson.dumps({"queries": {"q": {"schema": "Thing" if self.rng.random() < 0.5 else "Person",
                                               "properties": {"name": [name]}}}})

    async def match(self, conn: Conn) -> tuple[str, int, bytes]:
        status, data = await conn.request("POST", "/match/default", self.match_body())
        return "match", status, data

    async def search(self, conn: Conn) -> tuple[str, int, bytes]:
        q = httpx.QueryParams({"q": self.rng.choice(self.names), "limit": 10})
        status, data = await conn.request("GET", f"/search?{q}")
        return "search", status, data

    async def entity(self, conn: Conn) -> tuple[str, int, bytes]:
        status, data = await conn.request("GET", f"/entities/{self.rng.choice(self.ids)}")
        return "entity", status, data

    async def mixed(self, conn: Conn) -> tuple[str, int, bytes]:
        roll = self.rng.random()
        if roll < 0.6:
            return await self.match(conn)
        if roll < 0.85:
            return await self.search(conn)
        return await self.entity(conn)


async def _one(conn: Conn, make: Request, stats: Stats, started: float) -> None:
    try:
        kind, status, data = await make(conn)
        ok = status == 200 or (kind == "entity" and status == 404)
        stats.add(kind, time.perf_counter() - started, ok, f"{kind} {status} {data[:120]!r}")
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
        conn.close()
        conn.writer = None
        stats.add("error", time.perf_counter() - started, False, repr(exc))


async def closed_loop(host: str, port: int, clients: int, seconds: float, make: Request) -> Stats:
    stats = Stats()
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        conn = Conn(host, port)
        while time.perf_counter() < deadline:
            await _one(conn, make, stats, time.perf_counter())
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    stats.elapsed = time.perf_counter() - start
    return stats


async def open_loop(host: str, port: int, rate: float, seconds: float, make: Request,
                    max_conns: int = 256) -> Stats:
    """Requests start on a fixed schedule; a request waiting for a free connection is late and
    its latency counts from when it should have started."""
    stats = Stats()
    idle: asyncio.Queue[Conn] = asyncio.Queue()
    for _ in range(max_conns):
        idle.put_nowait(Conn(host, port))
    total = int(rate * seconds)
    start = time.perf_counter()
    tasks = []

    async def fire(scheduled: float) -> None:
        conn = await idle.get()
        try:
            await _one(conn, make, stats, scheduled)
        finally:
            idle.put_nowait(conn)

    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(fire(scheduled)))
    await asyncio.gather(*tasks)
    stats.elapsed = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait().close()
    return stats


# -- report ------------------------------------------------------------------------------------

def _pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def report(args: argparse.Namespace, loaded: list[str], ready_s: float, closed: Stats, opened: Stats,
           mixed: Stats, rss: dict[str, float], names: int) -> str:
    cores = os.cpu_count() or 1
    closed_rps = closed.requests / closed.elapsed
    mixed_rps = mixed.requests / mixed.elapsed
    lat = opened.all()
    p50, p95, p99 = pct(lat, 50), pct(lat, 95), pct(lat, 99)
    achieved = opened.requests / opened.elapsed
    errors = closed.errors + opened.errors + mixed.errors
    peak = max(rss.values())
    per_vcpu = closed_rps / cores
    lo, hi = YENTE_RPS_PER_VCPU
    rows = [
        ("errors (all phases)", f"{errors} of {closed.requests + opened.requests + mixed.requests}", "0",
         _ok(errors == 0), "—"),
        (f"closed loop, {args.clients} clients, /match: throughput", f"{closed_rps:,.0f} req/s",
         "≥ 800 req/s", _ok(closed_rps >= TARGETS["closed_rps"]),
         f"{per_vcpu:,.0f} req/s per vCPU = {per_vcpu / hi:,.0f}–{per_vcpu / lo:,.0f}× yente's 4–30"),
        ("closed loop: p50 / p99 latency", f"{pct(closed.all(), 50):.1f} / {pct(closed.all(), 99):.1f} ms",
         "—", "—", "—"),
        (f"open loop {args.rate:.0f} req/s (achieved {achieved:,.0f}): p50", f"{p50:.2f} ms", "≤ 5 ms",
         _ok(p50 <= TARGETS["p50_ms"]), "—"),
        ("open loop: p95", f"{p95:.2f} ms", "—", "—",
         f"yente p95 ~1 s at 8 clients: {YENTE_P95_MS_AT_8 / p95:,.0f}× lower"),
        ("open loop: p99", f"{p99:.2f} ms", "≤ 25 ms", _ok(p99 <= TARGETS["p99_ms"]), "—"),
        (f"mixed (60 % match, 25 % search, 15 % entity), {args.mixed_clients} clients",
         f"{mixed_rps:,.0f} req/s", "—", "—", "—"),
        *[(f"mixed: {kind} p50 / p99", f"{pct(v, 50):.1f} / {pct(v, 99):.1f} ms", "—", "—", "—")
          for kind, v in sorted(mixed.latencies.items())],
        ("server RSS (peak after a phase; all server processes summed)", f"{peak:,.0f} MB", "≤ 1 GB",
         _ok(peak <= TARGETS["rss_mb"]), "—"),
        ("server PSS (peak after a phase; shared pages split between processes)",
         f"{max(PSS.values()):,.0f} MB" if PSS else "—", "—", "—", "—"),
    ]
    table = ["| measure | measured | target | met | vs yente (for scale) |", "|---|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    samples = [s for st in (closed, opened, mixed) for s in st.error_samples][:5]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# `sanctions serve` under load",
        "",
        f"Run {when} with `python benchmarks/serve_load.py{' --quick' if args.quick else ''}"
        f"{f' --workers {args.workers}' if args.workers > 1 else ''}` "
        f"({args.seconds:.0f} s closed loop, {args.seconds:.0f} s open loop, {args.mixed_seconds:.0f} s mixed).",
        "",
        *table,
        "",
        "## Set-up",
        "",
        f"- Machine: {cores} vCPU ({platform.processor() or platform.machine()}), "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB; **server and load generator share these cores**; "
        f"other processes used {OTHER_LOAD.get('cores', float('nan')):.2f} cores on average during the "
        "phases (0 on a quiet machine).",
        f"- Python {platform.python_version()}; uvicorn {_pkg('uvicorn')}, uvloop {_pkg('uvloop')}, "
        f"httptools {_pkg('httptools')} (uvicorn picks uvloop/httptools when installed), "
        f"fastapi {_pkg('fastapi')}, orjson {_pkg('orjson')}; {args.workers} server process(es).",
        f"- Server: `sanctions serve --store benchmarks/.work/serve.duckdb --workers {args.workers}` (index and party records "
        f"loaded before `/readyz` turned 200, {ready_s:.1f} s after start).",
        "- Lists loaded: " + "; ".join(loaded) + ".",
        f"- Queries: {names} names drawn (seeded) from listed parties and perturbed (token order, a "
        "dropped token, a deleted letter, lower case), plus names on no list; schema Person or Thing; "
        "`limit` 5. Load generator: asyncio with raw HTTP/1.1 keep-alive connections, loopback only.",
        "- Open loop: latency counts from each request's scheduled start (no coordinated omission).",
        "- yente figures (4–30 req/s per vCPU; p95 about 1 s at 8 concurrent clients) are the ones "
        "reported in yente's issue tracker, on Elasticsearch-backed deployments; they are for scale, "
        "not a like-for-like comparison.",
    ]
    if samples:
        lines += ["", "Error samples:", "", *[f"- `{s}`" for s in samples]]
    return "\n".join(lines) + "\n"


def busy_seconds(pid: int) -> tuple[float, float]:
    """(CPU seconds of the whole machine, of the server and this load generator)."""
    total = psutil.cpu_times()
    machine = total.user + total.nice + total.system + total.irq + total.softirq
    ours = 0.0
    server = psutil.Process(pid)
    for proc in (server, *server.children(recursive=True), psutil.Process()):
        t = proc.cpu_times()
        ours += t.user + t.system
    return machine, ours


async def run_phases(args: argparse.Namespace, host: str, port: int, work: Workload, pid: int) -> tuple[
        Stats, Stats, Stats, dict[str, float]]:
    await closed_loop(host, port, args.clients, min(5.0, args.seconds / 2), work.match)  # warm-up
    rss: dict[str, float] = {}
    memory(pid, "warm", rss)
    machine0, ours0 = busy_seconds(pid)
    wall0 = time.monotonic()
    print(f"closed loop {args.seconds:.0f} s ...", flush=True)
    closed = await closed_loop(host, port, args.clients, args.seconds, work.match)
    memory(pid, "closed", rss)
    print(f"  {closed.requests / closed.elapsed:,.0f} req/s, {closed.errors} errors", flush=True)
    print(f"open loop {args.rate:.0f} req/s ...", flush=True)
    opened = await open_loop(host, port, args.rate, args.seconds, work.match)
    memory(pid, "open", rss)
    print(f"  p50 {pct(opened.all(), 50):.2f} ms p99 {pct(opened.all(), 99):.2f} ms", flush=True)
    print(f"mixed {args.mixed_seconds:.0f} s ...", flush=True)
    mixed = await closed_loop(host, port, args.mixed_clients, args.mixed_seconds, work.mixed)
    memory(pid, "mixed", rss)
    print(f"  {mixed.requests / mixed.elapsed:,.0f} req/s", flush=True)
    machine1, ours1 = busy_seconds(pid)
    OTHER_LOAD["cores"] = max(0.0, (machine1 - machine0) - (ours1 - ours0)) / (time.monotonic() - wall0)
    return closed, opened, mixed, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 s phases")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--mixed-seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--mixed-clients", type=int, default=16)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--names", type=int, default=3000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="sanctions serve --workers")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "serve.md")
    args = parser.parse_args()
    if args.quick:
        args.seconds = args.mixed_seconds = 10.0
    args.seconds, args.mixed_seconds = min(args.seconds, 120.0), min(args.mixed_seconds, 120.0)
    WORK.mkdir(parents=True, exist_ok=True)
    store = WORK / "serve.duckdb"
    print("building the store ...", flush=True)
    loaded = build_store(store)
    names, ids = sample_names(store, args.names)
    port = args.port or _free_port()
    host = "127.0.0.1"
    proc = start_server(store, port, WORK / "serve.log", args.workers)
    try:
        ready = wait_ready(f"http://{host}:{port}", proc)
        print(f"server ready in {ready:.1f} s (pid {proc.pid})", flush=True)
        work = Workload(names, ids)
        closed, opened, mixed, rss = asyncio.run(run_phases(args, host, port, work, proc.pid))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    text = report(args, loaded, ready, closed, opened, mixed, rss, len(names))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


if __name__ == "__main__":
    main()
