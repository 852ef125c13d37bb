"""Virus scanning of uploaded files, as plugins in the `virus_scanners` registry
(virusskanning; docs/plugins.md).

The setting `SAMVIRKE_VIRUS_SCANNER` holds the scanner's identifier. The default, `none`
(`NoScanner`), scans nothing and says so: the upload page and each document's
`scan_status` tell the citizen and the case handler plainly that no virus scan is
configured. `clamav` (`ClamAVScanner`) sends the bytes to a ClamAV daemon (clamd) with
its INSTREAM command, over TCP (`SAMVIRKE_CLAMAV_HOST`, `SAMVIRKE_CLAMAV_PORT`) or a Unix
socket (`SAMVIRKE_CLAMAV_SOCKET`). The dotted class paths the setting held before are
still understood, with a deprecation warning in the log, so an installation keeps
working until its setting is changed.

Another scanner is a subclass of `VirusScanner` with a `scan(content) -> ScanResult`,
registered with `@virus_scanners.register("identifier")` in a module its app imports
from `AppConfig.ready()`; it raises `ScannerUnavailable` when it cannot give an answer,
and the upload is then refused rather than stored unscanned.

Documents Samvirke renders itself (the submitted form as PDF/A, the receipt) go through
the same scanner with `generated_document_scan_status`, so their status, too, says only
what a scanner found: "not scanned" without one, never "no virus found".
"""

from __future__ import annotations

import logging
import socket
import struct
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models import ScanStatus
from samvirke.core.registry import Plugin, Registry

logger = logging.getLogger(__name__)

DEFAULT_SCANNER = "none"

# The dotted paths `SAMVIRKE_VIRUS_SCANNER` held before scanners were plugins (the first
# two from before `cases` was split into subpackages), and the identifiers they mean now.
LEGACY_PATHS = {
    "samvirke.cases.scanning.NoScanner": "none",
    "samvirke.cases.scanning.ClamAVScanner": "clamav",
    "samvirke.cases.documents.scanning.NoScanner": "none",
    "samvirke.cases.documents.scanning.ClamAVScanner": "clamav",
}


@dataclass(frozen=True)
class ScanResult:
    status: str  # a ScanStatus value
    signature: str = ""  # the virus's name, when one was found

    @property
    def infected(self) -> bool:
        return self.status == ScanStatus.INFECTED


class ScannerUnavailable(Exception):
    """The scanner could not be reached or gave no usable answer."""


class VirusScanner(Plugin, ABC):
    """A way of checking a file's bytes for viruses."""

    #: False for a scanner that does not scan: pages then say that no scan is configured.
    configured: bool = True

    @abstractmethod
    def scan(self, content: bytes) -> ScanResult:
        """The verdict on `content`; raises `ScannerUnavailable` when there is none."""


virus_scanners: Registry[VirusScanner] = Registry(_("virus scanner"))


@virus_scanners.register("none")
class NoScanner(VirusScanner):
    """No virus scanner configured: every file is stored as "not scanned"."""

    verbose_name = _("No virus scanner")
    configured = False

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.NOT_SCANNED)


