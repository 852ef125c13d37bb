"""The virus-scan plugins: the default says plainly that nothing is scanned; the ClamAV
adapter speaks clamd's INSTREAM protocol (tested against a tiny fake clamd on TCP and on a
Unix socket, the network edge); the setting names one by identifier, or by the dotted
path of earlier versions."""

from __future__ import annotations

import socketserver
import struct
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from samvirke.cases.documents import scanning
from samvirke.cases.documents.scanning import (
    ClamAVScanner,
    NoScanner,
    ScannerUnavailable,
    ScanResult,
    VirusScanner,
    scanner,
    virus_scanners,
)
from samvirke.cases.models import ScanStatus
from samvirke.core.registry import UnknownPluginError

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd(socketserver.BaseRequestHandler):
    """Reads one INSTREAM request the way clamd does and answers like clamd."""

    received: list[bytes] = []
    answer_error = False

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        content = b""
        while True:
            length = struct.unpack("!L", self._exactly(4))[0]
            if length == 0:
                break
            content += self._exactly(length)
        type(self).received.append(content)
        if type(self).answer_error:
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in content:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed early")
            data += chunk
        return data


@pytest.fixture
def clamd_tcp():
    FakeClamd.received, FakeClamd.answer_error = [], False
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def test_the_default_scans_nothing_and_says_so(settings):
    settings.SAMVIRKE_VIRUS_SCANNER = "none"
    configured = scanner()
    assert isinstance(configured, NoScanner) and not configured.configured
    assert configured.scan(EICAR).status == ScanStatus.NOT_SCANNED
    with translation.override("en"):
        assert "no virus scanner configured" in str(ScanStatus.NOT_SCANNED.label)


def test_clamav_finds_the_test_virus_and_passes_a_clean_file(clamd_tcp, settings):
    host, port = clamd_tcp
    settings.SAMVIRKE_VIRUS_SCANNER = "clamav"
    settings.SAMVIRKE_CLAMAV_HOST, settings.SAMVIRKE_CLAMAV_PORT = host, port
    settings.SAMVIRKE_CLAMAV_SOCKET = ""
    clam = scanner()
    assert isinstance(clam, ClamAVScanner) and clam.configured
    infected = clam.scan(b"prefix " + EICAR)
    assert infected.infected and infected.signature == "Eicar-Test-Signature"
    # a file larger than one chunk arrives whole
    big = bytes(range(256)) * 1000
    assert clam.scan(big).status == ScanStatus.CLEAN
    assert FakeClamd.received[-1] == big


def test_clamav_over_a_unix_socket(tmp_path):
    FakeClamd.received, FakeClamd.answer_error = [], False
    path = str(tmp_path / "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = ClamAVScanner(unix_socket=path, timeout=5).scan(b"%PDF-1.4 harmless")
        assert result.status == ScanStatus.CLEAN
    finally:
        server.shutdown()
        server.server_close()


def test_an_error_answer_or_no_daemon_is_unavailable_not_clean(clamd_tcp):
    host, port = clamd_tcp
    FakeClamd.answer_error = True
    with pytest.raises(ScannerUnavailable):
        ClamAVScanner(host=host, port=port, unix_socket="", timeout=5).scan(b"x" * 10)
    with pytest.raises(ScannerUnavailable):
        # nothing listens on port 9 of the loopback address
        ClamAVScanner(host="127.0.0.1", port=9, unix_socket="", timeout=2).scan(b"x")


# --- choosing the scanner -----------------------------------------------------------------


class OwnScanner(VirusScanner):
    """An installation's own scanner, named by a dotted path as before scanners were
    plugins."""

    verbose_name = "own scanner"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.CLEAN)


class NotAScanner:
    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.CLEAN)


@pytest.fixture
def deprecation_logged_again():
    """The deprecation warning is logged once per path; each test starts afresh."""
    scanning._deprecated.cache_clear()
    yield
    scanning._deprecated.cache_clear()


def test_the_scanners_are_plugins_chosen_by_identifier(settings):
    assert virus_scanners.identifiers() == ["none", "clamav"]
    assert virus_scanners["none"] is NoScanner and virus_scanners["clamav"] is ClamAVScanner
    settings.SAMVIRKE_VIRUS_SCANNER = ""  # unset: the default
    assert isinstance(scanner(), NoScanner)
    settings.SAMVIRKE_VIRUS_SCANNER = "mcafee"
    with pytest.raises(UnknownPluginError, match="known: none, clamav"):
        scanner()


@pytest.mark.parametrize(
    ("path", "identifier"),
    [
        ("samvirke.cases.scanning.NoScanner", "none"),
        ("samvirke.cases.scanning.ClamAVScanner", "clamav"),
        ("samvirke.cases.documents.scanning.NoScanner", "none"),
        ("samvirke.cases.documents.scanning.ClamAVScanner", "clamav"),
    ],
)
def test_the_dotted_paths_of_earlier_versions_still_work_with_a_warning(
    settings, caplog, deprecation_logged_again, path, identifier
):
    settings.SAMVIRKE_VIRUS_SCANNER = path
    with caplog.at_level("WARNING", logger=scanning.logger.name):
        assert type(scanner()) is virus_scanners[identifier]
        scanner()
    [warning] = [r.getMessage() for r in caplog.records if "deprecated" in r.getMessage()]
    assert path in warning and repr(identifier) in warning  # once, naming what to set


def test_a_dotted_path_to_another_scanner_still_works_with_a_warning(
    settings, caplog, deprecation_logged_again
):
    settings.SAMVIRKE_VIRUS_SCANNER = f"{__name__}.OwnScanner"
    with caplog.at_level("WARNING", logger=scanning.logger.name):
        assert isinstance(scanner(), OwnScanner)
    assert any("deprecated" in r.getMessage() for r in caplog.records)
    settings.SAMVIRKE_VIRUS_SCANNER = f"{__name__}.NotAScanner"
    with pytest.raises(ImproperlyConfigured, match="not a VirusScanner subclass"):
        scanner()
    settings.SAMVIRKE_VIRUS_SCANNER = "samvirke.cases.documents.scanning.Gone"
    with pytest.raises(ImproperlyConfigured):
        scanner()


def test_a_test_scanner_is_registered_for_one_test_only(virus_scanner):
    virus_scanner(OwnScanner)
    assert isinstance(scanner(), OwnScanner)
    assert "test-scanner" in virus_scanners


def test_and_is_gone_afterwards(settings):
    assert "test-scanner" not in virus_scanners
    assert settings.SAMVIRKE_VIRUS_SCANNER == "none"
