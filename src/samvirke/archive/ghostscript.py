"""Converting a PDF to PDF/A-2b with Ghostscript (Debian package `ghostscript`).

Ghostscript is run as a separate program, never through a shell, with `-dSAFER` (the
PostScript it interprets may read only the files named here), a time limit, and its input
and output in a temporary directory of its own. PDF/A needs an output intent: the sRGB
ICC profile Ghostscript ships (Debian's libgs-common installs it) is embedded through a
small PostScript prefix, as Ghostscript's own `lib/PDFA_def.ps` shows.

This module only runs Ghostscript. Whether what comes back is PDF/A is for the caller
to check (`archival_formats.pdfa_level`): Ghostscript can exit 0 with a file that is not."""

from __future__ import annotations

import functools
import glob
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60  # per document; a PDF that takes longer is not converted

# Where Ghostscript's sRGB profile is: Debian's shared copy first, then Ghostscript's
# own resource folder (one per version).
SRGB_PROFILES = (
    "/usr/share/color/icc/ghostscript/srgb.icc",
    "/usr/share/ghostscript/*/iccprofiles/srgb.icc",
)

_SOURCE = "original.pdf"
_PREFIX = "pdfa_def.ps"
_TARGET = "pdfa.pdf"


class GhostscriptError(Exception):
    """Ghostscript is missing, failed, or took too long; the message says which."""


def ghostscript_executable() -> str | None:
    """The path of the `gs` program, or None if it is not installed."""
    return shutil.which("gs")


def srgb_profile() -> Path | None:
    for pattern in SRGB_PROFILES:
        for path in sorted(glob.glob(pattern)):
            if Path(path).is_file():
                return Path(path)
    return None


@functools.cache
def ghostscript_version(executable: str) -> str:
    """The version `gs --version` reports ("10.00.0"), for Noark's konverteringsverktoey."""
    result = _run([executable, "--version"], cwd=None)
    version = result.stdout.decode("ascii", "replace").strip()
    if result.returncode != 0 or not version:
        raise GhostscriptError(f"gs --version exited with {result.returncode}")
    return version


def pdf_to_pdfa(content: bytes) -> tuple[bytes, str]:
    """The PDF converted by Ghostscript with PDF/A-2b settings, and the tool that did it
    ("Ghostscript 10.00.0"). Raises GhostscriptError when it cannot."""
    executable = ghostscript_executable()
    if executable is None:
        raise GhostscriptError("the gs program is not installed")
    profile = srgb_profile()
    if profile is None:
        raise GhostscriptError("no sRGB ICC profile found in " + ", ".join(SRGB_PROFILES))
    tool = f"Ghostscript {ghostscript_version(executable)}"
    with tempfile.TemporaryDirectory(prefix="samvirke-pdfa-") as work:
        folder = Path(work)
        (folder / _SOURCE).write_bytes(content)
        (folder / _PREFIX).write_text(_pdfa_prefix(profile), encoding="utf-8")
        result = _run(
            [
                executable,
                "-q",
                "-dSAFER",
                "-dBATCH",
                "-dNOPAUSE",
                "-dNOOUTERSAVE",
                "-dPDFSTOPONERROR",  # else a file it cannot read becomes an empty page
                "-dPDFA=2",
                "-dPDFACompatibilityPolicy=1",  # drop what PDF/A forbids, keep going
                "-sColorConversionStrategy=RGB",
                "-sDEVICE=pdfwrite",
                f"--permit-file-read={profile}",
                f"-sOutputFile={_TARGET}",
                _PREFIX,
                _SOURCE,
            ],
            cwd=folder,
        )
        target = folder / _TARGET
        if result.returncode != 0 or not target.is_file():
            raise GhostscriptError(
                f"gs exited with {result.returncode}: {_errors(result.stdout + result.stderr)}"
            )
        return target.read_bytes(), tool


def _run(command: list[str], *, cwd: Path | None) -> subprocess.CompletedProcess:
    # The command is this module's own list: the gs found on PATH, fixed options and
    # file names in our temporary directory. No shell, so nothing in it is interpreted.
    try:
        return subprocess.run(  # noqa: S603
            command,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed it
        raise GhostscriptError(f"gs took more than {TIMEOUT_SECONDS} seconds") from exc
    except OSError as exc:
        raise GhostscriptError(f"gs could not be started: {exc}") from exc


def _pdfa_prefix(profile: Path) -> str:
    """PostScript that embeds the sRGB profile and makes it the document's output intent
    (Ghostscript's lib/PDFA_def.ps, with the profile's three components written out)."""
    return f"""%!
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ({_postscript_string(str(profile))}) (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB)
>> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


def _postscript_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _errors(output: bytes) -> str:
    """Ghostscript's error lines, without the PostScript stacks it prints after them."""
    lines = [" ".join(line.split()) for line in output.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if "error" in line.lower()]
    return " / ".join((errors or lines[-1:])[:3])[:300] or "no message"
