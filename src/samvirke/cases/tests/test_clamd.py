"""The ClamAV adapter (`clamav` in the `virus_scanners` registry) against a real clamd:
Debian's clamav-daemon, started for these tests with a signature database of one line,
the EICAR test file's MD5 (what `sigtool --md5` writes), so no signature download is
needed. Skipped, saying why, where clamd is not installed (`bin/setup test` installs it).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samvirke.cases.documents.scanning import ClamAVScanner, ScannerUnavailable
from samvirke.cases.documents.services import UploadRefused, upload_check
from samvirke.cases.models import ScanStatus
from samvirke.core.tests import files

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD = shutil.which("clamd") or next(
    (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if Path(p).exists()), None
)

pytestmark = pytest.mark.skipif(
    CLAMD is None,
    reason="clamd is not installed (Debian's clamav-daemon; `bin/setup test` installs it)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(path)
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def clamd():
    """A clamd of our own, on a Unix socket and a TCP port, with the EICAR signature."""
    folder = Path(tempfile.mkdtemp(prefix="clamd-"))
    database = folder / "db"
    database.mkdir()
    digest = hashlib.md5(EICAR).hexdigest()  # noqa: S324  (the signature format is MD5)
    (database / "eicar.hdb").write_text(f"{digest}:{len(EICAR)}:Eicar-Test-Signature\n")
    port = _free_port()
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {database}",
                f"LocalSocket {folder / 'clamd.sock'}",
                "TCPAddr 127.0.0.1",
                f"TCPSocket {port}",
                f"LogFile {folder / 'clamd.log'}",
                "Bytecode no",
                "StreamMaxLength 5M",
            ]
        )
        + "\n"
    )
    process = subprocess.Popen(
        [CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    socket_path = str(folder / "clamd.sock")
    deadline = time.monotonic() + 60
    while not _answers(socket_path):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            pytest.fail(f"clamd did not start:\n{log[-2000:]}")
        time.sleep(0.2)
    yield {"socket": socket_path, "port": port}
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


def test_clamd_finds_the_eicar_test_file_over_its_unix_socket(clamd):
    scanner = ClamAVScanner(unix_socket=clamd["socket"], timeout=10)
    result = scanner.scan(EICAR)
    assert result.status == ScanStatus.INFECTED
    assert result.signature.startswith("Eicar-Test-Signature")
    assert scanner.scan(files.pdf()).status == ScanStatus.CLEAN


def test_clamd_over_tcp_and_a_file_of_several_chunks(clamd):
    scanner = ClamAVScanner(host="127.0.0.1", port=clamd["port"], unix_socket="", timeout=10)
    several_chunks = b"x" * (3 * ClamAVScanner.CHUNK + 17)
    assert scanner.scan(several_chunks).status == ScanStatus.CLEAN
    assert scanner.scan(EICAR).infected


def test_over_clamds_stream_limit_is_unavailable_not_clean(clamd):
    scanner = ClamAVScanner(unix_socket=clamd["socket"], timeout=10)
    with pytest.raises(ScannerUnavailable):
        scanner.scan(b"\0" * (6 * 1024 * 1024))  # StreamMaxLength is 5 MB


def test_an_upload_with_the_test_virus_is_refused_through_the_real_daemon(clamd, settings):
    settings.SAMVIRKE_VIRUS_SCANNER = "clamav"
    settings.SAMVIRKE_CLAMAV_SOCKET = clamd["socket"]
    allowed = ["text/plain", "image/png"]
    with pytest.raises(UploadRefused) as refused:
        upload_check(
            SimpleUploadedFile("eicar.txt", EICAR, "text/plain"), max_mb=1, allowed_types=allowed
        )
    assert refused.value.code == "virus_found"
    assert refused.value.signature.startswith("Eicar-Test-Signature")
    clean = upload_check(
        SimpleUploadedFile("bilde.png", files.png(), "image/png"), max_mb=1, allowed_types=allowed
    )
    assert clean.scan_status == ScanStatus.CLEAN


def _raw_ping(path: str) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        connection.sendall(b"zINSTREAM\0" + struct.pack("!L", 0))
        return connection.recv(64)


def test_an_empty_stream_is_clean(clamd):
    assert _raw_ping(clamd["socket"]).startswith(b"stream: OK")
