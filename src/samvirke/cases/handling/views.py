"""Back-office screens for case handling: the inbox of a unit's cases and the case page,
where a handler reads the submission and documents, assigns, writes notes, messages the
applicant, changes the status, decides and closes. (The screening pages are in
`screening.views`.)

Views are thin: the selectors decide what a user sees (anything else is a 404, as if it
did not exist), the services in `handling.services` make every change and record the
audited reads of personal data (the case page, a case document).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.cases.core.selectors import (
    case_for_staff,
    days_left,
    deadline_state,
    is_confidential,
    workflow_of,
)
from samvirke.cases.documents.selectors import case_documents, document_response
from samvirke.cases.handling import services as handling
from samvirke.cases.handling.forms import (
    ACTIVE,
    ALL,
    AssignForm,
    DecideForm,
    EmergencyAccessForm,
    InboxFilter,
    MessageForm,
    NoteForm,
    StatusForm,
)
from samvirke.cases.handling.selectors import (
    applicant_display_name,
    applicant_email,
    assignable_handlers,
    case_decision,
    case_events,
    case_for_emergency_access,
    case_for_handling,
    case_messages,
    case_notes,
    case_page_documents,
    default_legal_basis,
    emergency_municipality_choices,
    inbox_case_types,
    inbox_cases,
    inbox_forms,
    inbox_units,
    may_break_glass,
    may_handle_cases,
    status_choices,
)
from samvirke.cases.journal.selectors import case_journal
from samvirke.cases.models import (
    Case,
    MessageDirection,
    Outcome,
    Phase,
    ScanStatus,
)
from samvirke.eservices import engine

NS = "samvirke_case_handling"
PAGE_SIZE = 50


def _require_handler(request) -> None:
    if not may_handle_cases(request.user):
        raise PermissionDenied


# ---------------------------------------------------------------- the inbox


@require_GET
def inbox(request):
    """The cases a handler may handle, one unit at a time or all, with filters, search
    and paging. Overdue rows say so in words as well as colour."""
    _require_handler(request)
    user = request.user
    units = inbox_units(user)
    case_types = inbox_case_types()
    types_by_id = {ct.pk: ct for ct in case_types}
    form_choices = inbox_forms()
    filters = InboxFilter(
        request.GET or None, units=units, case_types=case_types, forms_=form_choices
    )
    data = filters.cleaned_data if filters.is_valid() else {}
    unit_id = data.get("unit")
    status = data.get("status") or ACTIVE
    cases = inbox_cases(
        user,
        case_types=case_types,
        unit=unit_id,
        status=None if status in (ACTIVE, ALL) else status,
        all_statuses=status == ALL,
        deadline=data.get("deadline") or None,
        assignee=data.get("assignee") or "",
        form=data.get("form"),
        text=data.get("q") or "",
        sort=data.get("sort") or "",
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("p"))
    today = timezone.localdate()
    rows = []
    for case in page.object_list:
        case.case_type = types_by_id[case.case_type_id]  # one workflow per type, not per row
        workflow = workflow_of(case.case_type)
        state = deadline_state(case, today=today)
        left = days_left(case, today=today)
        rows.append(
            {
                "case": case,
                "status": workflow.status(case.status).text(),
                "state": state,
                "state_label": state.label,
                "days_left": left,
                "days_over": -left if left is not None and left < 0 else 0,
            }
        )
    query = request.GET.copy()
    query.pop("p", None)
    chosen = next((u for u in units if u.pk == unit_id), None)
    return render(
        request,
        "cases/admin/cases/inbox.html",
        {
            "filters": filters,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "title": _("Case inbox"),
            "subtitle": chosen.label if chosen else _("All units"),
            "header_icon": "tasks",
            "may_break_glass": may_break_glass(user),
        },
    )


# ---------------------------------------------------------------- the case page


ACTIONS = ("assign", "assign_me", "note", "message", "status", "decide", "close")


def _case(request, case_id: int) -> Case:
    return case_for_handling(request.user, case_id)


def _post(request, case: Case, action: str, bound: dict):
    """Runs one action; returns a success message, or None with errors left on the
    bound form (which the page then shows with what was typed)."""
    user = request.user
    try:
        if action == "assign_me":
            handling.case_assign(case, user, user)
            return _("The case is yours.")
        if action == "assign":
            form = bound["assign"]
            if form.is_valid():
                chosen = form.cleaned_data["assignee"]
                assignee = next((u for u in bound["handlers"] if u.pk == chosen), None)
                handling.case_assign(case, assignee, user)
                return (
                    _("The case is given to %(name)s.") % {"name": assignee.full_name}
                    if assignee
                    else _("Nobody has the case now.")
                )
        elif action == "note":
            form = bound["note"]
            if form.is_valid():
                handling.case_note_add(case, form.cleaned_data["note"], user)
                return _("The note is saved.")
        elif action == "message":
            form = bound["message"]
            if form.is_valid():
                asks = form.cleaned_data["requests_information"]
                handling.message_to_applicant(
                    case, form.cleaned_data["body"], user, requests_information=asks
                )
                return (
                    _("The request is sent; the deadline is paused until the applicant answers.")
                    if asks
                    else _("The message is sent.")
                )
        elif action == "status":
            form = bound["status"]
            if form.is_valid():
                handling.case_status_change(
                    case, form.cleaned_data["status"], user, reason=form.cleaned_data["reason"]
                )
                return _("The status is changed.")
        elif action == "decide":
            form = bound["decide"]
            if form.is_valid():
                handling.case_decide(
                    case,
                    form.cleaned_data["outcome"],
                    form.cleaned_data["text"],
                    user,
                    legal_basis=form.cleaned_data["legal_basis"],
                )
                return _("The decision is made and the letter sent to the applicant.")
        elif action == "close":
            handling.case_close(case, user)
            return _("The case is closed.")
    except ValidationError as error:
        form = bound.get(action.replace("_me", ""))
        if form is not None and hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                target = field if field in form.fields else None
                for message in errors:
                    form.add_error(target, message)
        elif form is not None:
            form.add_error(None, error)
        else:
            bound["errors"] = error.messages
    return None


@require_http_methods(["GET", "POST"])
def case_detail(request, case_id: int):
    _require_handler(request)
    case = _case(request, case_id)
    user = request.user
    workflow = workflow_of(case.case_type)
    phase = workflow.phase(case.status)
    handlers = assignable_handlers(case)
    action = request.POST.get("_action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        return redirect(reverse(f"{NS}:case", args=[case.pk]))

    def bind(name, form_class, **kwargs):
        data = request.POST if action == name else None
        return form_class(data, prefix=name, **kwargs)

    bound = {
        "handlers": handlers,
        "assign": bind(
            "assign", AssignForm, handlers=handlers, initial={"assignee": case.assignee_id}
        ),
        "note": bind("note", NoteForm),
        "message": bind("message", MessageForm),
        "status": bind("status", StatusForm, statuses=status_choices(case)),
        "decide": bind(
            "decide",
            DecideForm,
            initial={"legal_basis": default_legal_basis(case)},
        ),
    }
    if request.method == "POST":
        done = _post(request, case, action, bound)
        if done:
            messages.success(request, done)
            return redirect(reverse(f"{NS}:case", args=[case.pk]) + f"#{action}")
    else:
        handling.case_page_read(case=case, actor=user)
    context = _case_context(request, case, workflow)
    context.update(
        {
            "forms": bound,
            "action": action,
            "errors": bound.get("errors", []),
            "phase": phase,
            "can_message": phase != Phase.CLOSED,
            "can_pause": phase != Phase.PAUSED
            and workflow.first_allowed_in_phase(case.status, Phase.PAUSED) is not None,
            "can_decide": context["decision"] is None
            and workflow.first_allowed_in_phase(case.status, Phase.DECIDED) is not None,
            "can_close": workflow.first_allowed_in_phase(case.status, Phase.CLOSED) is not None,
            "has_statuses": bool(status_choices(case)),
        }
    )
    has_errors = request.method == "POST"
    return render(
        request, "cases/admin/cases/case.html", context, status=400 if has_errors else 200
    )


def _case_context(request, case: Case, workflow) -> dict:
    language = (get_language() or "nb")[:2]
    submission = getattr(case, "submission", None)
    review = None
    if submission is not None:
        review = engine.review_steps(
            submission.form_version.definition, answers=submission.answers, language=language
        )
    documents = case_page_documents(case)
    events = case_events(case)
    decision = case_decision(case)
    state = deadline_state(case)
    return {
        "case": case,
        "title": case.reference,
        "subtitle": case.title,
        "header_icon": "doc-full",
        "status_label": workflow.status(case.status).text(),
        "state": state,
        "days_left": days_left(case),
        "days_over": max(0, -(days_left(case) or 0)),
        "submission": submission,
        "review": review,
        "documents": documents,
        "timeline": [(event, event_text(event, workflow)) for event in events],
        "notes": case_notes(case),
        "case_messages": case_messages(case),
        "journal": case_journal(case),
        "decision": decision,
        "applicant_name": applicant_display_name(case),
        "applicant_email": applicant_email(case),
        "confidential": is_confidential(case),
        "inbox_url": reverse(f"{NS}:inbox"),
    }


# Reasons other parts record as codes, in words.
REASONS = {"applicant_replied": gettext_lazy("the applicant answered")}


def event_text(event, workflow) -> str:
    """One timeline line, in the reader's language."""
    data = event.data or {}

    def status_text(key):
        return workflow.status(key).text() if key in workflow.statuses else key

    if event.kind == "opened":
        return _("Case opened, handled by %(unit)s") % {"unit": data.get("unit", "")}
    if event.kind == "status":
        text = _("Status: %(from)s → %(to)s") % {
            "from": status_text(data.get("from")),
            "to": status_text(data.get("to")),
        }
        reason = REASONS.get(data.get("reason") or "", data.get("reason"))
        return f"{text} ({reason})" if reason else text
    if event.kind in ("message_in", "reply"):
        return _("Message from the applicant")
    if event.kind == "assigned":
        if data.get("assignee"):
            return _("Given to %(name)s") % {"name": data["assignee"]}
        return _("No longer assigned to anyone")
    if event.kind == "note":
        return _("Internal note added")
    if event.kind == "message":
        if data.get("direction") == MessageDirection.FROM_APPLICANT:
            return _("Message from the applicant")
        if data.get("requests_information"):
            return _("Asked the applicant for more information")
        return _("Message sent to the applicant")
    if event.kind == "decided":
        outcome = data.get("outcome")
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        return _("Decided: %(outcome)s") % {"outcome": label}
    if event.kind == "entry_screened":
        return _("Journal entry %(entry)s screened (%(basis)s)") % {
            "entry": data.get("entry", ""),
            "basis": data.get("basis", ""),
        }
    if event.kind == "entry_unscreened":
        return _("Screening of journal entry %(entry)s lifted") % {"entry": data.get("entry", "")}
    if event.kind == "case_screened":
        return _("Case screened (%(basis)s)") % {"basis": data.get("basis", "")}
    if event.kind == "case_unscreened":
        return _("Screening of the case lifted")
    if event.kind == "entry_online_names":
        texts = {
            "shown": _("Journal entry %(entry)s: names of private persons shown online"),
            "withheld": _("Journal entry %(entry)s: names of private persons withheld online"),
        }
        text = texts.get(
            data.get("online_names", ""),
            _("Journal entry %(entry)s: names online as the case type says"),
        )
        return text % {"entry": data.get("entry", "")}
    if event.kind == "emergency_access":
        return _("Emergency access (break the glass) by %(name)s") % {"name": data.get("name", "")}
    return event.kind.replace("_", " ").capitalize()


