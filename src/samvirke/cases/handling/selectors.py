"""Reading cases as their handlers do: who may use the inbox, the inbox of a handler's
units with its filters and order, the case page's case, and of one case who the applicant
is, who may be given the case, which statuses it may move to and the default legal basis
of a decision; and what the case page lists of the case (documents, timeline, notes,
messages, the decision).

What a staff user may see at all is decided once, in `core.selectors.cases_for_staff`;
everything here narrows that down."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samvirke.accounts.access import grants_for, own_organisation_ids
from samvirke.accounts.models import Membership, Role, User
from samvirke.cases.core.selectors import (
    HANDLER_ROLES,
    cases_filter,
    cases_for_staff,
    cases_in_reach,
    confidential_q,
    need_to_know_allows,
    workflow_of,
)
from samvirke.cases.documents.selectors import case_documents
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    CaseNote,
    CaseType,
    Decision,
    Document,
    Phase,
)
from samvirke.eservices.models import FormDefinition
from samvirke.organisations.models import Unit

# The legal basis a decision letter names when the handler gives none, per library form.
# A municipality's own forms fall back to the general rules on decisions.
LEGAL_BASIS = {
    "byggesoknad": "Plan- og bygningsloven § 20-1 og § 21-4",
    "barnehageopptak": "Barnehageloven § 16 og forskrift om saksbehandlingsregler ved opptak",
    "hjemmetjenester": "Helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6",
    "innsyn": "Offentleglova § 3, § 29 og § 31",
    "henvisning-ppt": "Opplæringslova, jf. forvaltningsloven kapittel IV–VI",
}


DEFAULT_LEGAL_BASIS = "Forvaltningsloven §§ 24 og 25"


def applicant_display_name(case: Case) -> str:
    if case.applicant_name:
        return case.applicant_name
    if case.applicant is not None and case.applicant.full_name:
        return case.applicant.full_name
    return ""


def applicant_email(case: Case) -> str:
    """Where notices go: the e-mail given with the case, else the citizen account's."""
    if case.applicant_email:
        return case.applicant_email
    if case.applicant is not None and case.applicant.email:
        return case.applicant.email
    return ""


def my_cases_url(case: Case) -> str:
    """The applicant's page of the case in My cases (an absolute link, for e-mail)."""
    base = (settings.WAGTAILADMIN_BASE_URL or "").rstrip("/")
    return f"{base}/my-cases/{case.pk}/"


def default_legal_basis(case: Case) -> str:
    slug = case.offering.form.slug if case.offering is not None else ""
    return LEGAL_BASIS.get(slug, DEFAULT_LEGAL_BASIS)


