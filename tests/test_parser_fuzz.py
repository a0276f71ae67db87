"""Fuzzing every registered parser on mutated / truncated bytes of a small valid sample.

Whatever the bytes, a parser may only succeed or raise SourceError (the API maps it to 422);
any other exception type is a bug. Bounded: ~100 examples per parser, well under a minute.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, detect, parsers

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parents[1].parent / "shared" / "data"


def _un_sample() -> bytes:
    raw = (DATA / "un" / "2026-02-27" / "consolidated.xml").read_bytes()
    cut = 0
    for _ in range(3):
        cut = raw.index(b"</INDIVIDUAL>", cut) + len(b"</INDIVIDUAL>")
    start = raw.index(b"<ENTITY>")
    entity = raw[start: raw.index(b"</ENTITY>", start) + len(b"</ENTITY>")]
    return raw[:cut] + b"</INDIVIDUALS><ENTITIES>" + entity + b"</ENTITIES></CONSOLIDATED_LIST>"


def _head_lines(path: Path, count: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:count])


# kind -> (file name to write, how to build the sample bytes, extra files for file sets)
SAMPLES: dict[str, tuple[str, object]] = {
    "un_sc": ("consolidated.xml", _un_sample),
    "ofac_xml": ("SDN.XML", lambda: (FIXTURES / "ofac_sdn_sample.xml").read_bytes()),
    "ofac_enhanced": ("SDN_ENHANCED.XML", lambda: (FIXTURES / "ofac_sdn_enhanced_sample.xml").read_bytes()),
    "ofac_delta": ("delta.xml", lambda: (FIXTURES / "ofac_delta_sample.xml").read_bytes()),
    "eu_fsf": ("eu.xml", lambda: (FIXTURES / "eu_fsf_sample.xml").read_bytes()),
    "uk_fcdo": ("UK-Sanctions-List.xml", lambda: (FIXTURES / "uk_fcdo_sample.xml").read_bytes()),
    "uk_ofsi": ("ConList.csv", lambda: (FIXTURES / "uk_ofsi_conlist_sample.csv").read_bytes()),
    "uk_ofsi_xml": ("ConList.xml", lambda: (FIXTURES / "uk_ofsi_conlist_sample.xml").read_bytes()),
    "us_csl": ("consolidated.csv", lambda: _head_lines(DATA / "us-csl" / "2025-06-25" / "consolidated.csv", 6)),
    "ftm": ("entities.ftm.json", lambda: _head_lines(DATA / "ftm" / "eu-uk-us-2022-05-05.ftm.json", 6)),
    # OFAC's CRLF files end with Ctrl-Z; a head without it is a cut file (refused).
    "ofac_csv": ("sdn.csv", lambda: _head_lines(DATA / "ofac-sdn" / "2021-07-07" / "sdn.csv", 8) + b"\x1a"),
    # A partial OFAC set (add/alt without sdn.csv): the alias file, with an address file beside it.
    "ofac_partial": ("alt.csv", lambda: _head_lines(DATA / "ofac-sdn-partial" / "2025-12-24" / "alt.csv", 8) + b"\x1a"),
    "us_bis_dpl": ("dpl.txt", lambda: _head_lines(DATA / "us-bis-dpl" / "2022-09-07" / "dpl.txt", 8)),
}
EXTRA_SAMPLES = {
    # Same parser, second input form.
    "uk_fcdo_csv": ("uk_fcdo", "UK-Sanctions-List.csv", lambda: (FIXTURES / "uk_fcdo_sample.csv").read_bytes()),
}

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared data not available")


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """Truncations, byte flips, insertions, deletions and duplications of ``data``."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        if not out:
            break
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate", "junk"]))
        pos = draw(st.integers(0, len(out) - 1))
        if op == "truncate":
            del out[pos:]
        elif op == "flip":
            out[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[pos: pos + draw(st.integers(1, 64))]
        elif op == "duplicate":
            end = min(len(out), pos + draw(st.integers(1, 200)))
            out[pos:pos] = out[pos:end]
        else:
            out[pos:pos] = draw(st.sampled_from([
                b"<", b"&", b"&amp", b"]]>", b"\x00", b"\xff\xfe", b'"', b",", b"\r\n", b"\xe2\x80",
                b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<x>", b"</x>", b"{", b"]",
            ]))
    return bytes(out)


def _check(kind: str, name: str, data: bytes, extra: dict[str, bytes]) -> None:
    parser = parsers()[kind]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        for other, content in extra.items():
            (Path(tmp) / other).write_bytes(content)
        try:
            detect(path)
        except SourceError:
            pass
        try:
            for _record in parser.parse(path, ParseMeta()):
                pass
        except SourceError:
            pass


def _ofac_extras() -> dict[str, bytes]:
    folder = DATA / "ofac-sdn" / "2021-07-07"
    return {n: _head_lines(folder / n, 8) + b"\x1a" for n in ("add.csv", "alt.csv", "sdn_comments.csv")}


def _partial_extras() -> dict[str, bytes]:
    return {"add.csv": _head_lines(DATA / "ofac-sdn-partial" / "2025-12-24" / "add.csv", 8) + b"\x1a"}


CASES = [(kind, kind, name, build) for kind, (name, build) in SAMPLES.items()]
CASES += [(case, kind, name, build) for case, (kind, name, build) in EXTRA_SAMPLES.items()]


def test_every_parser_has_a_sample() -> None:
    assert set(parsers()) <= set(SAMPLES)


@pytest.mark.parametrize(("case", "kind", "name", "build"), CASES, ids=[c[0] for c in CASES])
def test_fuzz_parser(case: str, kind: str, name: str, build: object) -> None:
    if kind not in parsers():
        pytest.skip(f"{kind} not registered")
    sample = build()  # type: ignore[operator]
    extra = _ofac_extras() if kind == "ofac_csv" else _partial_extras() if kind == "ofac_partial" else {}
    # The unmutated sample must parse: otherwise the fuzzing would test nothing.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(sample)
        for other, content in extra.items():
            (Path(tmp) / other).write_bytes(content)
        assert list(parsers()[kind].parse(path, ParseMeta()))

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mutations(sample))
    def run(data: bytes) -> None:
        _check(kind, name, data, extra)

    run()


def test_fuzz_ofac_csv_folder_members() -> None:
    """Mutating a member file of a set (ALT.CSV) must also only give SourceError.

    The unmutated set must parse, and some mutated sets too (about a quarter do): a parser
    that rejected every set would otherwise pass."""
    folder = DATA / "ofac-sdn" / "2021-07-07"
    alt = _head_lines(folder / "alt.csv", 20) + b"\x1a"

    def parse_with(alt_bytes: bytes) -> int:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "sdn.csv").write_bytes(_head_lines(folder / "sdn.csv", 30) + b"\x1a")
            for name in ("add.csv", "sdn_comments.csv"):
                shutil.copy(folder / name, Path(tmp) / name)
            (Path(tmp) / "alt.csv").write_bytes(alt_bytes)
            return len(list(parsers()["ofac_csv"].parse(Path(tmp), ParseMeta())))

    assert parse_with(alt) > 0
    parsed = []

    @settings(max_examples=40, deadline=None, database=None)
    @given(data=mutations(alt))
    def run(data: bytes) -> None:
        try:
            parsed.append(parse_with(data))
        except SourceError:
            pass

    run()
    assert parsed, "every mutated ALT.CSV was rejected: the fuzzing exercised only the error path"
