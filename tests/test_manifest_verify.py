"""A list file is checked against the ``SHA256SUMS`` beside it (issue #20, item 6: verify
against published checksums where they exist). The shared data's folders each carry one; a
copied folder with one altered file is refused before parsing, and the ledger is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import read_snapshot
from sanctions_ledger.sources.manifest import parse_manifest, verify_beside
from sanctions_ledger.store import Ledger, ingest

from .conftest import DATA, SDN_2019

CSL_2025 = DATA / "us-csl" / "2025-06-25"


def test_every_shared_file_matches_its_manifest() -> None:
    """Each shared file named by its folder's SHA256SUMS hashes to the listed value (these
    are the files every other test ingests, so they are all verified on read)."""
    verified = 0
    for manifest in sorted(DATA.glob("*/*/SHA256SUMS")):
        sums = parse_manifest(manifest.read_text(encoding="utf-8"), str(manifest))
        verified += verify_beside([(manifest.parent / name, _sha(manifest.parent / name)) for name in sums])
    assert verified >= 20


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_altered_copy_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "csl"
    shutil.copytree(CSL_2025, folder)
    ledger = Ledger.open(tmp_path / "l.duckdb")
    try:
        assert read_snapshot(folder / "consolidated.csv").kind  # intact copy: accepted
        data = bytearray((folder / "consolidated.csv").read_bytes())
        data[len(data) // 2] ^= 0x01  # one flipped bit, still valid UTF-8 CSV
        (folder / "consolidated.csv").write_bytes(bytes(data))
        with pytest.raises(SourceError) as err:
            ingest(ledger, folder / "consolidated.csv")
        assert "does not match the SHA256SUMS beside it (dc1c71ee8e97f9ea" in err.value.detail
        assert str(folder / "consolidated.csv") in str(err.value)
        assert ledger.query("SELECT count(*) FROM snapshots")[0][0] == 0
    finally:
        ledger.close()


def test_file_set_member_is_checked_and_unlisted_files_pass(tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    shutil.copytree(SDN_2019, folder)
    with (folder / "alt.csv").open("ab") as fh:
        fh.write(b'99999,99999,"aka","EVIL, Added",-0- \r\n')
    with pytest.raises(SourceError, match="does not match the SHA256SUMS"):
        read_snapshot(folder)
    # A manifest that does not name a file says nothing about it.
    lines = [x for x in (folder / "SHA256SUMS").read_text().splitlines() if not x.endswith("alt.csv")]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    assert read_snapshot(folder).kind == "ofac_csv"


def test_damaged_manifest_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "csl"
    shutil.copytree(CSL_2025, folder)
    (folder / "SHA256SUMS").write_text("# comment\nnot a checksum\n")
    with pytest.raises(SourceError, match="line 2 is not") as err:
        read_snapshot(folder / "consolidated.csv")
    assert str(folder / "SHA256SUMS") in str(err.value)
