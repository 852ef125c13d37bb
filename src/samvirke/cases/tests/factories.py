"""Test data for the service square, made through its real services: opened cases with
their journal entries and documents (`case_open`, `journal_entry_create`,
`document_store`), filled drafts (`draft_start`, `draft_step_save`), and the access
request form. The people and texts are invented (test data)."""

from __future__ import annotations

import datetime
import io
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.documents.services import document_store
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import (
    Case,
    CaseType,
    DocumentKind,
    Draft,
    EntryType,
    JournalEntry,
    ServiceOffering,
    Submission,
)
from samvirke.cases.public_journal.services import ACCESS_FORM_SLUG
from samvirke.cases.submission.services import draft_start, draft_step_save


def _blank_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed, so a few PDF-looking bytes do not pass."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def offering(demo, municipality: str = "askim", form: str = "melding-til-kommunen"):
    """A demo municipality's offering of a library form."""
    return ServiceOffering.objects.select_related("form", "case_type", "organisation").get(
        organisation=demo.org[municipality], form__slug=form
    )


def entitle_systems_to_ppt() -> None:
    """PPT cases are confidential (need to know). Tests of arrangement routing through the
    API use a PPT referral as the example, with the owner's and the host's systems: here
    the PPT case type names the roles their tokens hold, as a municipality does for the
    systems that must have the cases (need to know itself is tested in
    `test_need_to_know.py` and the tenant-isolation table)."""
    CaseType.objects.filter(slug="ppt").update(confidential_roles=["administrator", "case_handler"])


# --- cases -----------------------------------------------------------------------------


def open_case(
    demo,
    applicant=None,
    *,
    municipality: str = "askim",
    form: str = "melding-til-kommunen",
    title: str = "Melding om gatelys",
    protected=(),
) -> Case:
    """A case as a submission opens it: the case, an incoming journal entry with the
    submitted form as a PDF document."""
    service = offering(demo, municipality, form)
    case = case_open(
        offering=service,
        route=route_for(service, {}),
        title=title,
        protected=list(protected),
        applicant=applicant,
        applicant_name=applicant.full_name if applicant else "",
        applicant_email="test@example.invalid",
        actor=applicant,
    )
    form_document = document_store(
        organisation=case.organisation,
        name="skjema.pdf",
        content=b"%PDF-1.7\n% submitted form (test data)\n",
        content_type="application/pdf",
        kind=DocumentKind.SUBMISSION,
        case=case,
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=title,
        protected=list(protected),
        parties=[{"role": "sender", "name": case.applicant_name, "kind": "person"}],
        documents=[form_document],
        actor=applicant,
    )
    return case


INBOX_APPLICANT = "Ola Testesen (testperson)"


def new_case(
    demo,
    municipality: str = "askim",
    form: str = "melding-til-kommunen",
    title: str | None = None,
    days_ago: int = 0,
) -> Case:
    """A bare case in a municipality's inbox from `INBOX_APPLICANT` (no journal entry),
    opened `days_ago` days ago."""
    service = offering(demo, municipality, form)
    return case_open(
        offering=service,
        route=route_for(service, {}),
        title=title or f"Melding fra {INBOX_APPLICANT}",
        protected=[INBOX_APPLICANT],
        applicant_name=INBOX_APPLICANT,
        applicant_email="ola@example.invalid",
        opened_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def case_with_submission(
    demo, municipality: str = "askim", form: str = "melding-til-kommunen", name: str = "Kari"
) -> Case:
    """A case as the submit flow makes it: a submission with answers and an attachment, an
    incoming journal entry with the document.

    The submission row is made directly: the one service that makes a submission
    (`submission_receive`) takes a filled draft and also renders the form as PDF and a
    receipt, which the tests using this shape do not expect (`filled_message_draft`
    gives the full flow)."""
    service = offering(demo, municipality, form)
    version = service.form.versions.order_by("-number").first()
    title = f"{service.form.title} - {name} Testesen"
    case = case_open(
        offering=service,
        route=route_for(service, {}),
        title=title,
        protected=[f"{name} Testesen"],
        applicant_name=f"{name} Testesen",
        applicant_email="kari.testesen@example.invalid",
    )
    submission = Submission.objects.create(
        key=uuid.uuid4(),
        offering=service,
        form_version=version,
        answers={"message": "Testdata: hull i veien ved skolen."},
        case=case,
    )
    document = document_store(
        organisation=case.organisation,
        name="vedlegg.pdf",
        content=PDF,
        content_type="application/pdf",
        submission=submission,
        case=case,
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=title,
        protected=[f"{name} Testesen"],
        parties=[{"role": "sender", "name": f"{name} Testesen", "kind": "person"}],
        documents=[document],
    )
    return case


# --- drafts ----------------------------------------------------------------------------

MESSAGE_STEP_1 = {
    "_step": "0",
    "_action": "next",
    "subject": "Hull i veien",
    "topic": "question",
    "message": "Det er et stort hull i veien ved skolen.",
}
MESSAGE_STEP_2 = {
    "_step": "1",
    "_action": "next",
    "wants_answer": "yes",
    "name": "Ingrid Testesen",
    "email": "ingrid@example.invalid",
}


def filled_message_draft(demo, user=None, session_key: str = "s" * 32) -> Draft:
    """Askim's "Melding til kommunen" filled in to the end, ready to submit."""
    draft = draft_start(offering=offering(demo), user=user, session_key=session_key)
    result = draft_step_save(
        draft=draft, step_index=0, data=MESSAGE_STEP_1, files={}, language="nb", actor=user
    )
    assert result.complete, result.outcome.errors
    result = draft_step_save(
        draft=draft, step_index=1, data=MESSAGE_STEP_2, files={}, language="nb", actor=user
    )
    assert result.complete, result.outcome.errors
    draft.refresh_from_db()
    return draft


# --- access requests (innsynskrav) -----------------------------------------------------

# The innsyn form, for a library that does not ship it yet (import it with `form_import`)
MINIMAL_INNSYN = {
    "export_format": 1,
    "slug": ACCESS_FORM_SLUG,
    "title": "Krav om innsyn",
    "area_of_work": "sentraladministrasjon",
    "authentication": "anonymous",
    "definition": {
        "format_version": 1,
        "title": {"nb": "Krav om innsyn", "en": "Request for access"},
        "steps": [
            {
                "key": "request",
                "title": {"nb": "Krav", "en": "Request"},
                "fields": [
                    {
                        "key": "case_number",
                        "type": "text",
                        "required": True,
                        "label": {"nb": "Saksnummer", "en": "Case number"},
                    }
                ],
            }
        ],
    },
}


def access_request_url(entry: JournalEntry) -> str:
    return reverse("cases_journal:access-request", args=[entry.pk])


def access_request_post(client: Client, entry: JournalEntry, **data):
    """Posts the public journal's access request form for `entry`, in English.

    Through the view, not a service: the form's view is what the tests exercise."""
    data.setdefault("key", str(uuid.uuid4()))
    return client.post(access_request_url(entry), data, HTTP_ACCEPT_LANGUAGE="en")
