"""What an uploaded file (opplasting) is checked against, for `services.upload_check`:
the refusal codes, `UploadRefused` and `CheckedUpload`, and the content-type check (found
with `filetype`; a name or a browser's claim is not trusted, and the sniffed type is the
one stored), and `content_verify`, which looks at the whole content: an image must
decode, a PDF must parse without scripts or embedded files, and the name and declared
type must agree with what the content is.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from samvirke.cases.errors import CasesErrorCode
from samvirke.core import filecontent
from samvirke.eservices.engine.file_types import types_display

#: Types without a signature that content sniffing can recognise: accepted when allowed
#: and the content is text.
TEXT_TYPES = frozenset({"text/plain", "text/csv"})

#: `UploadRefused.code` values. Callers with a contract of their own (the API) map them.
EMPTY = CasesErrorCode.FILE_EMPTY
TOO_LARGE = CasesErrorCode.FILE_TOO_LARGE
TYPE_MISMATCH = CasesErrorCode.CONTENT_TYPE_MISMATCH  # recognised, but not an allowed type
TYPE_UNKNOWN = CasesErrorCode.CONTENT_TYPE_UNKNOWN  # not recognised as any allowed type
SCAN_UNAVAILABLE = CasesErrorCode.SCAN_UNAVAILABLE
VIRUS_FOUND = CasesErrorCode.VIRUS_FOUND
# the content looked at in full (samvirke.core.filecontent)
NAME_TYPE_MISMATCH = CasesErrorCode.NAME_TYPE_MISMATCH  # the name or declared type lies
IMAGE_INVALID = CasesErrorCode.IMAGE_INVALID  # does not decode, or carries more (HTML)
IMAGE_TOO_LARGE = CasesErrorCode.IMAGE_TOO_LARGE  # over the pixel limit (a bomb)
PDF_INVALID = CasesErrorCode.PDF_INVALID  # not parseable, or encrypted
PDF_SCRIPT = CasesErrorCode.PDF_SCRIPT  # JavaScript or a launch action
PDF_EMBEDDED_FILE = CasesErrorCode.PDF_EMBEDDED_FILE

CONTENT_REFUSAL_CODES = {
    filecontent.Reason.NAME_MISMATCH: NAME_TYPE_MISMATCH,
    filecontent.Reason.IMAGE_INVALID: IMAGE_INVALID,
    filecontent.Reason.IMAGE_TOO_LARGE: IMAGE_TOO_LARGE,
    filecontent.Reason.PDF_INVALID: PDF_INVALID,
    filecontent.Reason.PDF_SCRIPT: PDF_SCRIPT,
    filecontent.Reason.PDF_EMBEDDED_FILE: PDF_EMBEDDED_FILE,
}


class UploadRefused(Exception):
    """A file that may not be stored, with a stable `code` and a translated `message`
    for the person who sent it; `signature` names the virus when one was found."""

    def __init__(self, code: str, message: str, *, signature: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.signature = signature


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed `upload_check`: its name as sent (without any path; may be
    empty), its bytes, the type found from the content, and the scan status (a
    `ScanStatus` value)."""

    name: str
    content: bytes
    content_type: str
    scan_status: str

    @property
    def size(self) -> int:
        return len(self.content)


def upload_name(upload) -> str:
    """The file's name without any folder a browser or client sent with it."""
    return (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]


def content_type_verify(content: bytes, *, name: str, declared: str, allowed: list[str]) -> str:
    """The file's real type, found from its content, if it is allowed; otherwise
    `UploadRefused`. A name or a browser's claim is not trusted: the declared type only
    counts for text types, which have no signature, and then only for content that is
    text."""
    guessed = filetype.guess_mime(content)
    types = types_display(allowed)  # "PDF, PNG or JPG": the names on citizens' files
    if guessed:
        if guessed in allowed:
            return guessed
        raise UploadRefused(
            TYPE_MISMATCH,
            _(
                "“%(name)s” is not what its name says: its content is of the type %(found)s, "
                "which is not allowed here. Allowed types: %(types)s."
            )
            % {"name": name, "found": guessed, "types": types},
        )
    if declared in allowed and declared in TEXT_TYPES and b"\0" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return declared
    raise UploadRefused(
        TYPE_UNKNOWN,
        _(
            "The content of “%(name)s” could not be recognised as one of the allowed "
            "types: %(types)s."
        )
        % {"name": name, "types": types},
    )


def content_verify(content: bytes, *, name: str, declared: str, found: str) -> None:
    """The whole content checked for its type `found` (`samvirke.core.filecontent`):
    images decoded within the pixel limit, PDFs parsed and free of scripts, launch
    actions and embedded files, and the name and declared type agreeing with it; an
    `UploadRefused` with the matching code otherwise."""
    try:
        filecontent.content_check(content, name=name, declared=declared, found=found)
    except filecontent.ContentRefused as refused:
        raise UploadRefused(CONTENT_REFUSAL_CODES[refused.reason], refused.message) from None
