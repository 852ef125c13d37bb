"""Building applications for the neighbour notification tests (unit and browser), made
through the real submission service: a draft with its attachments, submitted.

The shipped building application form asks for each neighbour's name and property only;
`form_with_contacts` publishes a version that also asks for the neighbour's e-mail and
address, and whether the project needs a dispensation, as a municipality would.

Two writes here skip a service, for want of one: the draft is stored with its answers at
once (`draft_step_save` would need every step's posted form data, and the tests are
about what happens after the submission), and `window_passed` moves a notification's
answer window into the past (time passing has no service)."""

from __future__ import annotations

import copy
import datetime
import io
import uuid

from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from samvirke.accounts.services import citizen_login_from_eid
from samvirke.cases.documents.services import document_store
from samvirke.cases.models import DocumentKind, Draft, ServiceOffering
from samvirke.cases.submission.services import submission_receive
from samvirke.eservices.models import FormDefinition
from samvirke.eservices.selectors import version_published
from samvirke.eservices.services import form_version_add, form_version_publish

# invented test persons (the dev IdP's numbers are synthetic)
APPLICANT_ID = "14838512470"
APPLICANT_NAME = "Ingrid Testesen"
APPLICANT_EMAIL = "ingrid.testesen@example.invalid"
APPLICANT_PHONE = "+4799887766"


def _blank_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed, so a few PDF-looking bytes do not pass."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def _small_png() -> bytes:
    """A real 1×1 PNG: uploads are decoded in full, so a broken one would be refused."""
    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (255, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


PNG = _small_png()

NEIGHBOURS = [
    {
        "name": "Kari Nabo",
        "email": "kari.nabo@example.invalid",
        "address": {"street": "Storgata 3", "postcode": "1830", "city": "Askim"},
        "property": {"municipality": "3110", "gnr": 12, "bnr": 35},
    },
    {
        "name": "Per Gjenbo",
        "address": {"street": "Storgata 2", "postcode": "1830", "city": "Askim"},
        "property": {"municipality": "3110", "gnr": 12, "bnr": 40},
    },
]


def applicant(national_id: str = APPLICANT_ID, name: str = APPLICANT_NAME):
    return citizen_login_from_eid(
        provider="dev", national_id=national_id, full_name=name, acr="idporten-loa-high"
    )


def form_with_contacts(demo):
    """Publishes a version of the building application that asks for each neighbour's
    e-mail and address and whether a dispensation is needed."""
    form = FormDefinition.objects.get(slug="byggesoknad")
    definition = copy.deepcopy(version_published(form=form).definition)
    for step in definition["steps"]:
        for field in step["fields"]:
            if field["key"] == "neighbours":
                keys = {f["key"] for f in field["fields"]}
                if "email" not in keys:
                    field["fields"].append(
                        {"key": "email", "type": "email", "label": {"nb": "E-post"}}
                    )
                if "address" not in keys:
                    field["fields"].append(
                        {"key": "address", "type": "address", "label": {"nb": "Adresse"}}
                    )
        if step["key"] == "project" and not any(
            f["key"] == "needs_dispensation" for f in step["fields"]
        ):
            step["fields"].append(
                {
                    "key": "needs_dispensation",
                    "type": "yes_no",
                    "required": True,
                    "label": {"nb": "Trenger tiltaket dispensasjon?"},
                }
            )
    author = demo.user["region.koordinator"]
    version = form_version_add(actor=author, form=form, definition=definition)
    if not version.published:
        form_version_publish(actor=author, version=version)
    return version


def form_without_dispensation_question(demo):
    """Publishes a version of the building application that does not ask whether a
    dispensation is needed (as a municipality's own variant might not)."""
    form = FormDefinition.objects.get(slug="byggesoknad")
    definition = copy.deepcopy(version_published(form=form).definition)
    for step in definition["steps"]:
        step["fields"] = [f for f in step["fields"] if f["key"] != "needs_dispensation"]
    author = demo.user["region.koordinator"]
    version = form_version_add(actor=author, form=form, definition=definition)
    if not version.published:
        form_version_publish(actor=author, version=version)
    return version


def answers(*, neighbours=None, needs_dispensation: bool | None = False) -> dict:
    today = timezone.localdate().isoformat()
    rows = [{**row, "notified_on": today} for row in (neighbours or NEIGHBOURS)]
    result = {
        "applicant_name": APPLICANT_NAME,
        "applicant_national_id": APPLICANT_ID,
        "applicant_email": APPLICANT_EMAIL,
        "applicant_phone": APPLICANT_PHONE,
        "on_behalf_of_company": False,
        "property": {"municipality": "3110", "gnr": 12, "bnr": 34},
        "address": {"street": "Storgata 1", "postcode": "1830", "city": "Askim"},
        "location": {"lat": 59.5853, "lon": 11.1641},
        "project_type": "garage",
        "floor_area": 36,
        "description": "Dobbel garasje i tre med saltak, 36 m², ved innkjørselen mot nord.",
        "neighbours": rows,
        "objections_received": False,
    }
    if needs_dispensation is not None:
        result["needs_dispensation"] = needs_dispensation
    return result


def building_application(
    demo,
    user,
    *,
    municipality: str = "askim",
    version=None,
    neighbours=None,
    needs_dispensation: bool | None = False,
):
    """Submits a building application with a drawing (PDF) and a site plan (PNG)."""
    offering = ServiceOffering.objects.select_related("form", "organisation").get(
        organisation=demo.org[municipality], form__slug="byggesoknad"
    )
    version = version or version_published(form=offering.form)
    draft = Draft.objects.create(
        key=uuid.uuid4(),
        offering=offering,
        form_version=version,
        user=user,
        answers=answers(neighbours=neighbours, needs_dispensation=needs_dispensation),
    )
    files = {}
    for key, name, content, kind in (
        ("drawings", "fasadetegning.pdf", PDF, "application/pdf"),
        ("site_plan", "situasjonsplan.pdf", PDF, "application/pdf"),
    ):
        document = document_store(
            organisation=offering.organisation,
            name=name,
            content=content,
            content_type=kind,
            kind=DocumentKind.ATTACHMENT,
            draft=draft,
            field_key=key,
        )
        files[key] = [
            {"name": name, "size": len(content), "content_type": kind, "document": document.pk}
        ]
    draft.answers = {**draft.answers, **files}
    draft.save(update_fields=["answers"])
    return submission_receive(draft=draft, actor=user, language="nb")


def window_passed(notification, days: int = 1) -> None:
    """Moves the notification's window into the past, as if 14 days had gone by."""
    notification.sent_at -= datetime.timedelta(days=14 + days)
    notification.window_ends_on = notification.window_end_for(notification.sent_at)
    notification.save(update_fields=["sent_at", "window_ends_on"])
