"""Checking an uploaded file before it is stored (opplasting): one check for every place
a file comes in — an e-service's file question, a reply in My cases, a neighbour's
answer, a journal entry through the API.

`upload_check` refuses, in this order, a file that is empty, one larger than the limit,
one whose **content** is not of an allowed type (found with `filetype`; a name or a
browser's claim is not trusted, and the sniffed type is the one stored), and one the
virus-scan plugin (`cases.scanning`) finds infected or cannot answer for. It raises
`UploadRefused` with a stable code and a translated message that names the file, and
returns the bytes, the sniffed type and the scan status otherwise.

Each caller turns `UploadRefused` into its own error shape (a form field's error, the
API's codes, a ValidationError on a field) and calls `upload_refusal_audit` outside any
transaction it rolls back, so that a refused virus is always on the audit trail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import filetype
from django.utils import formats
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.scanning import ScannerUnavailable, scanner
from samvirke.eservices.engine.file_types import MEGABYTE, types_display

logger = logging.getLogger(__name__)

#: Types without a signature that content sniffing can recognise: accepted when allowed
#: and the content is text.
TEXT_TYPES = frozenset({"text/plain", "text/csv"})

#: `UploadRefused.code` values. Callers with a contract of their own (the API) map them.
EMPTY = "file_empty"
TOO_LARGE = "file_too_large"
TYPE_MISMATCH = "content_type_mismatch"  # recognised, but not an allowed type
TYPE_UNKNOWN = "content_type_unknown"  # not recognised as any allowed type
SCAN_UNAVAILABLE = "scan_unavailable"
VIRUS_FOUND = "virus_found"


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


def _megabytes(max_mb: float) -> str:
    return formats.number_format(int(max_mb) if max_mb == int(max_mb) else max_mb)


def upload_check(
    upload, *, max_mb: float, allowed_types: list[str] | tuple[str, ...]
) -> CheckedUpload:
    """Checks one uploaded file (a Django `UploadedFile` or anything with `read()`,
    `name`, and optionally `size` and `content_type`): not empty, at most `max_mb`
    megabytes, content of one of `allowed_types` (MIME types), and not infected. Raises
    `UploadRefused`; a scanner that cannot answer refuses the file too, so nothing is
    stored unscanned.

    The type a browser declares is not compared with the sniffed one: a photo saved as
    PNG under a .jpg name is still a PNG, and the sniffed type is what is stored and
    served. Only text types, which have no signature, rely on the declared type."""
    name = upload_name(upload) or _("file")
    limit = int(max_mb * MEGABYTE)
    too_large = UploadRefused(
        TOO_LARGE,
        _("“%(name)s” is larger than %(n)s MB.") % {"name": name, "n": _megabytes(max_mb)},
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:  # before reading it all into memory
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)  # a caller may read it again
    if not content:
        raise UploadRefused(EMPTY, _("“%(name)s” is empty.") % {"name": name})
    if len(content) > limit:
        raise too_large
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    content_type = content_type_verify(
        content, name=name, declared=declared, allowed=list(allowed_types)
    )
    try:
        result = scanner().scan(content)
    except ScannerUnavailable:
        logger.warning("virus scanner unavailable; upload refused")
        raise UploadRefused(
            SCAN_UNAVAILABLE,
            _("“%(name)s” could not be checked for viruses just now. Please try again later.")
            % {"name": name},
        ) from None
    if result.infected:
        logger.warning("virus found in an upload", extra={"signature": result.signature})
        raise UploadRefused(
            VIRUS_FOUND,
            _("“%(name)s” contains a virus (%(signature)s) and was not accepted.")
            % {"name": name, "signature": result.signature},
            signature=result.signature,
        )
    return CheckedUpload(
        name=upload_name(upload),
        content=content,
        content_type=content_type,
        scan_status=result.status,
    )


def upload_refusal_audit(
    refused: UploadRefused, *, actor, acting_for=None, details: dict[str, Any] | None = None
) -> None:
    """Records a refused virus on the audit trail (a security event); other refusals are
    the sender's mistakes and are not audited. Call it outside any transaction that the
    refusal rolls back, or the record goes with it."""
    if refused.code != VIRUS_FOUND:
        return
    audit_record(
        action=AuditAction.CREATE,
        object_type="cases.document",
        object_label="refused upload",
        actor=actor,
        acting_for=acting_for,
        details={"refused": "virus", "signature": refused.signature, **(details or {})},
    )
