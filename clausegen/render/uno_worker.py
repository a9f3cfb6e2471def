"""One warm LibreOffice, fed DOCX files one at a time: the pool's worker process.

Run by the Python that has LibreOffice's UNO bindings (Debian's ``python3-uno``, for
``/usr/bin/python3``), not by clausegen's own Python: ``python3 uno_worker.py SOFFICE WORK``.
It starts ``soffice`` with the profile ``WORK/profile``, listening on a named pipe, connects to
it, prints ``ready`` and then reads one JSON request a line on stdin
(``{"docx": path, "pdf": path, "filter": {name: value}}``, the writer_pdf_Export
``FilterData``) and answers one JSON line on stdout: ``{"ok": true}`` or
``{"error": reason}``. When LibreOffice dies it answers with how it died and exits; at the
end of its input (clausegen closing the pool, or gone) it closes LibreOffice, which removes
its named pipes as it ends, and removes ``WORK``. It only
imports the standard library and ``uno``: clausegen is not importable from that Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

STARTUP = 60.0
"""Seconds LibreOffice may take to accept a connection."""
CLOSE_WITHIN = 8.0
"""Seconds LibreOffice may take to close when there is no more work (the pool waits 10)."""


def _office(soffice: str, work: Path, pipe: str) -> subprocess.Popen[bytes]:
    scratch = work / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _connect(office: subprocess.Popen[bytes], pipe: str):  # type: ignore[no-untyped-def]
    import uno  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + STARTUP
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _property(name: str, value: object):  # type: ignore[no-untyped-def]
    import uno  # type: ignore[import-not-found]

    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name, prop.Value = name, value
    return prop


def _convert(desktop, docx: str, pdf: str, options: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    import uno  # type: ignore[import-not-found]

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(docx),
        "_blank",
        0,
        (_property("Hidden", True), _property("ReadOnly", True)),
    )
    if document is None:
        raise ValueError("LibreOffice could not open it")
    try:
        export = [_property("FilterName", "writer_pdf_Export")]
        if options:
            data = tuple(_property(name, value) for name, value in options.items())
            export.append(
                _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data))
            )
        document.storeToURL(uno.systemPathToFileUrl(pdf), tuple(export))
    finally:
        document.close(True)


SHELL_SIGNAL_BASE = 128
"""``soffice`` is a shell script: a child killed by signal N makes it exit with 128 + N."""


def _death(office: subprocess.Popen[bytes]) -> str | None:
    """How LibreOffice ended, if it did (it is given a moment to be reaped)."""
    try:
        code = office.wait(timeout=1)
    except subprocess.TimeoutExpired:
        return None
    if code < 0 or code > SHELL_SIGNAL_BASE:
        number = -code if code < 0 else code - SHELL_SIGNAL_BASE
        return f"LibreOffice stopped (killed by signal {number}) while converting it"
    return f"LibreOffice stopped with exit code {code} while converting it"


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    soffice, work = sys.argv[1], Path(sys.argv[2])
    pipe = f"clausegen-{os.getpid()}"
    office = _office(soffice, work, pipe)
    try:
        desktop = _connect(office, pipe)
    except Exception as error:
        _answer({"error": _death(office) or f"LibreOffice did not start: {error}"})
        office.kill()
        return 1
    _answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            _convert(desktop, request["docx"], request["pdf"], request.get("filter", {}))
        except Exception as error:
            death = _death(office)
            _answer({"error": death or f"LibreOffice could not convert it ({error})"})
            if death is not None:
                return 1
            continue
        _answer({"ok": True})
    return _end(office, desktop, work)


def _end(office: subprocess.Popen[bytes], desktop, work: Path) -> int:  # type: ignore[no-untyped-def]
    """No more work (or clausegen is gone): close LibreOffice, so that it removes its named
    pipes and files, then remove the worker's folder. A LibreOffice that is gone or will not
    close (a UNO runtime error, the wait running out) is killed: the pool removes its pipes."""
    from com.sun.star.uno import RuntimeException  # type: ignore[import-not-found]

    try:
        desktop.terminate()
        office.wait(timeout=CLOSE_WITHIN)
    except (RuntimeException, subprocess.TimeoutExpired):
        office.kill()
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
