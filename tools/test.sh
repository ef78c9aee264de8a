#!/usr/bin/env bash
# The course's test command: install the project (with its dev tools) into .venv if needed, then run
# every check of tools/test.py. Ends with the line `N passed, N failed`.
# Set NNNOTES_DATA to a local copy of the data pack (e.g. ../shared/data) to run offline; relative
# folders are taken from where the command is typed (tools/test.py makes them absolute).
#
#   tools/test.sh [NOTEBOOK...] [--no-docs] [-j N]   the test suite (tools/test.py)
#   tools/test.sh --colab [LESSON...]                every lesson in quick mode on Colab's versions (tools/colab.py)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--colab" ]; then
  shift
  exec python3 "$root/tools/colab.py" "$@"
fi
python=${PYTHON:-python3}
if [ ! -x "$root/.venv/bin/python" ]; then
  echo "creating .venv with $($python --version)"
  "$python" -m venv "$root/.venv"
fi
"$root/.venv/bin/python" -m pip install -qq --upgrade pip
echo "installing nnnotes and its dev tools into .venv"
(cd "$root" && .venv/bin/python -m pip install -qq -e ".[dev]")
# numba's compile cache (librosa) lives in the course cache: kept between local runs, fresh when NNNOTES_CACHE is
# (as in CI), so a cache compiled on another machine or CPU can never be loaded (a stale one crashed lesson 8)
export MPLBACKEND=Agg NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-${NNNOTES_CACHE:-$HOME/.cache/nnnotes}/numba}"
# compile librosa's numba code into that cache now, as part of installing (about 20-30 s the first time, 4 s after),
# so that lessons 8 and 20 are timed without it (a student's Colab runtime pays it once, on its first librosa call)
"$root/.venv/bin/python" "$root/tools/warm_librosa.py"
exec "$root/.venv/bin/python" "$root/tools/test.py" "$@"
