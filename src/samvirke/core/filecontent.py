"""Checking an uploaded file by its content, beyond its first bytes.

`filetype` finds a file's type from its signature, and a signature is a few bytes: a PNG
header followed by an HTML page, a picture that decodes to 16000×16000 pixels, or a PDF
that runs JavaScript when opened all pass it. `content_check` looks at the whole file:

- **images** are decoded in full with Pillow, after the size in their header is held
  against a pixel limit (`SAMVIRKE_UPLOAD_MAX_IMAGE_PIXELS`, so a decompression bomb is
  refused before it is unpacked); a PNG must end where its IEND chunk ends, and no image
  may carry HTML or script markup;
- **PDFs** are parsed with pypdf and every object reachable from the document is looked
  at: JavaScript (`/JS`, `/JavaScript` in the names tree or as an action, e.g. in
  `/OpenAction` or `/AA`), `/Launch` actions and embedded files (`/EmbeddedFiles`,
  `/EmbeddedFile`, file attachment annotations) are refused, and so is a PDF that cannot
  be parsed or opened (encrypted with a password);
- the **name and declared type** must agree with the content: a PNG called `photo.jpg`
  or sent as `image/jpeg` is refused, so that what the citizen, the case handler and the
  archive see under the file's name is what it is.

Each refusal is a `ContentRefused` with a `reason` (a `Reason`) and a translated message
naming the file; the apps map the reason to their own error codes. This module knows no
app: cases (`documents.uploads`) and organisations (agreement documents) use it.
"""

from __future__ import annotations

import enum
import io
import logging
import re
import struct
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

try:  # HEIC photos from phones; pillow-heif comes with Wagtail's image library
    import pillow_heif
except ImportError:  # pragma: no cover - without it HEIC files cannot be decoded
    pass
else:
    pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)

#: The default pixel limit: 50 megapixels (a 200 MB bitmap at most in memory).
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000
#: Objects looked at in one PDF, at most; a PDF with more is refused as unreadable.
MAX_PDF_OBJECTS = 200_000

IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp"}
    | {"image/heic", "image/heif"}
)
PDF_TYPE = "application/pdf"

#: The extensions a file of each type may have; a type not listed is not compared.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "image/tiff": {"tif", "tiff"},
    "image/bmp": {"bmp"},
    "image/heic": {"heic", "heif"},
    "image/heif": {"heic", "heif"},
    "text/plain": {"txt", "text", "log", "md"},
    "text/csv": {"csv"},
}
#: Declared types that say nothing (a client that does not know): not compared.
UNSPECIFIC_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/x-download",
        "application/force-download",
        "application/unknown",
    }
)
#: Other names for the same type, as browsers and systems send them.
TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "image/tif": "image/tiff",
    "image/x-tiff": "image/tiff",
    "image/x-ms-bmp": "image/bmp",
    "application/x-pdf": "application/pdf",
    "application/acrobat": "application/pdf",
    "image/heic-sequence": "image/heic",
    "image/heif-sequence": "image/heif",
}

_MARKUP = re.compile(
    rb"<\s*(?:html|head|body|script|iframe|object|embed|svg|meta|!doctype|\?php)[\s>/]",
    re.IGNORECASE,
)


class Reason(enum.Enum):
    """Why a file's content was refused."""

    NAME_MISMATCH = "name_mismatch"
    IMAGE_INVALID = "image_invalid"
    IMAGE_TOO_LARGE = "image_too_large"
    PDF_INVALID = "pdf_invalid"
    PDF_SCRIPT = "pdf_script"
    PDF_EMBEDDED_FILE = "pdf_embedded_file"


class ContentRefused(Exception):
    """A file whose content is refused: `reason` for the code, `message` for people."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def normalised_type(content_type: str) -> str:
    content_type = (content_type or "").split(";")[0].strip().lower()
    return TYPE_ALIASES.get(content_type, content_type)


def content_check(content: bytes, *, name: str, declared: str, found: str) -> None:
    """Checks `content`, of the type `found` from its signature, sent as `name` with the
    `declared` type; raises `ContentRefused`."""
    name_check(name=name, declared=declared, found=found)
    if found in IMAGE_TYPES:
        image_check(content, name=name, found=found)
    elif found == PDF_TYPE:
        pdf_check(content, name=name)


# --- name and declared type --------------------------------------------------------------


def name_check(*, name: str, declared: str, found: str) -> None:
    """The name's extension and the declared type must fit the type found."""
    found = normalised_type(found)
    extensions = EXTENSIONS.get(found)
    extension = name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""
    declared = normalised_type(declared)
    mismatch = (extensions is not None and extension and extension not in extensions) or (
        declared not in UNSPECIFIC_TYPES and declared != found
    )
    if mismatch:
        raise ContentRefused(
            Reason.NAME_MISMATCH,
            _(
                "“%(name)s” is not what its name or type says: its content is %(found)s. "
                "Save it with the right file type and upload it again."
            )
            % {"name": name, "found": _type_label(found)},
        )


