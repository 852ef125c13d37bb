"""File types and sizes in words a citizen knows (filtyper og filstørrelse).

A form declares the files it takes as MIME types (`application/pdf`) and a limit in
megabytes. Citizens know files by their format's name or extension ("PDF", "JPG"), so the
upload hint and the messages about refused files name them that way: "PDF, PNG or JPG,
up to 10 MB". The MIME types stay in the `accept` attribute, where browsers want them.
"""

from __future__ import annotations

import mimetypes

from django.utils import formats
from django.utils.text import get_text_list

#: The names of the types forms declare, as citizens see them on their files. The names
#: of file formats are the same in every language the platform speaks.
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/jpg": "JPG",
    "image/pjpeg": "JPG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/heif": "HEIF",
    "image/webp": "WebP",
    "image/gif": "GIF",
    "image/tiff": "TIFF",
    "image/svg+xml": "SVG",
    "text/plain": "TXT",
    "text/csv": "CSV",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/json": "JSON",
    "application/zip": "ZIP",
    "application/rtf": "RTF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.presentation": "ODP",
}

MEGABYTE = 1024 * 1024


def type_name(content_type: str) -> str:
    """The name a citizen knows a file type by: "PDF" for application/pdf. A type not in
    the table gets its usual extension in capitals, and the MIME type itself only when
    not even an extension is known."""
    content_type = content_type.split(";")[0].strip().lower()
    if content_type in TYPE_NAMES:
        return TYPE_NAMES[content_type]
    extension = mimetypes.guess_extension(content_type)
    return extension.lstrip(".").upper() if extension else content_type


def type_names(content_types: list[str]) -> list[str]:
    """The names of the types, in the form author's order, each once (image/jpeg and
    image/jpg are both JPG)."""
    return list(dict.fromkeys(type_name(t) for t in content_types))


def types_display(content_types: list[str]) -> str:
    """The types as a list in the active language: "PDF, PNG or JPG" ("PDF, PNG eller JPG"
    in bokmål, with Django's own translation of "or")."""
    return str(get_text_list(type_names(content_types)))


def size_display(max_size_mb: float) -> str:
    """A size limit in megabytes as a citizen reads it: "10 MB", "2,5 MB" in bokmål, and
    in kilobytes below one megabyte ("512 KB"). The number is in the active language's
    format; the number and unit are kept together by a no-break space."""
    if max_size_mb >= 1:
        amount, unit = max_size_mb, "MB"
    else:
        amount, unit = max_size_mb * 1024, "KB"
    amount = round(amount, 1)
    number = formats.number_format(int(amount) if amount == int(amount) else amount)
    return f"{number}\N{NO-BREAK SPACE}{unit}"
