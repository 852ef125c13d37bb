"""What a file question tells a citizen: the file types by the names on their files
("PDF, PNG or JPG") and the size limit in readable units, never the MIME types the
definition declares; and the steps a citizen goes through, the review page counted."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from samvirke.eservices.demo import library_documents
from samvirke.eservices.engine import REVIEW_STEP_TITLE, step_render, step_titles
from samvirke.eservices.engine.file_types import size_display, type_name, types_display
from samvirke.eservices.engine.rendering import file_limits_text
from samvirke.eservices.tests.definitions import definition, field, single

BUILDING_DRAWINGS = {
    "max_size_mb": 10,
    "allowed_types": ["application/pdf", "image/png", "image/jpeg"],
}


def visible_text(html: str) -> str:
    """The text a citizen reads: without tags (and so without the `accept` attribute)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_types_are_named_as_on_the_citizens_files():
    assert type_name("application/pdf") == "PDF"
    assert type_name("image/jpeg") == type_name("image/jpg") == "JPG"
    assert type_name("image/heic") == "HEIC"
    assert type_name("application/pdf; charset=binary") == "PDF"
    # a type the table does not know is named by its usual extension
    assert type_name("application/epub+zip") == "EPUB"
    with translation.override("en"):
        assert types_display(["application/pdf", "image/png", "image/jpeg"]) == "PDF, PNG or JPG"
        assert types_display(["image/jpeg", "image/jpg"]) == "JPG"  # each name once
        assert types_display(["application/pdf"]) == "PDF"


def test_the_list_of_types_is_in_the_citizens_language():
    # "or" comes from Django's own catalogues, which have bokmål, nynorsk and Swedish
    with translation.override("nb"):
        assert types_display(BUILDING_DRAWINGS["allowed_types"]) == "PDF, PNG eller JPG"
    with translation.override("sv"):
        assert types_display(BUILDING_DRAWINGS["allowed_types"]) == "PDF, PNG eller JPG"


@pytest.mark.parametrize(
    "max_size_mb, nb, en",
    [
        (10, "10\xa0MB", "10\xa0MB"),
        (10.0, "10\xa0MB", "10\xa0MB"),
        (2.5, "2,5\xa0MB", "2.5\xa0MB"),
        (0.5, "512\xa0KB", "512\xa0KB"),
    ],
)
def test_sizes_are_readable_in_the_language(max_size_mb, nb, en):
    with translation.override("nb"):
        assert size_display(max_size_mb) == nb
    with translation.override("en"):
        assert size_display(max_size_mb) == en


def test_the_hint_names_types_and_size_not_mime_types():
    with translation.override("en"):
        assert (
            file_limits_text(BUILDING_DRAWINGS) == "You can attach PDF, PNG or JPG, up to 10\xa0MB."
        )
        several = file_limits_text({**BUILDING_DRAWINGS, "multiple": True, "max_files": 5})
    assert several == "You can attach at most 5 files: PDF, PNG or JPG, up to 10\xa0MB each."


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_file_question_shows_the_hint_and_describes_the_input_with_it(language):
    form = single(field("drawings", "file", required=True, files=BUILDING_DRAWINGS))
    html = step_render(form, step_index=0, language=language)
    text = visible_text(html)
    assert "application/" not in text and "image/" not in text
    assert re.search(r"PDF, PNG (eller|or) JPG, (inntil|up to) 10\s?MB", text), text
    # the browser still gets the MIME types, and screen readers the hint with the input
    assert 'accept="application/pdf,image/png,image/jpeg"' in html
    hint = re.search(r'<p[^>]*id="([^"]+)"[^>]*>[^<]*PDF, PNG', html)
    assert hint, html
    input_tag = re.search(r'<input[^>]*type="file"[^>]*>', html).group(0)
    assert f'aria-describedby="{hint.group(1)}"' in input_tag


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_no_shipped_form_shows_a_mime_type_to_citizens(language):
    for document in library_documents():
        name, form = document["slug"], document["definition"]
        for index in range(len(form["steps"])):
            text = visible_text(step_render(form, step_index=index, language=language))
            assert not re.search(r"\b(application|image|text)/[a-z]", text), (name, index)


def test_the_review_page_is_the_last_step():
    form = definition([field("a", "text")], [field("b", "text")])
    assert step_titles(form, language="en") == ["Step 1", "Step 2", "Check your answers and send"]
    nb = step_titles(form, language="nb")
    assert nb[:2] == ["Steg 1", "Steg 2"]
    with translation.override("nb"):
        assert nb[2] == str(REVIEW_STEP_TITLE)
