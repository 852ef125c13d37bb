"""Reading drafts and submissions: a citizen's (or a browser session's) drafts, their answers
and attachments for display, the form version an offering uses now, and the submissions a
citizen may return to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.models import (
    Document,
    DocumentKind,
    Draft,
    ServiceOffering,
    Submission,
    session_hash,
)
from samvirke.eservices.engine.visibility import condition_holds, is_filled
from samvirke.eservices.models import Authentication
from samvirke.eservices.selectors import version_published

#: Where a draft keeps the answers from the eID login (never part of a submission).
PREFILL_KEY = "_prefill"


class OfferingClosed(ValidationError):
    pass


def is_identified(user) -> bool:
    """An eID-identified citizen (staff sessions fill in forms as anonymous visitors)."""
    return bool(user is not None and user.is_authenticated and getattr(user, "is_citizen", False))


def eid_level_for(offering: ServiceOffering) -> str | None:
    """The eID level the form needs, or None for an anonymous form."""
    levels: dict[str, str] = {
        Authentication.EID_SUBSTANTIAL: "substantial",
        Authentication.EID_HIGH: "high",
    }
    return levels.get(offering.form.authentication)


def offering_definition_version(offering: ServiceOffering):
    """The version new drafts start with: the newest published one."""
    version = version_published(form=offering.form)
    if version is None or not offering.is_active:
        raise OfferingClosed(
            _("This e-service is not open for submissions."), code=CasesErrorCode.CLOSED
        )
    return version


def drafts_for(*, user, session_key: str = "") -> QuerySet[Draft]:
    """The drafts this visitor may see: an identified citizen's own, or the session's."""
    drafts = Draft.objects.select_related("offering__form", "offering__organisation")
    if is_identified(user):
        return drafts.filter(user=user)
    if not session_key:
        return drafts.none()
    return drafts.filter(user=None, session_key=session_key)


def draft_get(*, key, user, session_key: str = "") -> Draft:
    """The draft, or `Draft.DoesNotExist` for someone else's (views answer 404)."""
    return (
        drafts_for(user=user, session_key=session_key).select_related("form_version").get(key=key)
    )


def offering_drafts(*, user, session_key: str = "", offering: ServiceOffering) -> list[Draft]:
    """The visitor's drafts of this e-service (`drafts_for`), at most twenty, for its start
    page."""
    return list(drafts_for(user=user, session_key=session_key).filter(offering=offering)[:20])


def file_answer(document: Document) -> dict:
    return {
        "name": document.name,
        "size": document.size,
        "content_type": document.content_type,
        "document": document.pk,
    }


def draft_answers_for_display(draft: Draft) -> dict:
    """The draft's answers with the eID values for questions not answered yet."""
    answers = {k: v for k, v in draft.answers.items() if k != PREFILL_KEY}
    return {**(draft.answers.get(PREFILL_KEY) or {}), **answers}


def draft_attachments(draft: Draft, field_key: str | None = None) -> list[Document]:
    documents = draft.documents.filter(kind=DocumentKind.ATTACHMENT, submission=None)
    if field_key is not None:
        documents = documents.filter(field_key=field_key)
    return list(documents.order_by("created_at", "id"))


def first_incomplete_step(definition: dict, answers: dict) -> int | None:
    """The first step with a required visible question left unanswered, if any."""
    context: dict[str, Any] = {}
    for index, step in enumerate(definition["steps"]):
        for f in step["fields"]:
            if f["type"] == "info" or not condition_holds(f.get("visible_if"), context):
                continue
            value = answers.get(f["key"])
            if f["type"] == "repeating_group":
                needed = f.get("min_rows", 1 if f.get("required") else 0)
                if len(value or []) < needed:
                    return index
            elif f.get("required") and not is_filled(value):
                return index
            if is_filled(value):
                context[f["key"]] = value
    return None


def submissions_for(
    *, user, submitted_keys: list[str] | tuple[str, ...] = (), session_key: str = ""
):
    """The submissions this visitor may see: an identified citizen's own, or those the
    anonymous session submitted (their keys are kept in the session; a submission also
    keeps a hash of the session that sent it, so that a parallel replay of the submit,
    which may read the session before the first request has saved it, finds it too)."""
    submissions = Submission.objects.select_related(
        "offering__form", "offering__organisation", "case", "form_version"
    )
    if is_identified(user):
        return submissions.filter(applicant=user)
    mine = Q(key__in=list(submitted_keys))
    if session_key:
        mine |= Q(session_hash=session_hash(session_key))
    return submissions.filter(mine, applicant=None)


def submission_get(
    *,
    user,
    key,
    submitted_keys: list[str] | tuple[str, ...] = (),
    offering: ServiceOffering | None = None,
    session_key: str = "",
) -> Submission:
    """One submission this visitor may see (`submissions_for`), by its key, of `offering`
    when one is given; another raises `Submission.DoesNotExist`, like one that does not
    exist."""
    submissions = submissions_for(
        user=user, submitted_keys=submitted_keys, session_key=session_key
    ).filter(key=key)
    if offering is not None:
        submissions = submissions.filter(offering=offering)
    found = submissions.first()
    if found is None:
        raise Submission.DoesNotExist
    return found
