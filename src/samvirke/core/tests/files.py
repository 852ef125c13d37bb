"""Files for the upload content tests, made when a test runs (no binaries in the
repository): pictures with Pillow, PDFs with pypdf, each with the trick to be refused."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(width: int = 8, height: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 8, height: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 200, 30)).save(out, "JPEG")
    return out.getvalue()


def png_header_then_html() -> bytes:
    """What `filetype` takes for a PNG: the signature, then a web page."""
    return b"\x89PNG\r\n\x1a\n" + HTML


def png_then_html() -> bytes:
    """A real picture with a web page after its end (a polyglot)."""
    return png() + HTML


def decompression_bomb(side: int = 16000) -> bytes:
    """A few tens of kilobytes that decode to side × side pixels (256 million)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG", optimize=True)
    return out.getvalue()


def _pdf(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(text: str) -> NameObject:
    return NameObject(text)


def _javascript_action(writer: PdfWriter):
    return writer._add_object(
        DictionaryObject(
            {
                _name("/S"): _name("/JavaScript"),
                _name("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )


def pdf() -> bytes:
    return _pdf()


def pdf_open_action_javascript() -> bytes:
    def change(writer):
        writer._root_object[_name("/OpenAction")] = _javascript_action(writer)

    return _pdf(change)


def pdf_names_tree_javascript() -> bytes:
    def change(writer):
        names = DictionaryObject(
            {_name("/Names"): ArrayObject([TextStringObject("hello"), _javascript_action(writer)])}
        )
        writer._root_object[_name("/Names")] = DictionaryObject({_name("/JavaScript"): names})

    return _pdf(change)


def pdf_page_additional_action_javascript() -> bytes:
    """JavaScript run when the first page opens (`/AA` `/O` on the page)."""

    def change(writer):
        page = writer.pages[0]
        page[_name("/AA")] = DictionaryObject({_name("/O"): _javascript_action(writer)})

    return _pdf(change)


def pdf_launch_action() -> bytes:
    def change(writer):
        writer._root_object[_name("/OpenAction")] = DictionaryObject(
            {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe")}
        )

    return _pdf(change)


def pdf_embedded_file() -> bytes:
    def change(writer):
        writer.add_attachment("payload.exe", b"MZ\x90\x00 not really a program")

    return _pdf(change)


def pdf_goto_open_action() -> bytes:
    """A harmless open action: show the first page. Accepted."""

    def change(writer):
        page = writer.pages[0].indirect_reference
        writer._root_object[_name("/OpenAction")] = ArrayObject([page, _name("/Fit")])

    return _pdf(change)


def pdf_encrypted() -> bytes:
    def change(writer):
        writer.encrypt(user_password="secret", owner_password="owner")

    return _pdf(change)


def pdf_broken() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + b"\x00garbage" * 40
