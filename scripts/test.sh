#!/usr/bin/env bash
# Installs everything the tests need from this repo's own files, then runs the suite.
# Debian packages: ICU headers for PyICU, a C compiler and Python headers (PyICU, the
# compiled matcher), Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
dpkg -s libicu-dev >/dev/null 2>&1 || need+=(libicu-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
# Python headers: the matcher's hot modules are compiled with mypyc at install.
python3 -c 'import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || need+=(python3-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
# yente (tests/test_export_yente.py parses our /exports/ with yente's own code): 5.5.0 pins
# followthemoney 4.9.2, fastapi 0.136.3, click<8.5, rigour 2.1.2 ... against our newer pins, and
# pulls Elasticsearch/OpenSearch clients it needs only to index. Its dataset, catalog, delta and
# entity modules run on our versions; they import only what the test extra pins besides ours.
.venv/bin/pip install -q --no-deps yente==5.5.0

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
exec .venv/bin/pytest -q "$@"
