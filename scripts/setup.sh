#!/usr/bin/env bash
# Sourced by the other scripts: makes .venv and installs clausegen with its test tools.
# Idempotent: reinstalls only when pyproject.toml changes. Works on a bare Debian with
# Python 3.11, installing python3-venv through apt-get when the venv module is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
      echo "setup: the Python venv module is missing; installing python3-venv" >&2
      rm -rf "$VENV"
      apt_install python3-venv
      "$PYTHON" -m venv "$VENV"
    fi
  fi
  local stamp
  stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "setup: installing clausegen and its test tools into .venv" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[test]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

ensure_libreoffice() {
  # Headless LibreOffice converts DOCX to PDF; the test suite runs a real conversion.
  if ! command -v soffice >/dev/null 2>&1; then
    echo "setup: LibreOffice is missing; installing libreoffice-writer-nogui (a few minutes)" >&2
    apt_install libreoffice-writer-nogui fonts-liberation2
  fi
  # The PDF pool drives LibreOffice through its Python bindings, for Debian's python3.
  if ! /usr/bin/python3 -c "import uno" >/dev/null 2>&1; then
    echo "setup: LibreOffice's Python bindings are missing; installing python3-uno" >&2
    apt_install python3-uno
  fi
}

ensure_venv
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
