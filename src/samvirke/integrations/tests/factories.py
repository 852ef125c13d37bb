"""Test helpers for the integration tests. The cases they work on are built by
`samvirke.cases.tests.factories` (`case_with_submission`)."""

from __future__ import annotations


class MarkerScanner:
    """A stand-in virus scanner for tests: any file holding the marker is infected."""

    configured = True
    MARKER = b"TEST-VIRUS-MARKER"

    def scan(self, content: bytes):
        from samvirke.cases.documents.services import ScanResult
        from samvirke.cases.models import ScanStatus

        if self.MARKER in content:
            return ScanResult(ScanStatus.INFECTED, "Test.Marker")
        return ScanResult(ScanStatus.CLEAN)