@virus_scanners.register("clamav")
class ClamAVScanner(VirusScanner):
    """A client for clamd's INSTREAM command.

    The protocol: send `zINSTREAM\\0`, then the content in chunks, each prefixed with its
    length as a 4-byte big-endian integer, then a zero-length chunk. clamd answers one
    line ended by `\\0`: `stream: OK`, `stream: <signature> FOUND`, or `… ERROR`."""

    verbose_name = _("ClamAV (clamd)")
    CHUNK = 64 * 1024

    def __init__(
        self,
        *,
        host: str | None = None,
        port: int | None = None,
        unix_socket: str | None = None,
        timeout: float | None = None,
    ):
        self.host = host if host is not None else settings.SAMVIRKE_CLAMAV_HOST
        self.port = int(port if port is not None else settings.SAMVIRKE_CLAMAV_PORT)
        self.unix_socket = (
            unix_socket if unix_socket is not None else settings.SAMVIRKE_CLAMAV_SOCKET
        )
        self.timeout = float(timeout if timeout is not None else settings.SAMVIRKE_CLAMAV_TIMEOUT)

    def _connect(self) -> socket.socket:
        if self.unix_socket:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            connection.connect(self.unix_socket)
            return connection
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def scan(self, content: bytes) -> ScanResult:
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), self.CHUNK):
                    chunk = content[start : start + self.CHUNK]
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                reply = self._read_reply(connection)
        except OSError as error:
            raise ScannerUnavailable(f"clamd: {error}") from error
        return self._parse(reply)

    @staticmethod
    def _read_reply(connection: socket.socket) -> str:
        data = b""
        while not data.endswith(b"\0"):
            chunk = connection.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.rstrip(b"\0").decode("utf-8", "replace").strip()

    @staticmethod
    def _parse(reply: str) -> ScanResult:
        # "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
        body = reply.split(":", 1)[1].strip() if ":" in reply else reply
        if body == "OK":
            return ScanResult(ScanStatus.CLEAN)
        if body.endswith(" FOUND"):
            return ScanResult(ScanStatus.INFECTED, signature=body[: -len(" FOUND")].strip())
        raise ScannerUnavailable(f"clamd answered {reply!r}")


def scanner_class(name: str) -> type[VirusScanner]:
    """The scanner class a value of `SAMVIRKE_VIRUS_SCANNER` names: an identifier in
    `virus_scanners`, or (deprecated) a dotted path to a `VirusScanner` subclass. Raises
    `UnknownPluginError` for an identifier no scanner has, `ImproperlyConfigured` for a
    dotted path to something else."""
    if "." not in name:
        return virus_scanners[name]
    identifier = LEGACY_PATHS.get(name)
    if identifier is not None:
        _deprecated(name, f"set it to {identifier!r} instead")
        return virus_scanners[identifier]
    return _imported_scanner_class(name)


@lru_cache(maxsize=8)  # a class is imported once per path, not on every upload
def _imported_scanner_class(path: str) -> type[VirusScanner]:
    try:
        found = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SAMVIRKE_VIRUS_SCANNER: {error}") from error
    if not (isinstance(found, type) and issubclass(found, VirusScanner)):
        raise ImproperlyConfigured(
            f"SAMVIRKE_VIRUS_SCANNER={path!r} is not a VirusScanner subclass; set it to a "
            f"scanner's identifier ({', '.join(virus_scanners.identifiers())})."
        )
    _deprecated(
        path,
        "register the scanner in samvirke.cases.documents.scanning.virus_scanners "
        "and set its identifier instead",
    )
    return found


@lru_cache(maxsize=8)  # logged once per path, not on every upload
def _deprecated(path: str, advice: str) -> None:
    logger.warning("SAMVIRKE_VIRUS_SCANNER=%r is deprecated: %s.", path, advice)


def scanner() -> VirusScanner:
    """The configured scanner (a new instance, so settings changes take effect)."""
    name = getattr(settings, "SAMVIRKE_VIRUS_SCANNER", "") or DEFAULT_SCANNER
    return scanner_class(name)()


def generated_document_scan_status(content: bytes) -> str:
    """The scan status (a `ScanStatus` value) to store with a document Samvirke rendered
    itself, such as the submitted form or the receipt.

    The configured scanner decides, as for an upload, so "no virus found" is only ever
    stored when a scanner looked. Unlike an upload, the document is not refused when the
    scanner cannot answer: a citizen's submission must not fail because clamd is down,
    and the document is stored as not scanned instead."""
    try:
        return scanner().scan(content).status
    except ScannerUnavailable:
        logger.warning("virus scanner unavailable; generated document stored as not scanned")
        return ScanStatus.NOT_SCANNED
