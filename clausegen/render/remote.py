"""Remote unoserver instances (``unoserver`` from PyPI, API 3) as the PDF ``Converter``.

Each ``host:port`` is one slot: it converts one document at a time, sent as bytes over
unoserver's XML-RPC interface (what its ``unoconvert --host-location remote`` does), the PDF
coming back as bytes; so the servers need no access to this machine's files. A server that
does not answer within the document's timeout, or refuses the conversion, fails that
document, which is retried on another server; it is used again for the next documents.
"""

from __future__ import annotations

import http.client
import threading
import xmlrpc.client
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from clausegen.render.dispatch import convert_with
from clausegen.render.libreoffice import PdfConversion, Store
from clausegen.render.pdf_profile import DEFAULT_PROFILE, PdfProfile, unoserver_options

API_VERSION = "3"
"""The unoserver XML-RPC interface spoken (unoserver 2.1 and later)."""


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class Unoserver:
    """One remote unoserver, as a slot."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://{self.address}", allow_none=True, transport=_TimeoutTransport(timeout)
        )

    def info(self, timeout: float = 10.0) -> dict[str, Any]:
        """The server's ``info()``: its version, API and filters."""
        with self._proxy(timeout) as proxy:
            return dict(proxy.info())  # type: ignore[arg-type]

    def convert(self, docx: Path, pdf: Path, timeout: float, profile: PdfProfile) -> str | None:
        """Send ``docx`` with ``profile``'s export options, write the PDF received; ``None``,
        or why not."""
        try:
            with self._proxy(timeout) as proxy:
                result = proxy.convert(
                    None,
                    xmlrpc.client.Binary(docx.read_bytes()),
                    None,
                    "pdf",
                    None,
                    unoserver_options(profile),
                    False,
                    None,
                    None,
                )
        except TimeoutError:
            return f"unoserver {self.address} did not finish it within {timeout:g} s"
        except xmlrpc.client.Fault as fault:
            return f"unoserver {self.address} could not convert it ({fault.faultString})"
        except (OSError, xmlrpc.client.ProtocolError, http.client.HTTPException) as error:
            return f"unoserver {self.address} did not answer ({error})"
        if not isinstance(result, xmlrpc.client.Binary):
            return f"unoserver {self.address} sent no PDF back"
        pdf.write_bytes(result.data)
        return None


class RemoteUnoservers:
    """Remote unoserver instances, one document at a time on each."""

    kind: ClassVar[str] = "unoserver"

    def __init__(self, addresses: Sequence[tuple[str, int]]) -> None:
        if not addresses:
            raise ValueError("give at least one unoserver host:port")
        self.servers = [Unoserver(host, port) for host, port in addresses]
        self.idle = list(self.servers)
        self.failing: set[str] = set()
        """Servers whose last conversion failed: used only when no other one can be."""
        self.counts = {"conversions": 0, "failures": 0}
        self.condition = threading.Condition()

    def acquire(self) -> Unoserver:
        """A free server, one whose last conversion succeeded if one can be had (waiting for
        it rather than taking a failing one)."""
        with self.condition:
            while True:
                healthy = [s for s in self.idle if s.address not in self.failing]
                everyone_failing = all(s.address in self.failing for s in self.servers)
                if healthy or (self.idle and everyone_failing):
                    server = (healthy or self.idle)[0]
                    self.idle.remove(server)
                    return server
                self.condition.wait()

    def release(self, slot: Any, *, failed: bool) -> None:
        with self.condition:
            self.counts["conversions"] += 1
            self.counts["failures"] += failed
            (self.failing.add if failed else self.failing.discard)(slot.address)
            self.idle.append(slot)
            self.condition.notify()

    def size(self) -> int:
        return len(self.servers)

    def convert(
        self,
        documents: Sequence[Path],
        *,
        store: Store,
        timeout: float,
        profile: PdfProfile = DEFAULT_PROFILE,
    ) -> PdfConversion:
        """Every DOCX of ``documents`` as PDF, on up to one document per server at once."""
        return convert_with(self, list(documents), store, timeout, profile)

    def start(self) -> None:
        """The servers are started by their own machines: nothing to do."""

    def state(self) -> dict[str, Any]:
        with self.condition:
            return {
                "kind": self.kind,
                "workers": len(self.servers),
                "servers": [server.address for server in self.servers],
                "busy": len(self.servers) - len(self.idle),
                "failing": sorted(self.failing),
                **self.counts,
            }

    def close(self) -> None:
        """The servers are not this process's: nothing to stop."""
