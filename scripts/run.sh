#!/usr/bin/env bash
# Installs Sanctions Ledger into .venv and serves the ledger on its embedded DuckDB store.
# Loads the list files under $SANCTIONS_DATA (default ../shared/data) on first start; pass
# --update instead to fetch the official lists, or any other `sanctions serve` options.
set -euo pipefail
cd "$(dirname "$0")/.."
has_headers() {
  python3 -c 'import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}
if ! dpkg -s libicu-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1 \
    || ! command -v g++ >/dev/null 2>&1 || ! has_headers; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  pkgs=(libicu-dev pkg-config g++)
  has_headers || pkgs+=(python3-dev)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e .
DATA="${SANCTIONS_DATA:-../shared/data}"
if [ "$#" -eq 0 ] && [ -d "$DATA" ]; then
  # The sample FtM file (a 2022 compilation) names the official EU, UK and OFAC lists: accept it.
  # Then the shipped Belarus events and licences (GL 13 ...), which name records of those lists.
  set -- --from "$DATA" --as-list us_ofac_sdn --as-list eu_fsf --as-list gb_hmt --builtin belarus
fi
exec .venv/bin/sanctions serve "$@"
