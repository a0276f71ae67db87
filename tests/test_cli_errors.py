"""A bad setting in the environment is a one-line error naming the variable, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SANCTIONS = Path(sys.executable).with_name("sanctions")


def test_a_bad_staleness_setting_names_the_variable(tmp_path: Path) -> None:
    env = dict(os.environ, SANCTIONS_LEDGER_STALE_AFTER="us_ofac_sdn=weekly",
               SANCTIONS_LEDGER_STORE=str(tmp_path / "l.duckdb"))
    out = subprocess.run([str(SANCTIONS), "sources"], capture_output=True, text=True, env=env)
    assert out.returncode == 2
    assert "SANCTIONS_LEDGER_STALE_AFTER: 'us_ofac_sdn=weekly' is not LIST=DAYS" in out.stderr
    assert "Traceback" not in out.stderr
