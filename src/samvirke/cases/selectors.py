"""Reading cases: which cases a staff user may see, and a citizen's own cases.

A staff user sees a case when they hold a handling role for the case's owning municipality
in the case's area of work (in their own organisation, or through a cooperation
arrangement's host unit) and the case is handled by one of their own organisations. So
Spydeberg's PPT unit sees a Skiptvet citizen's PPT referral that it handles, while
Skiptvet's own case handlers do not see a case handled by Spydeberg, and Askim sees none
of it. Everyone else gets a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from samvirke.accounts.access import grants_condition, own_organisation_ids
from samvirke.accounts.models import Role
from samvirke.cases.models import Case

HANDLER_ROLES = frozenset({Role.CASE_HANDLER, Role.ADMINISTRATOR})


def cases_for_staff(user, *, roles=HANDLER_ROLES) -> QuerySet[Case]:
    return Case.objects.filter(
        grants_condition(user, roles=roles),
        handling_organisation_id__in=own_organisation_ids(user),
    )


def case_for_staff(user, pk) -> Case:
    """The case, or 404 when the user may not see it."""
    return get_object_or_404(cases_for_staff(user), pk=pk)


def cases_for_citizen(user) -> QuerySet[Case]:
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(applicant=user)


def case_for_citizen(user, pk) -> Case:
    return get_object_or_404(cases_for_citizen(user), pk=pk)
