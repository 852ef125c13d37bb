"""Screening decided by the case handler: screening and lifting the screening of a journal
entry and of a case (services: what the public title hides, the checks, who may, the audit
log and the timeline), the screening pages (404 for another municipality's case, errors
that keep what was typed) and what the public journal then shows."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import CaseEvent, EntryType, JournalEntry, ServiceOffering
from samvirke.cases.public_journal.selectors import public_entry
from samvirke.cases.screening import selectors as screening_selectors
from samvirke.cases.screening import services as screening
from samvirke.cases.screening.bases import (
    BUSINESS_SECRETS,
    CHILD_WELFARE,
    PERSONAL_CIRCUMSTANCES,
    SCREENING_BASES,
    screening_basis_get,
)

pytestmark = pytest.mark.django_db

NAME = "Kari Testesen (testperson)"
THIRD = "Per Nabosen"
TITLE = f"Byggesøknad for garasje i Storgata 1 – {NAME}"


def open_case(demo, municipality="askim", form="byggesoknad", title=TITLE):
    """An unscreened case with the application (I) and a letter to a third person (U)."""
    offering = ServiceOffering.objects.select_related("form", "case_type").get(
        organisation=demo.org[municipality], form__slug=form
    )
    case = case_open(
        offering=offering,
        route=route_for(offering, {}),
        title=title,
        protected=[NAME],
        applicant_name=NAME,
        applicant_email="kari@example.invalid",
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=title,
        protected=[NAME],
        parties=[{"role": "sender", "name": NAME, "kind": "person"}],
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.OUTGOING,
        title=f"Brev til {THIRD} – {title}",
        parties=[{"role": "recipient", "name": THIRD, "kind": "person"}],
    )
    return case


def entry(case, number: int) -> JournalEntry:
    return case.journal_entries.get(number_in_case=number)


def field_code(error: pytest.ExceptionInfo, field: str) -> str:
    return error.value.error_dict[field][0].code


# ------------------------------------------------------------ the code list


def test_the_code_list_holds_short_correct_references():
    codes = [basis.code for basis in SCREENING_BASES]
    assert len(codes) == len(set(codes)) and 4 <= len(codes) <= 10
    assert PERSONAL_CIRCUMSTANCES == "Offl. § 13, jf. fvl. § 13 første ledd nr. 1"
    assert CHILD_WELFARE == "Offl. § 13, jf. bvl. § 13-1"
    # every § 13 code names the act laying down the duty of confidentiality
    assert all(", jf. " in c for c in codes if c.startswith("Offl. § 13"))
    assert screening_basis_get(" Offl. § 26 femte ledd ").code == "Offl. § 26 femte ledd"
    assert screening_basis_get("Offl. § 99") is None


# ------------------------------------------------------------ journal entries


def test_screening_an_entry_hides_the_applicants_name_and_extra_words(demo):
    # given an unscreened building application in Askim
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    application = entry(case, 1)
    assert not application.is_screened and NAME in public_entry(application).title

    # when the handler screens the application, hiding the address too
    screening.journal_entry_screen(
        entry=application,
        basis=PERSONAL_CIRCUMSTANCES,
        extra_words=["storgata 1"],  # any capitals
        actor=handler,
    )

    # then its public title hides the name and the address, and its parties are hidden
    application.refresh_from_db()
    assert application.screening_basis == PERSONAL_CIRCUMSTANCES
    assert application.public_title == "Byggesøknad for garasje i ***** – *****"
    assert application.title == TITLE  # kept internally
    shown = public_entry(application)
    assert shown.screened and shown.parties == () and NAME not in shown.title
    # the case and the other entry are as they were
    case.refresh_from_db()
    assert case.screening_basis == "" and case.public_title == TITLE
    assert not entry(case, 2).is_screened

    # the audit log has the change (for the archive's change log); the timeline an
    # internal event
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="cases.journalentry", object_id=str(application.pk)
    )
    assert event.actor == handler and event.acting_for == demo.org["askim"]
    assert event.changes["screening_basis"] == ["", PERSONAL_CIRCUMSTANCES]
    assert event.changes["public_title"] == [TITLE, application.public_title]
    timeline = CaseEvent.objects.get(case=case, kind="entry_screened")
    assert timeline.data == {"entry": application.reference, "basis": PERSONAL_CIRCUMSTANCES}
    assert not timeline.visible_to_applicant


def test_a_screened_entry_hides_the_names_of_its_parties_in_the_title(demo):
    case = open_case(demo)
    letter = entry(case, 2)
    screening.journal_entry_screen(
        entry=letter, basis=PERSONAL_CIRCUMSTANCES, actor=demo.user["askim.saksbehandler"]
    )
    letter.refresh_from_db()
    assert THIRD not in letter.public_title and NAME not in letter.public_title
    assert letter.public_title == "Brev til ***** – Byggesøknad for garasje i Storgata 1 – *****"


def test_changing_the_basis_never_reveals_a_hidden_word(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    application = entry(case, 1)
    screening.journal_entry_screen(
        entry=application, basis=PERSONAL_CIRCUMSTANCES, extra_words=["Storgata 1"], actor=handler
    )
    screening.journal_entry_screen(entry=application, basis=BUSINESS_SECRETS, actor=handler)
    application.refresh_from_db()
    assert application.screening_basis == BUSINESS_SECRETS
    assert "Storgata" not in application.public_title and NAME not in application.public_title
    # the same screening again changes nothing and records nothing
    events = AuditEvent.objects.count()
    screening.journal_entry_screen(entry=application, basis=BUSINESS_SECRETS, actor=handler)
    assert AuditEvent.objects.count() == events


def test_lifting_an_entrys_screening_shows_the_whole_title_and_the_parties(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    application = entry(case, 1)
    screening.journal_entry_screen(entry=application, basis=PERSONAL_CIRCUMSTANCES, actor=handler)
    screening.journal_entry_unscreen(entry=application, actor=handler)
    application.refresh_from_db()
    assert application.screening_basis == "" and application.public_title == TITLE
    shown = public_entry(application)
    assert [p.name for p in shown.parties] == [NAME]
    event = AuditEvent.objects.filter(
        object_type="cases.journalentry", object_id=str(application.pk)
    ).latest("pk")
    assert event.changes["screening_basis"] == [PERSONAL_CIRCUMSTANCES, ""]
    assert CaseEvent.objects.filter(case=case, kind="entry_unscreened").exists()


def test_the_basis_must_come_from_the_list_and_the_words_from_the_title(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    application = entry(case, 1)
    with pytest.raises(ValidationError) as error:
        screening.journal_entry_screen(entry=application, basis="", actor=handler)
    assert field_code(error, "basis") == "basis_missing"
    with pytest.raises(ValidationError) as error:
        screening.journal_entry_screen(entry=application, basis="Fordi vi vil", actor=handler)
    assert field_code(error, "basis") == "basis_unknown"
    with pytest.raises(ValidationError) as error:
        screening.journal_entry_screen(
            entry=application,
            basis=PERSONAL_CIRCUMSTANCES,
            extra_words=["Storgate 1"],  # misspelt: would stay visible
            actor=handler,
        )
    assert field_code(error, "extra_words") == "word_not_in_title"
    with pytest.raises(ValidationError) as error:
        screening.journal_entry_screen(
            entry=application, basis=PERSONAL_CIRCUMSTANCES, extra_words=["i"], actor=handler
        )
    assert field_code(error, "extra_words") == "word_length"
    application.refresh_from_db()
    assert not application.is_screened


def test_only_those_who_may_handle_the_case_may_screen_it(demo):
    case = open_case(demo)
    application = entry(case, 1)
    skiptvet = demo.user["skiptvet.saksbehandler"]
    with pytest.raises(PermissionDenied):
        screening.journal_entry_screen(
            entry=application, basis=PERSONAL_CIRCUMSTANCES, actor=skiptvet
        )
    with pytest.raises(PermissionDenied):
        screening.journal_entry_unscreen(entry=application, actor=skiptvet)
    with pytest.raises(PermissionDenied):
        screening.case_screen(case=case, basis=PERSONAL_CIRCUMSTANCES, actor=skiptvet)
    with pytest.raises(PermissionDenied):
        screening.case_unscreen(case=case, actor=skiptvet)
    application.refresh_from_db()
    case.refresh_from_db()
    assert not application.is_screened and not case.screening_basis
    assert not AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="cases.journalentry", object_id=str(application.pk)
    ).exists()


# ------------------------------------------------------------ the whole case


def test_screening_the_case_screens_its_entries_and_those_to_come(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    letter = entry(case, 2)
    screening.journal_entry_screen(entry=letter, basis=BUSINESS_SECRETS, actor=handler)

    screening.case_screen(
        case=case, basis=PERSONAL_CIRCUMSTANCES, extra_words=["Storgata 1"], actor=handler
    )

    case.refresh_from_db()
    assert case.screening_basis == PERSONAL_CIRCUMSTANCES
    assert case.public_title == "Byggesøknad for garasje i ***** – *****"
    application, letter = entry(case, 1), entry(case, 2)
    assert application.screening_basis == PERSONAL_CIRCUMSTANCES
    assert letter.screening_basis == BUSINESS_SECRETS  # its own basis is kept
    for screened in (application, letter):
        assert NAME not in screened.public_title and "Storgata" not in screened.public_title
    # one audit event per changed record, one event on the timeline
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="cases.case", object_id=str(case.pk)
    ).exists()
    timeline = CaseEvent.objects.get(case=case, kind="case_screened")
    assert timeline.data["entries"] == [application.reference, letter.reference]
    # an entry journalled later is screened with the case's basis and words
    later = journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=f"Svar fra søker – {case.title}",
        protected=screening_selectors.case_protected_words(case),
    )
    assert later.screening_basis == PERSONAL_CIRCUMSTANCES
    assert NAME not in later.public_title and "Storgata" not in later.public_title


def test_lifting_the_cases_screening_leaves_its_entries_screened(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    screening.case_screen(case=case, basis=PERSONAL_CIRCUMSTANCES, actor=handler)
    screening.case_unscreen(case=case, actor=handler)
    case.refresh_from_db()
    assert case.screening_basis == "" and case.public_title == TITLE
    assert all(e.is_screened for e in case.journal_entries.all())
    assert CaseEvent.objects.filter(case=case, kind="case_unscreened").exists()


# ------------------------------------------------------------ the screening pages


@pytest.fixture
def askim(client, demo, login):
    login(client, demo.user["askim.saksbehandler"])
    return client


def entry_url(case, journal_entry) -> str:
    return reverse("samvirke_case_handling:entry_screening", args=[case.pk, journal_entry.pk])


def case_url(case) -> str:
    return reverse("samvirke_case_handling:case", args=[case.pk])


def test_the_case_page_links_to_the_screening_pages(askim, demo):
    case = open_case(demo)
    body = askim.get(case_url(case)).content.decode()
    assert entry_url(case, entry(case, 1)) in body
    assert reverse("samvirke_case_handling:case_screening", args=[case.pk]) in body


def test_screening_an_entry_through_its_page(askim, demo):
    case = open_case(demo)
    application = entry(case, 1)
    url = entry_url(case, application)
    response = askim.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for basis in SCREENING_BASES:
        assert f'value="{basis.code}"' in body
    assert NAME in body  # "hidden in any case"
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.case", object_id=str(case.pk)
    ).exists()

    response = askim.post(
        url,
        {
            "_action": "screen",
            "screening-basis": PERSONAL_CIRCUMSTANCES,
            "screening-extra_words": "Storgata 1, garasje",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case) + "#journal"
    application.refresh_from_db()
    assert application.public_title == "Byggesøknad for ***** i ***** – *****"
    body = askim.get(case_url(case)).content.decode()
    assert re.search(r"(Journal entry|Journalpost) \S+-1 (screened|skjermet)", body)

    response = askim.post(url, {"_action": "unscreen"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert not application.is_screened


def test_a_missing_basis_is_an_error_that_keeps_what_was_typed(askim, demo):
    case = open_case(demo)
    application = entry(case, 1)
    response = askim.post(
        entry_url(case, application),
        {"_action": "screen", "screening-extra_words": "Storgata 1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "samvirke-error-summary" in body
    assert re.search(
        r"Choose the legal basis for the screening\.|Velg hjemmelen for skjermingen\.", body
    )
    assert 'href="#id_screening-basis_0"' in body  # the summary links to the first choice
    assert 'value="Storgata 1"' in body
    application.refresh_from_db()
    assert not application.is_screened


def test_a_word_not_in_the_title_is_an_error_on_its_field(askim, demo):
    case = open_case(demo)
    response = askim.post(
        entry_url(case, entry(case, 1)),
        {
            "_action": "screen",
            "screening-basis": PERSONAL_CIRCUMSTANCES,
            "screening-extra_words": "Storgate 1",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_screening-extra_words"' in body and 'value="Storgate 1"' in body
    assert re.search(rf'value="{re.escape(PERSONAL_CIRCUMSTANCES)}"[^>]*checked', body)


def test_screening_the_case_through_its_page(askim, demo):
    case = open_case(demo)
    url = reverse("samvirke_case_handling:case_screening", args=[case.pk])
    assert askim.get(url).status_code == 200
    response = askim.post(url, {"_action": "screen", "screening-basis": CHILD_WELFARE})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.screening_basis == CHILD_WELFARE and NAME not in case.public_title
    assert all(e.screening_basis == CHILD_WELFARE for e in case.journal_entries.all())
    assert askim.post(url, {"_action": "unscreen"}).status_code == 302
    case.refresh_from_db()
    assert case.screening_basis == ""


def test_another_municipalitys_screening_pages_are_a_404(client, demo, login):
    # given a case in Skiptvet and a handler in Askim
    theirs = open_case(demo, "skiptvet")
    application = entry(theirs, 1)
    login(client, demo.user["askim.saksbehandler"])
    case_screening = reverse("samvirke_case_handling:case_screening", args=[theirs.pk])
    for url in (entry_url(theirs, application), case_screening):
        assert client.get(url).status_code == 404
        response = client.post(
            url, {"_action": "screen", "screening-basis": PERSONAL_CIRCUMSTANCES}
        )
        assert response.status_code == 404
        assert client.post(url, {"_action": "unscreen"}).status_code == 404
    # nor does Askim's own case reach Skiptvet's entry
    own = open_case(demo)
    response = client.post(
        entry_url(own, application),
        {"_action": "screen", "screening-basis": PERSONAL_CIRCUMSTANCES},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    theirs.refresh_from_db()
    assert not application.is_screened and not theirs.screening_basis


# ------------------------------------------------------------ the public journal


def test_the_public_journal_shows_the_screened_entry_with_hidden_words(client, demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    screening.journal_entry_screen(
        entry=entry(case, 1),
        basis=PERSONAL_CIRCUMSTANCES,
        extra_words=["Storgata 1"],
        actor=handler,
    )
    html = client.get(
        "/public-journal/askim/", {"case": case.reference}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    rows = {
        cells[1]: cells
        for cells in (
            re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.DOTALL)
            for row in re.findall(r'<tr data-testid="journal-entry">(.*?)</tr>', html, re.DOTALL)
        )
    }
    assert set(rows) == {f"{case.reference}-1", f"{case.reference}-2"}
    title, parties = rows[f"{case.reference}-1"][3:5]
    assert "Byggesøknad for garasje i ***** – *****" in title and PERSONAL_CIRCUMSTANCES in title
    assert NAME not in title and NAME not in parties and "Hidden (screened)" in parties
    # the other entry still shows its title and recipient
    title, parties = rows[f"{case.reference}-2"][3:5]
    assert title == f"Brev til {THIRD} – {TITLE}" and f"To: {THIRD}" in parties
