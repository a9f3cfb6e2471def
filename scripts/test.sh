#!/usr/bin/env bash
# The whole test suite: lint, then every test (unit, properties, golden, CLI, and a real
# LibreOffice conversion, installed here when missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_libreoffice
ensure_chromium

ruff check .
pytest "$@"
