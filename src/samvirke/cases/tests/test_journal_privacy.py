"""Public journal privacy (offentlegforskrifta § 7; cases/models/privacy.py): names of
private persons are withheld online unless the case type (or the handler, per journal
entry) shows them; organisations are always shown; a page that shows a private person's
name carries noindex; the journal is not in any sitemap; the forms say where the name
may appear."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.journal.services import case_type_online_names_set, journal_entry_create
from samvirke.cases.models import CaseEvent, CaseType, EntryType, JournalEntry, OnlineNames
from samvirke.cases.screening import services as screening
from samvirke.cases.submission.services import draft_start, draft_step_save, submission_receive
from samvirke.cases.tests.factories import offering

pytestmark = pytest.mark.django_db

REGION = "/public-journal/"
NAME = "Kari Nettvern"
# after the demo's own journal days, so the latest journal day is the test's
LATEST = 40


def _on_latest_day(case) -> None:
    day = timezone.localdate() + datetime.timedelta(days=LATEST)
    JournalEntry.objects.filter(case=case).update(journal_date=day, document_date=day)


def _get(client, url=REGION, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def _noindexed(response) -> bool:
    html = response.content.decode()
    header = response.get("X-Robots-Tag") == "noindex"
    meta = '<meta name="robots" content="noindex">' in html
    assert header == meta, "the header and the meta tag must agree"
    return header


def _named_case(demo, form="melding-til-kommunen", municipality="askim"):
    """A case as a submission opens it, with the applicant's name in its titles and as
    the sender of its incoming entry."""
    service = offering(demo, municipality, form)
    title = f"{service.form.title} – {NAME}"
    case = case_open(
        offering=service,
        route=route_for(service, {}),
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
    _on_latest_day(case)
    return case


def _private_case_type(demo, form="melding-til-kommunen", online_names=OnlineNames.WITHHELD):
    """A case type of the test's own for the offering (the demo's standard type is shared)."""
    service = offering(demo, "askim", form)
    case_type = CaseType.objects.create(
        slug=f"test-{online_names}",
        name={"nb": "Test", "en": "Test"},
        workflow=service.case_type.workflow,
        online_names=online_names,
    )
    service.case_type = case_type
    service.save(update_fields=["case_type"])
    return case_type


# ------------------------------------------------------------ the rule by default


def test_names_of_private_persons_are_withheld_online_by_default(client, demo):
    case = _named_case(demo)
    assert case.case_type.online_names == OnlineNames.WITHHELD  # the sensible default
    response = _get(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nettvern" not in html
    # the entry is in the journal, with the name withheld in its title and as sender
    assert case.reference in html
    assert "Melding til kommunen – *****" in html
    assert "Name withheld online" in html and 'data-testid="names-withheld"' in html
    # a search for the name finds nothing, not even by the case's title
    html = _get(client, q="Nettvern").content.decode()
    assert "0 entries found" in html and case.reference not in html
    # and nothing on the page names a private person: search engines may index it
    assert not _noindexed(_get(client))
    # the running journal keeps the name
    entry = case.journal_entries.get()
    assert entry.title.endswith(NAME) and entry.parties[0]["name"] == NAME


def test_organisations_are_named_when_private_persons_are_withheld(client, demo):
    case = _named_case(demo)
    journal_entry_create(
        case=case,
        entry_type=EntryType.OUTGOING,
        title=f"Svar til {NAME} og Veiservice AS",
        parties=[
            {"role": "recipient", "name": NAME, "kind": "person"},
            {"role": "copy", "name": "Veiservice AS", "kind": "organisation"},
        ],
    )
    _on_latest_day(case)
    response = _get(client)
    html = response.content.decode()
    assert "Veiservice AS" in html and "Copy to: Veiservice AS" in html
    assert "Svar til ***** og Veiservice AS" in html
    assert "Nettvern" not in html
    assert not _noindexed(response)


def test_a_case_type_that_shows_names_shows_them_and_the_page_is_noindexed(client, demo):
    _private_case_type(demo, online_names=OnlineNames.SHOWN)
    case = _named_case(demo)
    response = _get(client)
    html = response.content.decode()
    assert f"From: {NAME}" in html and f"Melding til kommunen – {NAME}" in html
    assert _noindexed(response)
    # the access-request page shows the entry's title: noindex too
    entry = case.journal_entries.get()
    response = _get(client, reverse("cases_journal:access-request", args=[entry.pk]))
    assert NAME in response.content.decode() and _noindexed(response)


def test_screening_wins_over_a_case_type_that_shows_names(client, demo, login):
    _private_case_type(demo, online_names=OnlineNames.SHOWN)
    case = _named_case(demo)
    entry = case.journal_entries.get()
    screening.journal_entry_screen(
        entry=entry,
        basis="Offl. § 13, jf. fvl. § 13 første ledd nr. 1",
        actor=demo.user["askim.saksbehandler"],
    )
    html = _get(client).content.decode()
    assert f"From: {NAME}" not in html and "Hidden (screened)" in html


def test_changing_the_case_type_updates_the_online_titles_and_is_audited(client, demo):
    case_type = _private_case_type(demo)
    case = _named_case(demo)
    assert NAME not in _get(client).content.decode()
    changed = case_type_online_names_set(
        case_type=case_type, online_names=OnlineNames.SHOWN, actor=demo.user["askim.admin"]
    )
    assert changed == 2  # the case and its entry
    case.refresh_from_db()
    assert case.online_title.endswith(NAME)
    assert NAME in _get(client, q="Nettvern").content.decode()  # searchable now it is shown
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="cases.casetype", object_id=str(case_type.pk)
    ).exists()


def test_the_command_lists_and_sets_the_case_types_setting(demo):
    case_type = _private_case_type(demo)
    case = _named_case(demo)
    out = io.StringIO()
    call_command("case_type_online_names", stdout=out)
    assert f"{case_type.slug}: withheld" in out.getvalue()
    call_command("case_type_online_names", case_type.slug, "shown", stdout=io.StringIO())
    case.refresh_from_db()
    assert case.online_title.endswith(NAME)
    with pytest.raises(CommandError):
        call_command("case_type_online_names", "no-such-type", "shown")


# ------------------------------------------------------------ the handler's override


def _entry_url(case, entry) -> str:
    return reverse("samvirke_case_handling:entry_screening", args=[case.pk, entry.pk])


def test_the_handler_shows_or_withholds_names_per_journal_entry_with_audit(client, demo, login):
    case = _named_case(demo)
    entry = case.journal_entries.get()
    handler = demo.user["askim.saksbehandler"]
    staff = client.__class__()
    login(staff, handler)
    case_page = staff.get(
        reverse("samvirke_case_handling:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Names of private persons are withheld online" in case_page
    assert "Melding til kommunen – *****" in case_page  # the entry's online title
    page = staff.get(_entry_url(case, entry), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Names of private persons online" in body and 'value="shown"' in body

    response = staff.post(
        _entry_url(case, entry), {"_action": "online_names", "names-online_names": "shown"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.online_names == OnlineNames.SHOWN and entry.online_title.endswith(NAME)
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="cases.journalentry", object_id=str(entry.pk)
    ).latest("pk")
    assert event.changes == {"online_names": ["", "shown"]}
    assert CaseEvent.objects.filter(case=case, kind="entry_online_names").exists()
    response = _get(client)
    assert f"From: {NAME}" in response.content.decode() and _noindexed(response)

    # withheld for this entry although the case type shows names
    case_type_online_names_set(case_type=case.case_type, online_names=OnlineNames.SHOWN)
    staff.post(_entry_url(case, entry), {"_action": "online_names", "names-online_names": ""})
    entry.refresh_from_db()
    assert entry.online_names == "" and entry.online_title.endswith(NAME)
    staff.post(
        _entry_url(case, entry), {"_action": "online_names", "names-online_names": "withheld"}
    )
    entry.refresh_from_db()
    assert entry.online_names == OnlineNames.WITHHELD
    response = _get(client)
    # nothing in the entry's row names her, not even the case's title (which the case
    # type would show), and a search for her name does not find the entry
    assert NAME not in response.content.decode() and not _noindexed(response)
    assert case.reference not in _get(client, q="Nettvern").content.decode()

    # a value outside the list is refused, and nothing changes
    response = staff.post(
        _entry_url(case, entry), {"_action": "online_names", "names-online_names": "everywhere"}
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.online_names == OnlineNames.WITHHELD


def test_only_a_handler_of_the_case_may_override(demo):
    case = _named_case(demo)
    entry = case.journal_entries.get()
    with pytest.raises(PermissionDenied):
        screening.journal_entry_online_names_set(
            entry=entry, online_names=OnlineNames.SHOWN, actor=demo.user["spydeberg.admin"]
        )
    entry.refresh_from_db()
    assert entry.online_names == ""


# ------------------------------------------------------------ the demo fault report


def _fault_report(demo, name: str):
    draft = draft_start(
        offering=offering(demo, "askim", "feilmelding"), session_key="f" * 32, user=None
    )
    steps = [
        {"category": "street_light", "light_problem": "one_out", "dangerous": "no"},
        {"location.lat": "59.58", "location.lon": "11.16"},
        {"description": "Lyset ved bussholdeplassen har vært slukket en uke."},
        {"wants_feedback": "yes", "name": name, "email": "kari@example.invalid"},
    ]
    for index, data in enumerate(steps):
        result = draft_step_save(
            draft=draft, step_index=index, data=data, files={}, language="nb", actor=None
        )
        assert result.complete, result.outcome.errors
    draft.refresh_from_db()
    return submission_receive(draft=draft, actor=None)


def test_the_demo_fault_report_does_not_publish_the_reporters_name(client, demo):
    # the start page says truthfully where the name may appear
    start = client.get(
        reverse("submit:start", args=["askim", "feilmelding"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-names="withheld"' in start
    assert "does not show your name" in start

    submission = _fault_report(demo, NAME)
    case = submission.case
    _on_latest_day(case)
    assert NAME in case.title  # the journal itself keeps it
    response = _get(client)
    html = response.content.decode()
    assert case.reference in html
    assert "Nettvern" not in html
    assert "Name withheld online" in html
    assert not _noindexed(response)
    # the form's promise about contact details is no longer a promise about the name
    text = submission.form_version.definition["steps"][3]["fields"][-1]["text"]
    assert "journal" in text["en"] and "postjournal" in text["nb"]
    assert "postjournalen" in text["nn"] and "diarium" in text["sv"]


def test_an_anonymous_fault_report_says_so_in_the_journal(client, demo):
    draft = draft_start(
        offering=offering(demo, "askim", "feilmelding"), session_key="g" * 32, user=None
    )
    steps = [
        {"category": "road", "road_problem": "pothole", "dangerous": "no"},
        {"location.lat": "59.58", "location.lon": "11.16"},
        {"description": "Hull i veien ved skolen, ganske dypt."},
        {"wants_feedback": "no"},
    ]
    for index, data in enumerate(steps):
        draft_step_save(
            draft=draft, step_index=index, data=data, files={}, language="nb", actor=None
        )
    draft.refresh_from_db()
    case = submission_receive(draft=draft, actor=None).case
    entry = case.journal_entries.get()
    assert entry.parties[0]["kind"] == "person" and entry.parties[0]["anonymous"] is True
    _on_latest_day(case)
    html = _get(client).content.decode()
    assert case.reference in html and "Name withheld online" not in html


def test_a_form_whose_case_type_shows_names_says_so(client, demo):
    start = client.get(
        reverse("submit:start", args=["askim", "byggesoknad"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert offering(demo, "askim", "byggesoknad").case_type.online_names == OnlineNames.SHOWN
    assert 'data-names="shown"' in start
    assert "Your name is published in the public journal" in start
    screened = client.get(
        reverse("submit:start", args=["askim", "barnevern-kontakt"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-names="screened"' in screened


def test_the_access_request_form_says_where_a_name_appears(client, demo):
    case = _named_case(demo)
    entry = case.journal_entries.get()
    url = reverse("cases_journal:access-request", args=[entry.pk])
    html = _get(client, url).content.decode()
    assert "not published in the public journal on the internet" in html


# ------------------------------------------------------------ sitemaps


@pytest.mark.parametrize("host", ["askim.localhost", "localhost"])
def test_the_public_journal_is_in_no_sitemap(client, demo, host):
    _private_case_type(demo, online_names=OnlineNames.SHOWN)
    _named_case(demo)
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<urlset" in body
    assert "public-journal" not in body and NAME not in body
