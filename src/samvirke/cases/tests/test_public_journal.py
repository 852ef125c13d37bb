"""The public journal: daily lists per municipality and for the region, search by words,
case number and dates, screening applied (protected words and parties' names never
reach the page, not even through search), internal notes left out, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.tests.factories import citizen
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import EntryType, JournalEntry
from samvirke.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db

REGION = "/public-journal/"


# The demo region journals cases of its own today; the tests' entries go to days after
# those, so that "the latest journal day" is theirs.
LATEST = 30
EARLIER = 27


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def on_day(case, offset: int) -> None:
    """Moves a case's journal entries to another journal day (test set-up only)."""
    JournalEntry.objects.filter(case=case).update(
        journal_date=day(offset), document_date=day(offset)
    )


def get(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def journal(demo):
    """The latest day: an unscreened message in Askim and a screened PPT referral from
    Skiptvet (with the child's name as a protected word). Three days before: an older
    Askim entry."""
    ola = citizen("p2")
    message = open_case(demo, ola, title="Melding om gatelys i Storgata", municipality="askim")
    referral = open_case(
        demo,
        ola,
        municipality="skiptvet",
        form="henvisning-ppt",
        title="Henvisning til PPT - Mikkel Fiktivsen",
        protected=["Mikkel Fiktivsen"],
    )
    older = open_case(demo, ola, title="Søknad om parkeringstillatelse", municipality="askim")
    on_day(message, LATEST)
    on_day(referral, LATEST)
    on_day(older, EARLIER)
    return {"message": message, "referral": referral, "older": older, "applicant": ola}


def test_the_region_shows_the_latest_journal_day(client, journal):
    response = get(client, REGION)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Melding om gatelys i Storgata" in html
    assert "Søknad om parkeringstillatelse" not in html  # an earlier day
    assert "Latest journal day" in html
    earlier = day(EARLIER).isoformat()
    assert f"date_from={earlier}&amp;date_to={earlier}" in html  # previous day with entries
    # the earlier day
    html = get(client, REGION, date_from=earlier, date_to=earlier).content.decode()
    assert "Søknad om parkeringstillatelse" in html and "Melding om gatelys" not in html


def test_screening_hides_protected_words_and_parties(client, journal):
    html = get(client, REGION).content.decode()
    referral = journal["referral"]
    assert "Mikkel" not in html and "Fiktivsen" not in html
    assert "Henvisning til PPT - *****" in html
    assert "Offl. § 13, jf. fvl. § 13 første ledd nr. 1" in html
    assert "Hidden (screened)" in html
    # the unscreened message lists its sender, a private person, without the name
    # (names withheld online is the case type's default; see test_journal_privacy)
    assert 'From: <span class="muted">Name withheld online</span>' in html
    assert "Prøvesen" not in html
    entry = referral.journal_entries.get()
    assert entry.title == "Henvisning til PPT - Mikkel Fiktivsen"  # kept internally
    # a search for the protected name finds nothing
    html = get(client, REGION, q="Fiktivsen").content.decode()
    assert "0 entries found" in html and "Henvisning" not in html


def test_internal_notes_are_not_in_the_public_journal(client, journal):
    case = journal["message"]
    journal_entry_create(case=case, entry_type=EntryType.NOTE, title="Internt notat om lyset")
    journal_entry_create(
        case=case, entry_type=EntryType.NOTE_FOLLOW_UP, title="Oppfølging av gatelyset"
    )
    html = get(client, REGION).content.decode()
    assert "Internt notat" not in html and "Oppfølging av gatelyset" not in html


def test_search_by_words_case_number_and_date_range(client, journal):
    message, older = journal["message"], journal["older"]
    html = get(client, REGION, q="parkeringstillatelse").content.decode()
    assert "Søknad om parkeringstillatelse" in html and "gatelys i Storgata" not in html
    html = get(client, REGION, case=message.reference).content.decode()
    assert "Melding om gatelys" in html and "parkering" not in html
    html = get(client, REGION, case=f"{message.year}/{message.sequence}-1").content.decode()
    assert "Melding om gatelys" in html
    start, end = day(EARLIER - 1).isoformat(), day(LATEST - 1).isoformat()
    html = get(client, REGION, date_from=start, date_to=end).content.decode()
    assert "Søknad om parkeringstillatelse" in html and "gatelys i Storgata" not in html
    assert older.reference in html


def test_bad_search_input_is_explained(client, journal):
    response = get(client, REGION, case="nonsense", date_from="2026-05-02", date_to="2026-05-01")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html
    assert "Write the case number as in the journal" in html
    assert "The end date must not be before the start date." in html
    assert 'value="nonsense"' in html  # what the visitor typed is kept


def test_per_municipality(client, journal, demo):
    url = reverse("cases_journal:municipality", args=["skiptvet"])
    html = get(client, url).content.decode()
    assert "Henvisning til PPT - *****" in html and "gatelys i Storgata" not in html
    assert "Public journal of Skiptvet" in html
    assert get(client, "/public-journal/no-such-place/").status_code == 404
    non_member = next(
        (o for o in demo.org.values() if not (o.is_member and o.kind == "municipality")), None
    )
    if non_member is not None:
        assert get(client, f"/public-journal/{non_member.slug}/").status_code == 404


def test_accessible_table_markup(client, journal):
    html = get(client, REGION).content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    for name in ("q", "case", "date_from", "date_to"):
        assert f'<label class="ds-label" for="id_{name}">' in html
    assert "Request access" in html


def test_the_journal_takes_a_constant_number_of_queries(client, demo, journal):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert get(client, url).status_code == 200
        return len(queries)

    askim = reverse("cases_journal:municipality", args=["askim"])
    region_before, askim_before = count(REGION), count(askim)
    ola = journal["applicant"]
    for n in range(12):
        case = open_case(
            demo, ola, title=f"Melding nummer {n}", municipality=("askim", "hobol")[n % 2]
        )
        on_day(case, LATEST)
    assert count(REGION) == region_before
    assert count(askim) == askim_before


def test_the_journal_is_paginated(client, demo, journal):
    ola = journal["applicant"]
    for n in range(50):
        on_day(open_case(demo, ola, title=f"Melding nummer {n}", municipality="eidsberg"), LATEST)
    response = get(client, REGION)
    assert response.context["page"].paginator.num_pages == 2
    page_two = get(client, REGION, page=2)
    assert page_two.status_code == 200
    assert len(page_two.context["page"].object_list) == 2  # 52 today, 50 a page
    assert "Previous page" in page_two.content.decode()
