"""The virus-scan plugin: the default says plainly that nothing is scanned; the ClamAV
adapter speaks clamd's INSTREAM protocol (tested against a tiny fake clamd on TCP and on a
Unix socket, the network edge)."""

from __future__ import annotations

import socketserver
import struct
import threading

import pytest
from django.utils import translation

from samvirke.cases.documents.scanning import (
    ClamAVScanner,
    NoScanner,
    ScannerUnavailable,
    scanner,
)
from samvirke.cases.models import ScanStatus

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
    settings.SAMVIRKE_VIRUS_SCANNER = "samvirke.cases.documents.scanning.NoScanner"
    configured = scanner()
    assert isinstance(configured, NoScanner) and not configured.configured
    assert configured.scan(EICAR).status == ScanStatus.NOT_SCANNED
    with translation.override("en"):
        assert "no virus scanner configured" in str(ScanStatus.NOT_SCANNED.label)


def test_clamav_finds_the_test_virus_and_passes_a_clean_file(clamd_tcp, settings):
    host, port = clamd_tcp
    settings.SAMVIRKE_VIRUS_SCANNER = "samvirke.cases.documents.scanning.ClamAVScanner"
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
