"""A neighbour answers a building application's notice in Chromium: opens the personal
link, reads the application and a plan, and objects, with JavaScript and without; the
page passes axe-core. The applicant then sees the objection on the status page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from samvirke.neighbours.models import Answer, NeighbourNotification
from samvirke.neighbours.tests.factories import (
    APPLICANT_ID,
    APPLICANT_NAME,
    applicant,
    building_application,
    form_with_contacts,
)

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://[^\s]+(/neighbour-notice/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/)")


def _notice_path() -> tuple[NeighbourNotification, str]:
    from types import SimpleNamespace

    from samvirke.accounts.models import User
    from samvirke.organisations.models import Organisation

    demo = SimpleNamespace(
        org={o.slug: o for o in Organisation.objects.all()},
        user={u.username: u for u in User.objects.all()},
    )
    mail.outbox.clear()
    # transactional database: the notices go out when the submit commits
    submission = building_application(demo, applicant(), version=form_with_contacts(demo))
    notice = next(m for m in mail.outbox if "kari.nabo@example.invalid" in m.to)
    return submission.neighbour_notification, LINK.search(notice.body).group(1)


def test_a_neighbour_reads_the_plans_and_objects(page, e2e_demo):
    notification, path = _notice_path()
    page.goto(path)
    main = page.locator("main")
    assert APPLICANT_NAME in main.inner_text()
    assert APPLICANT_ID not in page.content()
    assert_accessible(page)
    screenshot(page, "neighbour-notice")
    # a plan opens through the link
    href = page.get_by_role("link", name="fasadetegning.pdf").get_attribute("href")
    plan = page.request.get(href)
    assert plan.status == 200 and plan.body().startswith(b"%PDF")
    # sending an objection without saying why gives a linked error
    page.locator("#answer-objection").check()
    page.get_by_role("button", name=re.compile("Send|Send the answer")).click()
    summary = page.locator(".ds-error-summary")
    summary.wait_for()
    assert_accessible(page)
    screenshot(page, "neighbour-notice-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "answer-text"
    page.locator("#answer-text").fill("Garasjen blir for høy og tar kveldssola fra terrassen vår.")
    page.locator("#answer-objection").check()
    page.get_by_role("button", name=re.compile("Send|Send the answer")).click()
    page.locator(".ds-alert[data-color='success']").first.wait_for()
    assert_accessible(page)
    screenshot(page, "neighbour-notice-answered")
    kari = notification.neighbours.get(name="Kari Nabo")
    assert kari.answer == Answer.OBJECTION
    assert "kveldssola" in kari.answer_text


def test_the_neighbour_page_works_without_javascript(nojs_page, e2e_demo):
    notification, path = _notice_path()
    page = nojs_page
    page.goto(path)
    page.locator("#answer-comment").check()
    page.locator("#answer-text").fill("Ingen innvendinger.")
    page.get_by_role("button", name=re.compile("Send|Send the answer")).click()
    page.wait_for_url(re.compile(r"/neighbour-notice/"))
    assert page.locator(".ds-alert[data-color='success']").count() >= 1
    kari = notification.neighbours.get(name="Kari Nabo")
    assert kari.answer == Answer.COMMENT
    # a wrong link is a plain 404
    response = page.goto(path.replace(".", ".x", 1))
    assert response.status == 404
