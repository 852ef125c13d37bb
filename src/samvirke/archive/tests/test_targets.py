"""Archive targets: the export is written into the target's directory and handed on;
the default `directory` target is what `--output` has always meant."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samvirke.archive.services import archive_export_create
from samvirke.archive.targets import ArchiveTarget, DirectoryTarget, archive_targets
from samvirke.audit.models import AuditEvent


class ArchiveSystem(ArchiveTarget):
    """Stands in for an archive system's API: stages in a temporary directory and
    "uploads" by copying into a folder the test reads."""

    verbose_name = _("Test archive system")
    received: Path

    @contextmanager
    def staging(self, *, destination: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory() as directory:
            yield Path(directory)

    def deliver(self, *, directory: Path, destination: str) -> str:
        shutil.copytree(directory, type(self).received)
        return f"{destination}:receipt-1"


def _export(cases, **kwargs):
    return archive_export_create(
        organisation=cases.askim, date_from=cases.period[0], date_to=cases.period[1], **kwargs
    )


def test_directory_is_the_default_target():
    assert archive_targets["directory"] is DirectoryTarget
    with translation.override("en"):
        assert archive_targets.choices() == [("directory", "A directory on this machine")]


def test_another_target_gets_the_finished_export(archive_cases, standards_required, tmp_path):
    ArchiveSystem.received = tmp_path / "received"
    with archive_targets.temporarily("test-archive", ArchiveSystem):
        result = _export(archive_cases, destination="askim-arkiv", target="test-archive")
    assert result.location == "askim-arkiv:receipt-1"
    assert {p.name for p in ArchiveSystem.received.iterdir()} >= {
        "arkivuttrekk.xml",
        "arkivstruktur.xml",
        "dokumenter",
    }
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.details["output"] == "askim-arkiv:receipt-1"


def test_a_failed_delivery_leaves_the_directory_as_it_was(
    archive_cases, standards_required, tmp_path
):
    class Unreachable(DirectoryTarget):
        verbose_name = _("Unreachable")

        def deliver(self, *, directory: Path, destination: str) -> str:
            raise ConnectionError("archive down")

    with archive_targets.temporarily("unreachable", Unreachable), pytest.raises(ConnectionError):
        _export(archive_cases, destination=tmp_path / "uttrekk", target="unreachable")
    assert not (tmp_path / "uttrekk").exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_command_takes_a_target(archive_cases, standards_required, tmp_path):
    ArchiveSystem.received = tmp_path / "received"
    out = io.StringIO()
    with archive_targets.temporarily("test-archive", ArchiveSystem), translation.override("en"):
        call_command(
            "archive_export",
            "--municipality", archive_cases.askim.number,
            "--from", "2011-06-01", "--to", "2011-06-30",
            "--output", "askim-arkiv", "--target", "test-archive",
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert "to askim-arkiv:receipt-1:" in out.getvalue()
    assert (ArchiveSystem.received / "arkivuttrekk.xml").exists()


def test_the_command_refuses_an_unknown_target(archive_cases, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'ftp'"):
        call_command(
            "archive_export",
            "--municipality", archive_cases.askim.number,
            "--from", "2011-06-01", "--to", "2011-06-30",
            "--output", str(tmp_path / "x"), "--target", "ftp",
        )  # fmt: skip
    assert not (tmp_path / "x").exists()
