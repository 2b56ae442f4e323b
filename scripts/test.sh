#!/usr/bin/env bash
# Sets up a fresh clone (system packages, .venv, dev tools) and runs lint, type check and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check gitvoice tests benchmarks
echo "== mypy" && mypy
echo "== pytest" && python -m pytest "$@"