def assignable_handlers(case: Case, *, limit: int = 200) -> list:
    """Staff who may be given the case: handlers of the handling organisation who can
    see it (through the same selector as everything else), not only by breaking the
    glass."""
    candidates = (
        User.objects.filter(
            is_active=True,
            role_assignments__organisation_id=case.handling_organisation_id,
            role_assignments__role__in=HANDLER_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")[:limit]
    )
    return [
        user
        for user in candidates
        if cases_for_staff(user).filter(pk=case.pk).exists()
        and need_to_know_allows(user, case, emergency=False)  # not by breaking the glass
    ]


def status_choices(case: Case) -> list:
    """The statuses the case may move to by a plain status change (not deciding)."""
    workflow = workflow_of(case.case_type)
    return [s for s in workflow.allowed(case.status) if s.phase != Phase.DECIDED]


def may_handle_cases(user) -> bool:
    """Whether the user holds a case-handling role anywhere (the inbox is theirs)."""
    return any(grant.role in HANDLER_ROLES for grant in grants_for(user))


@dataclass(frozen=True)
class InboxUnit:
    """A unit the inbox can be narrowed to, labelled for the filter."""

    pk: int
    label: str
    is_mine: bool


def inbox_units(user) -> list[InboxUnit]:
    """The units of the user's own organisations, those they work in first (with the
    organisation's name in the label when there are several organisations)."""
    own = own_organisation_ids(user)
    mine = set(
        Membership.units.through.objects.filter(membership__user=user).values_list(
            "unit_id", flat=True
        )
    )
    units = list(
        Unit.objects.filter(organisation_id__in=own)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    several = len({u.organisation_id for u in units}) > 1
    labelled = []
    for unit in units:
        is_mine = unit.pk in mine
        label = f"{unit.name} ({unit.organisation.name})" if several else unit.name
        label = f"{label} – {_('your unit')}" if is_mine else label
        labelled.append(InboxUnit(pk=unit.pk, label=label, is_mine=is_mine))
    labelled.sort(key=lambda u: (not u.is_mine, u.label))
    return labelled


def inbox_case_types() -> list[CaseType]:
    """Every case type with its workflow, for the inbox's status filter and its rows (case
    types are shared by all municipalities)."""
    return list(CaseType.objects.only("id", "workflow"))


def inbox_forms() -> list[FormDefinition]:
    """The library forms by title, for the inbox's form filter (shared by all
    municipalities)."""
    return list(FormDefinition.objects.order_by("title").only("id", "title"))


# The inbox's orders; the default is the soonest deadline first.
INBOX_ORDERS: dict[str, list] = {
    "newest": ["-opened_at", "-pk"],
    "oldest": ["opened_at", "pk"],
}


def inbox_cases(
    user,
    *,
    case_types: list[CaseType],
    unit: int | None = None,
    status: str | None = None,
    all_statuses: bool = False,
    deadline: str | None = None,
    assignee: str = "",
    form: int | None = None,
    text: str = "",
    sort: str = "",
) -> QuerySet[Case]:
    """The cases of the handler's inbox: not closed unless `all_statuses` or a `status` is
    asked for; `assignee` is "me", "none" or "" (anyone); `sort` is "newest", "oldest" or ""
    (the soonest deadline first, cases without one last)."""
    cases = cases_filter(
        cases_for_staff(user),
        unit=unit,
        status=status,
        not_closed=not status and not all_statuses,
        case_types=case_types,
        deadline=deadline,
        assignee=user if assignee == "me" else None,
        unassigned=assignee == "none",
        form_id=form,
        text=text,
    )
    order = INBOX_ORDERS.get(sort, [F("deadline").asc(nulls_last=True), "opened_at", "pk"])
    return cases.select_related(
        "organisation", "handling_unit", "assignee", "offering__form", "via_arrangement"
    ).order_by(*order)


def case_for_handling(user, case_id: int) -> Case:
    """The case with what its page shows loaded, or 404 when the user may not see it."""
    return get_object_or_404(
        cases_for_staff(user).select_related(
            "case_type",
            "organisation",
            "handling_organisation",
            "handling_unit",
            "via_arrangement",
            "applicant",
            "assignee",
            "offering__form",
            "area",
        ),
        pk=case_id,
    )


# The case page's lists. The caller has reached the case through `case_for_handling`, so
# these read within it.


def case_page_documents(case: Case) -> list[Document]:
    """The case's documents, oldest first, each with its journal entry."""
    return list(case_documents(case).select_related("journal_entry"))


def case_events(case: Case) -> list[CaseEvent]:
    """The case's events for its timeline, each with who acted."""
    return list(case.events.select_related("actor"))


def case_decision(case: Case) -> Decision | None:
    """The decision in the case with who decided and its letter, or None before one."""
    return Decision.objects.filter(case=case).select_related("decided_by", "letter").first()


def case_notes(case: Case) -> list[CaseNote]:
    """The handlers' internal notes on the case, each with its author."""
    return list(case.notes.select_related("author"))


def case_messages(case: Case) -> list[CaseMessage]:
    """The messages between the municipality and the applicant, each with its author and
    journal entry."""
    return list(case.messages.select_related("author", "journal_entry"))


# ---------------------------------------------------------------- breaking the glass


def emergency_organisation_ids(user) -> set[int]:
    """Organisations where the user holds the emergency access role in their own right:
    they may break the glass for the confidential cases those organisations handle."""
    return {
        g.organisation_id
        for g in grants_for(user)
        if g.role == Role.EMERGENCY_ACCESS and g.via_arrangement_id is None
    }


def may_break_glass(user) -> bool:
    return bool(emergency_organisation_ids(user))


def case_for_emergency_access(user, *, organisation_id: int, year: int, sequence: int) -> Case:
    """The confidential case with this number in the owning municipality, for a holder of
    the emergency access role in its handling organisation who reaches it apart from the
    need-to-know rule (so never another municipality's case); else `Case.DoesNotExist`."""
    return (
        cases_in_reach(user)
        .filter(
            confidential_q(),
            handling_organisation_id__in=emergency_organisation_ids(user),
            organisation_id=organisation_id,
            year=year,
            sequence=sequence,
        )
        .select_related("case_type", "offering", "organisation", "handling_unit")
        .get()
    )


def emergency_municipality_choices(user) -> list[tuple[int, str]]:
    """The owning municipalities whose cases the user's organisations handle and the user
    reaches: where a case number may be looked up for breaking the glass."""
    organisations = (
        cases_in_reach(user)
        .filter(handling_organisation_id__in=emergency_organisation_ids(user))
        .values_list("organisation_id", "organisation__name")
        .distinct()
        .order_by("organisation__name")
    )
    return list(organisations)
