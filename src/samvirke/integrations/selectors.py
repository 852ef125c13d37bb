"""What the integration API lets a caller read: cases, submissions, documents and webhook
subscriptions, each scoped to the caller.

**A token** is scoped to its organisation. With a case-handling role (case handler or
administrator) it sees the cases its organisation *owns* (its citizens' cases, which
belong in its journal and archive, wherever they are handled) and the cases it *handles*
as host through a cooperation arrangement. So a Spydeberg token sees the Skiptvet PPT
referral its PPT unit handles, a Skiptvet token sees it as the owner, and an Askim token
does not see it at all.

**A staff session** sees what the staff user sees on the case pages (`cases_for_staff`).

**Need to know** holds for both: a token sees a confidential case only when its service
account passes the same rule as a person (`cases.core.selectors.need_to_know_q`: a member
of the handling unit, or holding a role the case type names in the handling
organisation). An owning municipality's token therefore does not see its citizen's
child-welfare case handled by a host's unit; its archive gets it through the archive
export, which is the operator's and not an API read.

Everything else is not found (404), whoever asks."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from samvirke.accounts.access import grants_for
from samvirke.api.models import ApiToken
from samvirke.cases.core.selectors import (
    HANDLER_ROLES,
    cases_filter,
    cases_for_staff,
    need_to_know_q,
)
from samvirke.cases.documents.selectors import case_documents
from samvirke.cases.models import Case, Document, JournalEntry, Submission
from samvirke.integrations.models import WebhookDelivery, WebhookSubscription
from samvirke.organisations.models import Organisation


def api_token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def handling_organisation_ids(user, token: ApiToken | None) -> set[int]:
    """Organisations for which the caller may read cases and manage webhooks: the token's
    organisation when the token holds a handling role there; for a session, each
    organisation where the user holds one in their own right."""
    ids = {
        g.organisation_id
        for g in grants_for(user)
        if g.role in HANDLER_ROLES and g.area_id is None and g.via_arrangement_id is None
    }
    if token is not None:
        return ids & {token.organisation_id}
    return ids


def handling_organisation_get(
    *, user, token: ApiToken | None, organisation_id: int
) -> Organisation:
    """One of the caller's `handling_organisation_ids` (an organisation whose webhooks they
    may manage); any other raises `Organisation.DoesNotExist`."""
    if organisation_id not in handling_organisation_ids(user, token):
        raise Organisation.DoesNotExist
    return Organisation.objects.get(pk=organisation_id)


def may_read_cases(user, token: ApiToken | None) -> bool:
    if token is not None:
        return bool(handling_organisation_ids(user, token))
    return any(g.role in HANDLER_ROLES for g in grants_for(user))


def cases_for_api(user, token: ApiToken | None) -> QuerySet[Case]:
    if token is None:
        return cases_for_staff(user)
    if not handling_organisation_ids(user, token):
        return Case.objects.none()
    org = token.organisation_id
    return Case.objects.filter(
        Q(organisation_id=org) | Q(handling_organisation_id=org), need_to_know_q(user)
    )


def case_list(
    *,
    user,
    token: ApiToken | None,
    status: str | None = None,
    updated_since=None,
    form: str | None = None,
    unit: int | None = None,
    organisation: int | None = None,
) -> QuerySet[Case]:
    cases = cases_for_api(user, token).select_related(
        "organisation",
        "handling_organisation",
        "handling_unit",
        "area",
        "case_type",
        "offering__form",
        "submission",
    )
    cases = cases_filter(
        cases,
        status=status,
        updated_since=updated_since,
        form_slug=form,
        unit=unit,
        organisation=organisation,
    )
    return cases.order_by("-updated_at", "-id")


def case_get(*, user, token: ApiToken | None, case_id: int) -> Case:
    """The case with its journal and documents, or Case.DoesNotExist."""
    return (
        case_list(user=user, token=token)
        .prefetch_related(
            Prefetch(
                "journal_entries",
                queryset=JournalEntry.objects.order_by("number_in_case").prefetch_related(
                    Prefetch("documents", queryset=Document.objects.order_by("id"))
                ),
            )
        )
        .get(pk=case_id)
    )


def journal_entries_of(case: Case) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(case=case)
        .select_related("case")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("id")))
        .order_by("number_in_case")
    )


def case_document_get(*, case: Case, document_id: int) -> Document:
    return case_documents(case).get(pk=document_id)


def submission_list(
    *,
    user,
    token: ApiToken | None,
    status: str | None = None,
    updated_since=None,
    form: str | None = None,
    unit: int | None = None,
) -> QuerySet[Submission]:
    """Submissions that have become cases the caller may see (one waiting for neighbours'
    answers has not reached the municipality yet)."""
    submissions = Submission.objects.filter(
        case__in=cases_for_api(user, token).values("pk")
    ).select_related(
        "offering__form",
        "offering__organisation",
        "form_version",
        "case__organisation",
        "case__handling_organisation",
        "case__handling_unit",
    )
    if status:
        submissions = submissions.filter(state=status)
    if updated_since is not None:
        submissions = submissions.filter(submitted_at__gte=updated_since)
    if form:
        submissions = submissions.filter(offering__form__slug=form)
    if unit is not None:
        submissions = submissions.filter(case__handling_unit_id=unit)
    return submissions.order_by("-submitted_at", "-id")


def submission_get(*, user, token: ApiToken | None, submission_id: int) -> Submission:
    return (
        submission_list(user=user, token=token)
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("id")))
        .get(pk=submission_id)
    )


# --- webhooks ------------------------------------------------------------------------------


def subscription_list(*, user, token: ApiToken | None) -> QuerySet[WebhookSubscription]:
    return (
        WebhookSubscription.objects.filter(
            organisation_id__in=handling_organisation_ids(user, token)
        )
        .select_related("organisation")
        .order_by("id")
    )


def subscription_get(*, user, token: ApiToken | None, subscription_id: int):
    return subscription_list(user=user, token=token).get(pk=subscription_id)


def delivery_list(
    *, subscription: WebhookSubscription, status: str | None = None, event: str | None = None
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    if status:
        deliveries = deliveries.filter(status=status)
    if event:
        deliveries = deliveries.filter(event=event)
    return deliveries.order_by("-created_at", "-id")
