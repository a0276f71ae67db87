"""The matcher's hot modules are compiled with mypyc at install (setup.py); these tests
keep the compiled and the pure-Python builds the same program."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import sanctions_ledger.match.names as names
from sanctions_ledger.match.normalise import analyse
from sanctions_ledger.match.score import IndexedParty

MATCH = Path(names.__file__).parent


def test_compiled_modules_are_fresh() -> None:
    """A compiled module older than its source runs stale code: reinstall (pip install -e .)."""
    for lib in MATCH.glob("*.so"):
        stem = lib.name.split(".")[0]
        source = MATCH / (stem + (".pyx" if stem == "_kernels" else ".py"))
        assert source.exists(), lib
        assert lib.stat().st_mtime >= source.stat().st_mtime, f"{lib.name} is older than {source.name}"


@pytest.mark.skipif(bool(os.environ.get("SANCTIONS_LEDGER_PURE")), reason="pure build asked for")
def test_matcher_is_compiled() -> None:
    """The test command installs a C compiler: the install must not have fallen back."""
    assert names.__file__.endswith(".so"), names.__file__


def test_index_records_pickle_alike_compiled_or_not() -> None:
    """NameForm and IndexedParty pickle as constructor calls, so an index cache written by one
    build loads in the other; the pure interpreter reads what this one wrote."""
    form = analyse("LUKASHENKA, Alyaksandr Ryhoravich", False)
    party = IndexedParty("us-sdn-9760", "us_ofac_sdn", "Person", "LUKASHENKA, Alyaksandr",
                  ("1954-08-30",), ("by",), ())
    blob = pickle.dumps((form, party))
    assert pickle.loads(blob) == (form, party)
    code = (
        "import pickle, sys\n"
        "form, party = pickle.loads(sys.stdin.buffer.read())\n"
        "import sanctions_ledger.match.names as n\n"
        "print(n.__file__.endswith('.py'), form.tokens, party.birth_dates)\n"
    )
    # The pure build: the match package's modules from their sources, not the .so files
    # (the Cython loops, which have no Python source, replaced by their numpy versions).
    hide = (
        "import importlib.abc, importlib.util, pathlib, sys\n"
        "class Sources(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.startswith('sanctions_ledger.match.') and path:\n"
        "            src = pathlib.Path(path[0]) / (name.rsplit('.', 1)[1] + '.py')\n"
        "            return importlib.util.spec_from_file_location(name, src)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Sources())\n"
    )
    out = subprocess.run([sys.executable, "-c", hide + code], input=blob,
                         capture_output=True, check=True,
                         env={**os.environ, "SANCTIONS_LEDGER_PURE": "1"})
    assert out.stdout.decode().split()[0] == "True"
    assert "lukashenka" in out.stdout.decode() and "1954-08-30" in out.stdout.decode()