# ---------------------------------------------------------------- breaking the glass


@require_http_methods(["GET", "POST"])
def emergency_access(request):
    """Breaking the glass: a holder of the emergency access role names a confidential case
    of their organisation by its number and writes why they need it now; the service
    opens it to them for a limited time and records it for the data protection officer.
    Anyone else gets a 404, as if the page did not exist."""
    user = request.user
    if not may_break_glass(user):
        raise Http404
    form = EmergencyAccessForm(
        request.POST or None, municipalities=emergency_municipality_choices(user)
    )
    if request.method == "POST" and form.is_valid():
        year, sequence = form.number()
        try:
            case = case_for_emergency_access(
                user,
                organisation_id=form.cleaned_data["organisation"],
                year=year,
                sequence=sequence,
            )
        except Case.DoesNotExist:
            form.add_error(
                "reference",
                _("No confidential case with this number that you may open in an emergency."),
            )
        else:
            try:
                access = handling.case_emergency_access_open(
                    case=case, actor=user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access to %(case)s until %(time)s. It is recorded with "
                        "your reason."
                    )
                    % {
                        "case": case.reference,
                        "time": timezone.localtime(access.expires_at).strftime("%H:%M"),
                    },
                )
                return redirect(reverse(f"{NS}:case", args=[case.pk]))
    return render(
        request,
        "cases/admin/cases/emergency_access.html",
        {
            "form": form,
            "title": _("Emergency access"),
            "subtitle": _("Break the glass"),
            "header_icon": "warning",
            "inbox_url": reverse(f"{NS}:inbox"),
        },
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- screening


@require_GET
def case_document(request, case_id: int, document_id: int):
    """A document of the case, after the permission check; an audited read."""
    _require_handler(request)
    case = case_for_staff(request.user, case_id)
    document = get_object_or_404(case_documents(case), pk=document_id)
    if document.scan_status == ScanStatus.INFECTED:
        raise Http404
    handling.case_document_read(case=case, document=document, actor=request.user)
    return document_response(document)
