"""Reading neighbour notifications: a neighbour by their personal link, the applicant's
own notification and the link to it from the receipt, the plans a neighbour may open,
and what staff may see.

Each `…_for_…` that returns one object raises Http404 for an object outside the reader's
reach, the same answer as for one that does not exist. Staff see a municipality's
notifications when they hold a handling role for it in the form's area of work (in their
own organisation, or through an arrangement's host unit), as for cases."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from samvirke.accounts.access import grants_condition
from samvirke.cases.core.selectors import HANDLER_ROLES
from samvirke.cases.models import Document, DocumentKind, ScanStatus, Submission
from samvirke.cases.submission.services import FollowLink
from samvirke.neighbours.models import Answer, Neighbour, NeighbourNotification
from samvirke.neighbours.tokens import secret_matches, token_split

_DUMMY_HASH = "0" * 64


def neighbour_for_token(token: str) -> Neighbour:
    """The neighbour whose personal link this is; Http404 for any other string."""
    parts = token_split(token)
    if parts is None:
        raise Http404
    selector, secret = parts
    neighbour = (
        Neighbour.objects.select_related(
            "notification__organisation",
            "notification__submission__form_version",
            "notification__submission__applicant",
            "notification__submission__case",
            "answer_attachment",
        )
        .filter(token_selector=selector)
        .first()
    )
    # compare even when nothing was found, so the answer takes as long either way
    matches = secret_matches(secret, neighbour.token_hash if neighbour else _DUMMY_HASH)
    if neighbour is None or not matches:
        raise Http404
    return neighbour


def status_link(submission: Submission) -> FollowLink | None:
    """The `neighbour-notification` follow link (`neighbours.plugins`): the receipt of a
    building application waiting for its neighbours links to the applicant's status
    page, where the notice letters are and the application is sent on."""
    if not NeighbourNotification.objects.filter(submission=submission).exists():
        return None
    return FollowLink(
        label=_("Neighbour notification"),
        url=reverse("neighbours:status", args=[submission.key]),
    )


def plans_for(notification: NeighbourNotification) -> QuerySet[Document]:
    """The application's attachments (its drawings and plans), as neighbours see them;
    a file found infected is never offered."""
    return (
        Document.objects.filter(
            submission_id=notification.submission_id, kind=DocumentKind.ATTACHMENT
        )
        .exclude(scan_status=ScanStatus.INFECTED)
        .order_by("created_at", "id")
    )


def plan_for(neighbour: Neighbour, document_id: int) -> Document:
    return get_object_or_404(plans_for(neighbour.notification), pk=document_id)


def _with_counts(queryset: QuerySet[NeighbourNotification]) -> QuerySet[NeighbourNotification]:
    return queryset.select_related(
        "organisation", "submission__form_version", "submission__case"
    ).annotate(
        neighbour_count=Count("neighbours"),
        answered_count=Count("neighbours", filter=~Q(neighbours__answer=Answer.NONE)),
        objection_count=Count("neighbours", filter=Q(neighbours__answer=Answer.OBJECTION)),
    )


def notification_for_applicant(user, key) -> NeighbourNotification:
    """The applicant's own notification by the submission's key; Http404 for anyone else
    (another citizen, staff, an anonymous visitor)."""
    if user is None or not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        _with_counts(NeighbourNotification.objects.all()),
        submission__key=key,
        submission__applicant=user,
    )


def neighbours_of(notification: NeighbourNotification) -> QuerySet[Neighbour]:
    return notification.neighbours.select_related("notice_letter", "answer_attachment")


def applicant_document_for(notification: NeighbourNotification, document_id: int) -> Document:
    """A notice letter or an answer's attachment of the applicant's notification."""
    neighbours = notification.neighbours.all()
    ids = {n.notice_letter_id for n in neighbours} | {n.answer_attachment_id for n in neighbours}
    if notification.answers_document_id:
        ids.add(notification.answers_document_id)
    ids.discard(None)
    if document_id not in ids:
        raise Http404
    return Document.objects.get(pk=document_id)


def notifications_for_staff(user) -> QuerySet[NeighbourNotification]:
    condition = grants_condition(
        user, roles=HANDLER_ROLES, area_field="submission__offering__form__area_id"
    )
    return _with_counts(NeighbourNotification.objects.filter(condition)).order_by("-sent_at", "-pk")


def notification_for_staff(user, pk) -> NeighbourNotification:
    return get_object_or_404(notifications_for_staff(user), pk=pk)
