#!/usr/bin/env bash
# The course's test command: install the project (with its dev tools) into .venv if needed, then run
# every check of tools/test.py. Ends with the line `N passed, N failed`.
# Set NNNOTES_DATA to a local copy of the data pack (e.g. ../shared/data) to run offline.
set -euo pipefail
# data and cache folders may be given relative to where the command is run: make them absolute first
for var in NNNOTES_DATA NNNOTES_CACHE; do
  if [ -n "${!var:-}" ]; then
    IFS=: read -ra folders <<< "${!var}"
    absolute=(); for folder in "${folders[@]}"; do absolute+=("$(realpath -m "$folder")"); done
    export "$var=$(IFS=:; echo "${absolute[*]}")"
  fi
done
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -qq --upgrade pip
echo "installing nnnotes and its dev tools into .venv"
.venv/bin/python -m pip install -qq -e ".[dev]"
export MPLBACKEND=Agg NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$HOME/.cache/nnnotes/numba}"
exec .venv/bin/python tools/test.py "$@"
