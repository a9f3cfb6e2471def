#!/usr/bin/env bash
# The whole test suite: lint, then every test (unit, properties, golden, CLI).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ruff check .
pytest "$@"
