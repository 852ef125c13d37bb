"""The register of cooperation in a real browser: the public page at /cooperation/ (with
and without JavaScript, checked with axe-core) and the back-office register with its CSV
export."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PPT = "PPT for Spydeberg, Skiptvet og Hobøl"


def check_public_register(page) -> None:
    page.goto("/cooperation/")
    assert page.locator("h1").count() == 1
    row = page.locator("tr", has=page.get_by_role("link", name=PPT, exact=True))
    assert row.locator(".arrangement-host").inner_text() == "Spydeberg kommune"
    participants = row.locator(".arrangement-participants").inner_text()
    for name in ("Spydeberg kommune", "Skiptvet kommune", "Hobøl kommune"):
        assert name in participants
    assert page.get_by_role("link", name="Smaalensveven", exact=True).count() == 1
    assert page.get_by_text("sak-/arkivsystem").count() == 0  # not public
    # the matrix: a caption, and drill down from a cell to the arrangement
    assert page.locator("table caption").first.is_visible()
    page.locator('a[href="/cooperation/register/spydeberg/ppt/"]').click()
    page.get_by_role("link", name=PPT, exact=True).click()
    expect(page.locator("h1")).to_have_text(PPT)
    assert page.get_by_role("rowheader", name="Hobøl kommune").count() == 1


def test_public_register_shows_arrangements_and_is_accessible(page, e2e_demo):
    check_public_register(page)
    assert_accessible(page)
    page.goto("/cooperation/")
    assert_accessible(page)
    screenshot(page, "public-register")


def test_public_register_works_without_javascript(nojs_page, e2e_demo):
    check_public_register(nojs_page)
    nojs_page.goto("/cooperation/arrangements/spydeberg-sak-arkiv/")
    assert nojs_page.locator("h1").count() == 1  # the 404 page


def test_coordinator_opens_register_in_back_office_and_downloads_csv(
    page, e2e_demo, live_server, client, login
):
    from django.contrib.auth.models import Permission

    from samvirke.accounts.models import User

    user = User.objects.get(username="region.koordinator")
    if not user.has_perm("wagtailadmin.access_admin"):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    login(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/admin/cooperation/register/")
    expect(page.locator("#register-caption")).to_be_visible()
    spydeberg_row = page.locator("tbody tr", has=page.locator("th", has_text="Spydeberg kommune"))
    assert spydeberg_row.locator("a").count() > 0
    screenshot(page, "admin-register")

    with page.expect_download() as download_info:
        page.locator('a[href$="/register/export.csv"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        body = handle.read()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    ppt = [r for r in rows if r[0] == PPT]
    assert {r[5] for r in ppt} == {"Spydeberg kommune", "Skiptvet kommune", "Hobøl kommune"}
    assert {r[3] for r in ppt} == {"Spydeberg kommune"}

    # the drill-down leads to the arrangement's detail page in the back office
    spydeberg_row.locator('a[href$="/ppt/"]').click()
    page.get_by_role("link", name=PPT, exact=True).click()
    expect(page.locator("#participants-heading")).to_be_visible()
    screenshot(page, "admin-arrangement")
    assert page.locator("h1", has_text=PPT).count() == 1
    assert page.get_by_text("Hobøl kommune").first.is_visible()
