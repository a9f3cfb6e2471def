#!/usr/bin/env bash
# The whole test suite: lint, then every test (unit, properties, golden, CLI, and a real
# LibreOffice conversion, installed here when missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_libreoffice
ensure_chromium

ruff check .
# One worker per core (at most four), each test file on one worker, so that its module
# fixtures (a LibreOffice, the rendered samples) are made once: one process running the tests
# one by one keeps a single core busy, and the suite takes twice as long on two.
pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile "$@"
