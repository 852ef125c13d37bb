"""Uploads checked by their whole content (samvirke.core.filecontent): pictures decoded
within a pixel limit, PDFs parsed and refused with scripts or embedded files, names and
declared types that agree with the content. The files are made by the tests."""

from __future__ import annotations

import pytest
from django.utils import translation

from samvirke.core import filecontent
from samvirke.core.filecontent import ContentRefused, Reason
from samvirke.core.tests import files


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(content: bytes, name: str, declared: str, found: str) -> None:
    filecontent.content_check(content, name=name, declared=declared, found=found)


def refused(content: bytes, name: str, declared: str, found: str) -> ContentRefused:
    with pytest.raises(ContentRefused) as error:
        check(content, name, declared, found)
    return error.value


def test_real_pictures_and_pdfs_pass():
    check(files.png(), "a.png", "image/png", "image/png")
    check(files.jpeg(), "a.jpg", "image/jpeg", "image/jpeg")
    check(files.jpeg(), "a.JPEG", "image/pjpeg", "image/jpeg")
    check(files.pdf(), "a.pdf", "application/pdf", "application/pdf")
    check(files.pdf_goto_open_action(), "a.pdf", "application/pdf", "application/pdf")


def test_a_png_header_followed_by_html_is_refused():
    error = refused(files.png_header_then_html(), "hull.png", "image/png", "image/png")
    assert error.reason == Reason.IMAGE_INVALID
    assert error.message.startswith("“hull.png” could not be read as a picture")


def test_a_real_picture_with_html_after_it_is_refused():
    assert (
        refused(files.png_then_html(), "a.png", "image/png", "image/png").reason
        == Reason.IMAGE_INVALID
    )


def test_a_truncated_picture_is_refused():
    content = files.jpeg(64, 64)
    error = refused(content[: len(content) // 2], "a.jpg", "image/jpeg", "image/jpeg")
    assert error.reason == Reason.IMAGE_INVALID


def test_a_16000_by_16000_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = files.decompression_bomb()
    assert len(bomb) < 1_000_000  # small on the wire
    error = refused(bomb, "bomb.png", "image/png", "image/png")
    assert error.reason == Reason.IMAGE_TOO_LARGE
    assert "at most 50 megapixels" in error.message


def test_the_pixel_limit_is_a_setting(settings):
    settings.SAMVIRKE_UPLOAD_MAX_IMAGE_PIXELS = 100
    assert (
        refused(files.png(20, 20), "a.png", "image/png", "image/png").reason
        == Reason.IMAGE_TOO_LARGE
    )
    check(files.png(10, 10), "a.png", "image/png", "image/png")


@pytest.mark.parametrize(
    "make",
    [
        files.pdf_open_action_javascript,
        files.pdf_names_tree_javascript,
        files.pdf_page_additional_action_javascript,
        files.pdf_launch_action,
    ],
    ids=lambda make: make.__name__,
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(make):
    error = refused(make(), "skjema.pdf", "application/pdf", "application/pdf")
    assert error.reason == Reason.PDF_SCRIPT
    assert error.message.startswith("“skjema.pdf” contains JavaScript")


def test_a_pdf_with_an_embedded_file_is_refused():
    error = refused(files.pdf_embedded_file(), "a.pdf", "application/pdf", "application/pdf")
    assert error.reason == Reason.PDF_EMBEDDED_FILE
    assert "embedded" in error.message


@pytest.mark.parametrize(
    "make", [files.pdf_broken, files.pdf_encrypted], ids=lambda make: make.__name__
)
def test_a_pdf_that_cannot_be_parsed_or_opened_is_refused(make):
    error = refused(make(), "a.pdf", "application/pdf", "application/pdf")
    assert error.reason == Reason.PDF_INVALID


@pytest.mark.parametrize(
    ("name", "declared"),
    [("bilde.jpg", "image/png"), ("bilde.png", "image/jpeg"), ("bilde.pdf", "")],
)
def test_the_name_and_declared_type_must_agree_with_the_content(name, declared):
    error = refused(files.png(), name, declared, "image/png")
    assert error.reason == Reason.NAME_MISMATCH
    assert "its content is PNG" in error.message


@pytest.mark.parametrize(
    ("name", "declared"), [("bilde", "application/octet-stream"), ("bilde.png", "")]
)
def test_a_name_without_extension_or_a_type_that_says_nothing_is_not_compared(name, declared):
    check(files.png(), name, declared, "image/png")


@pytest.mark.parametrize("language", ["nb", "nn", "sv"])
def test_the_messages_are_translated(language):
    with translation.override(language):
        error = refused(files.pdf_open_action_javascript(), "a.pdf", "", "application/pdf")
        picture = refused(files.png_then_html(), "a.png", "", "image/png")
    assert "JavaScript" in error.message and "a.pdf" in error.message
    assert not error.message.startswith("“a.pdf” contains JavaScript or an action")
    assert "a.png" in picture.message
    assert not picture.message.startswith("“a.png” could not be read as a picture")
