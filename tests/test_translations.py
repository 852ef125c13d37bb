"""Every user-facing string has a translation in bokmål, nynorsk, Swedish and English.

The catalogues are compared against a fresh extraction of the source, so a string added
without a translation fails here, as does a fuzzy or empty entry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "samvirke"
LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory) -> Path:
    """The strings in the source today, extracted as Django's makemessages does."""
    work = tmp_path_factory.mktemp("messages") / "samvirke"
    shutil.copytree(
        PACKAGE, work, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "*.pyc")
    )
    (work / "locale").mkdir()
    cwd = Path.cwd()
    try:
        import os

        os.chdir(work)
        call_command("makemessages", locale=["nb"], keep_pot=True, verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    return work / "locale" / "django.pot"


def catalogue(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid(language):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(catalogue(language))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_or_empty_entries(language):
    for flag in ("--only-fuzzy", "--untranslated"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(catalogue(language))],
            capture_output=True,
            text=True,
            check=True,
        )
        entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
        # the header is the one entry with an empty msgid
        assert entries in ([], ['msgid ""']), f"{language} {flag}:\n{result.stdout[:3000]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_covers_every_string_in_the_source(language, fresh_template):
    result = subprocess.run(
        ["msgcmp", str(catalogue(language)), str(fresh_template)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"Run `make messages` and translate; missing in {language}:\n{result.stderr[:3000]}"
    )
