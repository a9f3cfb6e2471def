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

ensure_chromium() {
  # The web form's browser tests drive Debian's headless Chromium (never a downloaded one).
  if [ ! -x /usr/bin/chromium ]; then
    echo "setup: Chromium is missing; installing Debian's chromium for the browser tests" >&2
    apt_install chromium
  fi
}

DSFR_VERSION="1.15.3"
DSFR_DIR="$ROOT/clausegen/service/web/static/dsfr"

DSFR_TARBALL="https://registry.npmjs.org/@gouvfr/dsfr/-/dsfr-$DSFR_VERSION.tgz"
DSFR_SHA512="R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ=="

ensure_dsfr() {
  # The État's design system (DSFR) styles the web form: its CSS, fonts and icons, taken
  # from the npm registry's tarball of @gouvfr/dsfr (checked against the registry's sha512;
  # npm itself is not needed) into the package's static files. If the registry cannot be
  # reached, the form keeps its own CSS.
  if [ -f "$DSFR_DIR/.version-$DSFR_VERSION" ]; then return; fi
  echo "setup: installing the DSFR $DSFR_VERSION (@gouvfr/dsfr) for the web form" >&2
  local work
  work="$(mktemp -d)"
  if ! "$VENV/bin/python" - "$DSFR_TARBALL" "$DSFR_SHA512" "$work/dsfr.tgz" <<'PY'
import base64, hashlib, sys, urllib.request
url, expected, target = sys.argv[1:]
data = urllib.request.urlopen(url, timeout=120).read()
if base64.b64encode(hashlib.sha512(data).digest()).decode() != expected:
    sys.exit("the DSFR tarball does not match the registry's sha512")
open(target, "wb").write(data)
PY
  then
    echo "setup: the DSFR could not be fetched; the web form will use its own CSS" >&2
    rm -rf "$work"
    return
  fi
  tar xzf "$work/dsfr.tgz" -C "$work" package/dist/dsfr.min.css package/dist/fonts package/dist/icons
  rm -rf "$DSFR_DIR"
  mkdir -p "$DSFR_DIR"
  cp -r "$work/package/dist/dsfr.min.css" "$work/package/dist/fonts" "$work/package/dist/icons" "$DSFR_DIR/"
  touch "$DSFR_DIR/.version-$DSFR_VERSION"
  rm -rf "$work"
}

# clausegen's modules compiled to bytecode, as a wheel installs them: every command the
# samples and the tests run then starts from the compiled modules, even where
# PYTHONDONTWRITEBYTECODE keeps Python from writing them itself (only what changed is
# compiled again).
compile_clausegen() {
  "$VENV/bin/python" -m compileall -q "$ROOT/clausegen" >/dev/null
}

ensure_venv
ensure_dsfr
compile_clausegen
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
