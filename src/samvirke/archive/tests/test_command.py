"""`samvirke archive-export`: a working run, and clear errors for bad arguments."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from samvirke.archive import ghostscript


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("archive_export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_writes_an_export(archive_cases, standards_required, tmp_path):
    target = tmp_path / "uttrekk"
    out, err = _run(
        "--municipality", archive_cases.askim.number,
        "--from", "2011-06-01", "--to", "2011-06-30",
        "--output", str(target),
    )  # fmt: skip
    assert "Exported" in out and str(target) in out
    assert err == ""  # every document's content is in the export, none on a cover page
    assert {p.name for p in target.iterdir()} >= {
        "arkivuttrekk.xml",
        "arkivstruktur.xml",
        "endringslogg.xml",
        "loependeJournal.xml",
        "offentligJournal.xml",
        "arkivstruktur.xsd",
        "metadatakatalog.xsd",
        "addml.xsd",
        "dokumenter",
    }


def test_the_command_warns_when_a_cover_page_stands_in_for_a_document(
    archive_cases, standards_required, tmp_path, monkeypatch
):
    monkeypatch.setattr(ghostscript, "ghostscript_executable", lambda: None)
    _out, err = _run(
        "--municipality", archive_cases.askim.number,
        "--from", "2011-06-01", "--to", "2011-06-30",
        "--output", str(tmp_path / "uttrekk"),
    )  # fmt: skip
    assert "1 document could not be converted to PDF/A; a cover page" in err  # kart.pdf


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "9999"], "No municipality has the number '9999'"),
        (["--from", "2011-07-01", "--to", "2011-06-01"], "starts (2011-07-01) after it ends"),
        (["--from", "1. juni 2011"], "--from must be a date written YYYY-MM-DD"),
        (["--from", "1990-01-01", "--to", "1990-01-31"], "nothing to export"),
    ],
)
def test_bad_arguments_are_refused_clearly(
    archive_cases, standards_required, tmp_path, args, message
):
    options = {
        "--municipality": archive_cases.askim.number,
        "--from": "2011-06-01",
        "--to": "2011-06-30",
        "--output": str(tmp_path / "uttrekk"),
    }
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(*[part for pair in options.items() for part in pair])
    assert not (tmp_path / "uttrekk").exists()


def test_an_output_directory_that_is_not_empty_is_refused(archive_cases, tmp_path):
    (tmp_path / "something.txt").write_text("already here")
    with pytest.raises(CommandError, match="is not empty"):
        _run(
            "--municipality", archive_cases.askim.number,
            "--from", "2011-06-01", "--to", "2011-06-30",
            "--output", str(tmp_path),
        )  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["something.txt"]


def test_errors_are_translated(archive_cases, tmp_path):
    with translation.override("nb"), pytest.raises(CommandError, match="Ingen kommune"):
        call_command(
            "archive_export",
            "--municipality", "9999",
            "--from", "2011-06-01", "--to", "2011-06-30",
            "--output", str(tmp_path / "x"),
        )  # fmt: skip
