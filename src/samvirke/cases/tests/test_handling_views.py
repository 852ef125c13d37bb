"""The back-office inbox and case page: filters, search, paging with a constant number of
queries, the case page's actions, audited reads, and 404 for other municipalities' cases."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.handling import services as handling
from samvirke.cases.models import Outcome
from samvirke.cases.tests.factories import INBOX_APPLICANT, new_case

pytestmark = pytest.mark.django_db

INBOX = reverse("samvirke_case_handling:inbox")
NAME = INBOX_APPLICANT


def case_url(case) -> str:
    return reverse("samvirke_case_handling:case", args=[case.pk])


def listed(response) -> list[str]:
    return re.findall(r'href="/admin/cases/(\d+)/"', response.content.decode())


@pytest.fixture
def askim(client, demo, login):
    login(client, demo.user["askim.saksbehandler"])
    return client


# ------------------------------------------------------------ the inbox


def test_only_case_handlers_get_the_inbox(client, demo, login):
    login(client, demo.user["askim.redaktor"])
    response = client.get(INBOX)
    # Wagtail's admin answers a PermissionDenied with a redirect to its dashboard
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert INBOX not in client.get("/admin/").content.decode()


def test_the_inbox_shows_own_cases_only(askim, demo):
    own = new_case(demo, title="Askims egen sak")
    other = new_case(demo, "skiptvet", title="Skiptvets sak")
    response = askim.get(INBOX, {"q": "sak"})
    assert response.status_code == 200
    assert str(own.pk) in listed(response)
    assert str(other.pk) not in listed(response)
    assert "Case inbox" in response.content.decode() or "Saksinnboks" in response.content.decode()


def test_filters_and_search(askim, demo):
    handler = demo.user["askim.saksbehandler"]
    overdue = new_case(demo, title="Gammel melding om brøyting", days_ago=40)
    waiting = new_case(demo, title="Melding om hull i veien")
    handling.message_to_applicant(waiting, "Hvor er hullet?", handler, requests_information=True)
    mine = new_case(demo, title="Melding om søppel")
    handling.case_assign(mine, handler, handler)
    closed = new_case(demo, title="Melding om lekeplass")
    handling.case_close(closed, handler)
    building = new_case(demo, form="byggesoknad", title="Byggesøknad for bod")

    def shown(**params):
        return set(listed(askim.get(INBOX, params)))

    ids = {c: str(c.pk) for c in (overdue, waiting, mine, closed, building)}
    assert ids[overdue] in shown(deadline="overdue")
    assert ids[waiting] not in shown(deadline="overdue")
    assert ids[waiting] in shown(deadline="paused")
    assert ids[mine] in shown(assignee="me") and ids[overdue] not in shown(assignee="me")
    assert ids[overdue] in shown(assignee="none")
    assert ids[closed] not in shown()  # closed cases are out of the way by default
    assert ids[closed] in shown(status="closed")
    assert ids[closed] in shown(status="all", q="lekeplass")
    assert shown(q="hull i veien") == {ids[waiting]}
    assert shown(q=overdue.reference) == {ids[overdue]}
    assert shown(q=str(overdue.sequence)) >= {ids[overdue]}
    assert ids[building] in shown(form=building.offering.form_id)
    assert ids[overdue] not in shown(form=building.offering.form_id)
    assert ids[building] in shown(unit=building.handling_unit_id)
    assert ids[overdue] not in shown(unit=building.handling_unit_id)


def test_overdue_rows_say_so_in_words(askim, demo):
    case = new_case(demo, title="Svært gammel melding", days_ago=60)
    # counted in local days: 60 days ago may be 59 or 60 calendar days ago here
    late = (timezone.localdate() - case.deadline).days
    assert late in (38, 39, 40)
    body = askim.get(INBOX, {"q": "Svært gammel"}).content.decode()
    assert "samvirke-row--overdue" in body
    assert re.search(rf"(Overdue by {late}|{late} dager over fristen)", body)


def test_a_bad_filter_value_is_an_error_not_a_crash(askim, demo):
    response = askim.get(INBOX, {"unit": "nonsense", "deadline": "soon-ish"})
    assert response.status_code == 200
    assert "samvirke-error-summary" in response.content.decode()


def test_the_inbox_is_paged_with_a_constant_number_of_queries(askim, demo):
    for index in range(3):
        new_case(demo, title=f"Telling {index}", days_ago=index)
    with CaptureQueriesContext(connection) as few:
        response = askim.get(INBOX, {"q": "Telling"})
    assert len(listed(response)) == 3

    handler = demo.user["askim.saksbehandler"]
    for index in range(3, 60):
        case = new_case(demo, title=f"Telling {index}", days_ago=index % 50)
        if index % 2:
            handling.case_assign(case, handler, handler)
    with CaptureQueriesContext(connection) as many:
        response = askim.get(INBOX, {"q": "Telling"})
    assert len(listed(response)) == 50
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert "p=2" in response.content.decode()
    second = askim.get(INBOX, {"q": "Telling", "p": 2})
    assert len(listed(second)) == 10


# ------------------------------------------------------------ the case page


def test_the_case_page_is_an_audited_read(askim, demo):
    case = new_case(demo)
    response = askim.get(case_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body and NAME in body
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_another_municipalitys_case_is_a_404(client, demo, login):
    skiptvet_case = new_case(demo, "skiptvet")
    login(client, demo.user["askim.saksbehandler"])
    assert client.get(case_url(skiptvet_case)).status_code == 404
    assert client.post(case_url(skiptvet_case), {"_action": "close"}).status_code == 404
    skiptvet_case.refresh_from_db()
    assert skiptvet_case.status == "received"


def test_a_ppt_referral_is_seen_by_the_host_and_not_by_the_owner(client, demo, login):
    referral = new_case(demo, "skiptvet", "henvisning-ppt", f"Henvisning til PPT – {NAME}")
    login(client, demo.user["skiptvet.saksbehandler"])
    assert client.get(case_url(referral)).status_code == 404
    login(client, demo.user["spydeberg.ppt"])
    body = client.get(case_url(referral)).content.decode()
    assert "Skiptvet" in body and referral.via_arrangement.name in body


def test_take_the_case_and_ask_for_information(askim, demo):
    case = new_case(demo)
    response = askim.post(case_url(case), {"_action": "assign_me"})
    assert response.status_code == 302
    response = askim.post(
        case_url(case),
        {
            "_action": "message",
            "message-body": "Kan du sende et bilde?",
            "message-requests_information": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == demo.user["askim.saksbehandler"]
    assert case.status == "awaiting_information" and case.paused_at is not None
    body = askim.get(case_url(case)).content.decode()
    assert "Kan du sende et bilde?" in body


def test_an_empty_message_keeps_the_page_with_an_error(askim, demo):
    case = new_case(demo)
    response = askim.post(
        case_url(case),
        {
            "_action": "decide",
            "decide-outcome": "granted",
            "decide-text": "",
            "decide-legal_basis": "Fvl.",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "samvirke-error-summary" in body and 'value="Fvl."' in body
    assert not case.journal_entries.exists()


def test_a_note_a_status_change_a_decision_and_the_letter(askim, demo):
    case = new_case(demo)
    url = case_url(case)
    assert askim.post(url, {"_action": "note", "note-note": "Intern merknad"}).status_code == 302
    response = askim.post(url, {"_action": "status", "status-status": "in_progress"})
    assert response.status_code == 302
    response = askim.post(url, {"_action": "status", "status-status": "decided"})
    assert response.status_code == 400  # not a choice: deciding needs a letter
    response = askim.post(
        url,
        {
            "_action": "decide",
            "decide-outcome": Outcome.GRANTED,
            "decide-text": "Vi setter opp benken.",
            "decide-legal_basis": "Kommuneloven",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided"
    letter = case.decision.letter
    download = reverse("samvirke_case_handling:case_document", args=[case.pk, letter.pk])
    body = askim.get(url).content.decode()
    assert download in body and "Intern merknad" in body
    response = askim.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.document", object_id=str(letter.pk)
    ).exists()
    assert askim.post(url, {"_action": "close"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_a_document_of_another_case_is_a_404(client, demo, login):
    handler = demo.user["skiptvet.saksbehandler"]
    theirs = new_case(demo, "skiptvet")
    decision = handling.case_decide(theirs, Outcome.GRANTED, "Ja.", handler)
    own = new_case(demo)
    login(client, demo.user["askim.saksbehandler"])
    for case_id in (own.pk, theirs.pk):
        url = reverse("samvirke_case_handling:case_document", args=[case_id, decision.letter.pk])
        assert client.get(url).status_code == 404


def test_the_menu_shows_the_inbox_to_handlers(client, demo, login):
    login(client, demo.user["askim.saksbehandler"])
    assert INBOX in client.get("/admin/").content.decode()
