"""A regional coordinator authors a form in the back office, in Chromium: opens the form
library, saves a definition with an error (sees it, the text kept), fixes it, previews
the form as citizens see it (checked with axe-core) and exports it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_edits_previews_and_exports_a_form(page, e2e_demo, live_server, client, login):
    from samvirke.accounts.models import User
    from samvirke.eservices.models import FormDefinition

    user = User.objects.get(username="region.koordinator")
    login(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    form = FormDefinition.objects.get(slug="melding-til-kommunen")

    # the form library lists the shipped forms
    page.goto("/admin/e-services/forms/")
    link = page.locator(f'a[href="/admin/e-services/forms/{form.pk}/"]')
    expect(link).to_be_visible()
    screenshot(page, "admin-form-library")
    link.click()

    # a definition with an error: the problem is listed by pointer, the text is kept
    editor = page.locator("#id_definition")
    definition = json.loads(editor.input_value())
    definition["steps"][0]["fields"][1]["key"] = "topic"  # the next field's key
    broken = json.dumps(definition, ensure_ascii=False, indent=2)
    editor.fill(broken)
    page.locator("#save-definition").click()
    problems = page.locator("#problems")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("/steps/0/fields/2/key")
    assert page.locator("#id_definition").input_value() == broken
    screenshot(page, "admin-form-editor-error")
    assert form.versions.count() == 1

    # fixed: a new version is saved
    definition["steps"][0]["fields"][1]["key"] = "subject"
    definition["title"]["en"] = "Message to your municipality"
    page.locator("#id_definition").fill(json.dumps(definition, ensure_ascii=False, indent=2))
    page.locator("#save-definition").click()
    expect(page.locator("#problems")).to_have_count(0)
    assert form.versions.count() == 2

    # the preview, as citizens see it: an accessible page with the form's first step
    page.locator("#preview-definition").click()
    page.wait_for_url(f"**/admin/e-services/forms/{form.pk}/preview/")
    expect(page.locator("h1")).to_have_text(definition["title"]["nb"])
    expect(page.locator("#field-subject")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "form-preview")
    # submitting the empty step shows the error summary, still accessible
    page.locator("button[value=next]").click()
    expect(page.locator(".ds-error-summary a[href='#field-subject']")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "form-preview-errors")

    # export: one JSON file with the metadata and the latest version
    page.goto(f"/admin/e-services/forms/{form.pk}/")
    with page.expect_download() as download_info:
        page.locator(f'a[href$="/forms/{form.pk}/export.json"]').click()
    download = download_info.value
    assert download.suggested_filename == "melding-til-kommunen.json"
    with open(download.path(), encoding="utf-8") as handle:
        exported = json.load(handle)
    assert exported["version"] == 2 and exported["slug"] == "melding-til-kommunen"
    assert exported["definition"]["title"]["en"] == "Message to your municipality"


def test_preview_works_without_javascript(nojs_page, e2e_demo, live_server, client, login):
    """Steps, "add another" in a repeating group and the review, with JavaScript off."""
    from samvirke.accounts.models import User
    from samvirke.eservices.models import FormDefinition

    page = nojs_page
    login(client, User.objects.get(username="askim.admin"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    form = FormDefinition.objects.get(slug="byggesoknad")
    preview = f"/admin/e-services/forms/{form.pk}/preview/"
    page.goto(preview)
    # a conditional field appears only after its answer is sent
    assert page.locator("#field-company_number").count() == 0
    page.locator("#field-on_behalf_of_company-yes").check()
    page.locator("button[value=next]").click()
    assert page.locator("#field-company_number").count() == 1
    # asked first, not scolded: the other empty fields have errors, the new one not yet
    assert page.locator(".ds-error-summary a[href='#field-applicant_email']").count() == 1
    assert page.locator(".ds-error-summary a[href='#field-company_number']").count() == 0

    # the neighbours step: one row, then "add another" gives a second, values kept
    page.goto(preview + "?step=3")
    page.locator("#field-neighbours-0-name").fill("Ola Nabo")
    page.locator("button[value='_add:neighbours']").click()
    assert page.locator("#field-neighbours-0-name").input_value() == "Ola Nabo"
    assert page.locator("#field-neighbours-1-name").count() == 1
    screenshot(page, "form-preview-nojs-neighbours")