def _type_label(content_type: str) -> str:
    return {
        "application/pdf": "PDF",
        "image/jpeg": "JPG",
        "image/png": "PNG",
        "image/gif": "GIF",
        "image/webp": "WebP",
        "image/tiff": "TIFF",
        "image/bmp": "BMP",
        "image/heic": "HEIC",
        "image/heif": "HEIF",
    }.get(content_type, content_type)


# --- images ------------------------------------------------------------------------------


def max_image_pixels() -> int:
    return int(getattr(settings, "SAMVIRKE_UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def image_check(content: bytes, *, name: str, found: str) -> None:
    """Decodes the whole image within the pixel limit; refuses markup in it and, for a
    PNG, anything after its end."""
    invalid = ContentRefused(
        Reason.IMAGE_INVALID,
        _(
            "“%(name)s” could not be read as a picture: it is damaged or holds more than "
            "the picture. Save the picture again and upload it again."
        )
        % {"name": name},
    )
    limit = max_image_pixels()
    too_large = ContentRefused(
        Reason.IMAGE_TOO_LARGE,
        _(
            "“%(name)s” is a picture of too many pixels (at most %(megapixels)s megapixels "
            "are accepted). Make it smaller and upload it again."
        )
        % {"name": name, "megapixels": max(limit // 1_000_000, 1)},
    )
    if _MARKUP.search(content):
        raise invalid
    if found == "image/png" and not _png_ends_at_iend(content):
        raise invalid
    if found == "image/webp" and not _riff_size_fits(content):
        raise invalid
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, about decompression bombs: our limit decides
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            _decode(content, limit=limit, too_large=too_large)
    except ContentRefused:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
        IndexError,
        TypeError,
        MemoryError,
    ) as error:
        logger.info("image refused: %s", type(error).__name__)
        raise invalid from None


def _decode(content: bytes, *, limit: int, too_large: ContentRefused) -> None:
    # Pillow's own guard (`Image.MAX_IMAGE_PIXELS`, an error at twice it) stays as it is
    # for the rest of the platform; the size in the header is held against our limit
    # before a pixel is decoded.
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1) or 1
            if width * height > limit or width * height * frames > 4 * limit:
                raise too_large
            image.verify()  # the structure (checksums of PNG chunks and the like)
        with Image.open(io.BytesIO(content)) as image:
            for frame in range(frames):
                if frame:
                    image.seek(frame)
                image.load()  # every pixel decoded: a truncated or faked body fails here
    except Image.DecompressionBombError:
        raise too_large from None


def _png_ends_at_iend(content: bytes) -> bool:
    position = 8
    while position + 8 <= len(content):
        (length,) = struct.unpack(">I", content[position : position + 4])
        kind = content[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position == len(content)
    return False


def _riff_size_fits(content: bytes) -> bool:
    if len(content) < 12:
        return False
    (size,) = struct.unpack("<I", content[4:8])
    return size + 8 == len(content)


# --- PDFs --------------------------------------------------------------------------------


_SCRIPT_ACTIONS = {"/JavaScript", "/Launch"}
_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile"}


def pdf_check(content: bytes, *, name: str) -> None:
    """Parses the PDF and refuses JavaScript, launch actions and embedded files."""
    invalid = ContentRefused(
        Reason.PDF_INVALID,
        _(
            "“%(name)s” could not be read as a PDF: it is damaged or protected by a "
            "password. Save it again as a PDF (for example with “Print to PDF”) and upload "
            "it again."
        )
        % {"name": name},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise invalid
            root = reader.trailer["/Root"].get_object()
            if not isinstance(root, DictionaryObject):
                raise invalid
            len(reader.pages)  # the page tree is there and readable
            finding = _pdf_finding(reader.trailer)
    except ContentRefused:
        raise
    except (PdfReadError, Exception) as error:  # pypdf raises many kinds on a broken file
        logger.info("PDF refused: %s", type(error).__name__)
        raise invalid from None
    if finding == Reason.PDF_SCRIPT:
        raise ContentRefused(
            Reason.PDF_SCRIPT,
            _(
                "“%(name)s” contains JavaScript or an action that starts a program, which "
                "is not accepted in a PDF. Save it again as a PDF without them (for example "
                "with “Print to PDF”) and upload it again."
            )
            % {"name": name},
        )
    if finding == Reason.PDF_EMBEDDED_FILE:
        raise ContentRefused(
            Reason.PDF_EMBEDDED_FILE,
            _(
                "“%(name)s” has other files embedded in it, which is not accepted. Upload "
                "those files on their own, and the PDF without them."
            )
            % {"name": name},
        )


def _pdf_finding(trailer) -> Reason | None:
    """The first thing refused among the objects reachable from the trailer, or None."""
    stack = [trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    embedded = False
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            keys = set(item.keys())
            if keys & _SCRIPT_KEYS:
                return Reason.PDF_SCRIPT
            if item.get("/S") in _SCRIPT_ACTIONS:
                return Reason.PDF_SCRIPT
            if keys & _EMBEDDED_KEYS or item.get("/Type") in _EMBEDDED_KEYS:
                embedded = True
            if item.get("/Subtype") == NameObject("/FileAttachment"):
                embedded = True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return Reason.PDF_EMBEDDED_FILE if embedded else None
