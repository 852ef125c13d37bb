"""Back-office screens for case handling: the inbox of a unit's cases and the case page,
where a handler reads the submission and documents, assigns, writes notes, messages the
applicant, changes the status, decides and closes; and the screening pages, where the
handler screens a journal entry or the whole case from the public journal, or lifts the
screening.

Views are thin: the selectors decide what a user sees (anything else is a 404, as if it
did not exist), the services in `handling` make every change. Reading a case page and
downloading a case document are audited reads of personal data.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.access import grants_for, own_organisation_ids
from samvirke.accounts.models import Membership
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import handling, screening
from samvirke.cases.deadlines import (
    DeadlineState,
    days_left,
    deadline_state,
    deadline_state_q,
    phase_q,
)
from samvirke.cases.documents import document_response
from samvirke.cases.models import (
    Case,
    CaseType,
    Decision,
    Document,
    JournalEntry,
    MessageDirection,
    Outcome,
    Phase,
    ScanStatus,
)
from samvirke.cases.screening_bases import screening_basis_choices, screening_basis_get
from samvirke.cases.selectors import HANDLER_ROLES, case_for_staff, cases_for_staff
from samvirke.cases.workflow import workflow_of
from samvirke.eservices import engine
from samvirke.eservices.models import FormDefinition
from samvirke.organisations.models import Unit

NS = "samvirke_case_handling"
PAGE_SIZE = 50


def may_handle_cases(user) -> bool:
    return any(grant.role in HANDLER_ROLES for grant in grants_for(user))


def _require_handler(request) -> None:
    if not may_handle_cases(request.user):
        raise PermissionDenied


# ---------------------------------------------------------------- the inbox

ACTIVE, ALL = "", "all"


class InboxFilter(forms.Form):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Unit"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    deadline = forms.ChoiceField(
        label=gettext_lazy("Deadline"),
        required=False,
        choices=[("", gettext_lazy("Any"))]
        + [(s.value, s.label) for s in DeadlineState if s != DeadlineState.NONE],
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Case handler"),
        required=False,
        choices=[
            ("", gettext_lazy("Anyone")),
            ("me", gettext_lazy("Me")),
            ("none", gettext_lazy("Nobody yet")),
        ],
    )
    form = forms.TypedChoiceField(
        label=gettext_lazy("Form"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Case number (2026/00012) or words in the title."),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("", gettext_lazy("Deadline, soonest first")),
            ("newest", gettext_lazy("Received, newest first")),
            ("oldest", gettext_lazy("Received, oldest first")),
        ],
    )

    def __init__(self, *args, units, case_types, forms_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units"))] + [(u.pk, u.label) for u in units]
        statuses: dict[str, str] = {}
        for case_type in case_types:
            for key, status in workflow_of(case_type).statuses.items():
                statuses.setdefault(key, status.text())
        self.fields["status"].choices = [
            (ACTIVE, _("Not closed")),
            (ALL, _("All, closed too")),
        ] + list(statuses.items())
        self.fields["form"].choices = [("", _("Any"))] + [(f.pk, f.title) for f in forms_]


def _search(queryset, text: str):
    text = text.strip()
    number = re.fullmatch(r"(\d{4})\s*/\s*0*(\d+)(?:-\d+)?", text)
    if number:
        return queryset.filter(year=int(number[1]), sequence=int(number[2]))
    if text.isdigit():
        return queryset.filter(Q(sequence=int(text)) | Q(title__icontains=text))
    return queryset.filter(title__icontains=text)


def _inbox_units(user) -> list[Unit]:
    """The units of the user's own organisations, those they work in first."""
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
    for unit in units:
        unit.is_mine = unit.pk in mine
        label = f"{unit.name} ({unit.organisation.name})" if several else unit.name
        unit.label = f"{label} – {_('your unit')}" if unit.is_mine else label
    units.sort(key=lambda u: (not u.is_mine, u.label))
    return units


@require_GET
def inbox(request):
    """The cases a handler may handle, one unit at a time or all, with filters, search
    and paging. Overdue rows say so in words as well as colour."""
    _require_handler(request)
    user = request.user
    units = _inbox_units(user)
    case_types = list(CaseType.objects.only("id", "workflow"))
    types_by_id = {ct.pk: ct for ct in case_types}
    form_choices = list(FormDefinition.objects.order_by("title").only("id", "title"))
    filters = InboxFilter(
        request.GET or None, units=units, case_types=case_types, forms_=form_choices
    )
    cases = cases_for_staff(user)
    data = filters.cleaned_data if filters.is_valid() else {}
    unit_id = data.get("unit")
    if unit_id:
        cases = cases.filter(handling_unit_id=unit_id)
    status = data.get("status") or ACTIVE
    if status == ACTIVE:
        cases = cases.exclude(phase_q(Phase.CLOSED, case_types=case_types))
    elif status != ALL:
        cases = cases.filter(status=status)
    if data.get("deadline"):
        cases = cases.filter(deadline_state_q(data["deadline"], case_types=case_types))
    if data.get("assignee") == "me":
        cases = cases.filter(assignee=user)
    elif data.get("assignee") == "none":
        cases = cases.filter(assignee__isnull=True)
    if data.get("form"):
        cases = cases.filter(offering__form_id=data["form"])
    if data.get("q"):
        cases = _search(cases, data["q"])
    order = {
        "newest": ["-opened_at", "-pk"],
        "oldest": ["opened_at", "pk"],
    }.get(data.get("sort") or "", [F("deadline").asc(nulls_last=True), "opened_at", "pk"])
    cases = cases.select_related(
        "organisation", "handling_unit", "assignee", "offering__form", "via_arrangement"
    ).order_by(*order)
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
        },
    )


# ---------------------------------------------------------------- the case page


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=handling.MAX_TEXT,
        help_text=gettext_lazy(
            "The applicant reads it in My cases. The e-mail notice only says that there "
            "is a message, never what it says."
        ),
    )
    requests_information = forms.BooleanField(
        label=gettext_lazy("Ask for more information (the deadline pauses until they answer)"),
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=handling.MAX_TEXT,
        help_text=gettext_lazy("For colleagues only; the applicant never sees it."),
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=gettext_lazy("Give the case to"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (u.pk, u.full_name or u.username) for u in handlers
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"), required=False, max_length=500
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.key, s.text()) for s in statuses]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=gettext_lazy("Grounds"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=handling.MAX_TEXT,
        help_text=gettext_lazy(
            "The facts and the assessment the decision rests on (forvaltningsloven § 25)."
        ),
    )
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=500)


ACTIONS = ("assign", "assign_me", "note", "message", "status", "decide", "close")


def _case(request, case_id: int) -> Case:
    return get_object_or_404(
        cases_for_staff(request.user).select_related(
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
    handlers = handling.assignable_handlers(case)
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
        "status": bind("status", StatusForm, statuses=handling.status_choices(case)),
        "decide": bind(
            "decide", DecideForm, initial={"legal_basis": handling.default_legal_basis(case)}
        ),
    }
    if request.method == "POST":
        done = _post(request, case, action, bound)
        if done:
            messages.success(request, done)
            return redirect(reverse(f"{NS}:case", args=[case.pk]) + f"#{action}")
    else:
        audit_record(
            action=AuditAction.READ,
            obj=case,
            object_label=case.reference,
            actor=user,
            acting_for=case.handling_organisation,
            details={"purpose": "case handling", "view": "case page"},
        )
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
            "has_statuses": bool(handling.status_choices(case)),
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
    documents = list(
        Document.objects.filter(Q(case=case) | Q(submission__case=case))
        .select_related("journal_entry")
        .distinct()
        .order_by("created_at", "pk")
    )
    events = list(case.events.select_related("actor"))
    decision = Decision.objects.filter(case=case).select_related("decided_by", "letter").first()
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
        "notes": list(case.notes.select_related("author")),
        "case_messages": list(case.messages.select_related("author", "journal_entry")),
        "journal": list(case.journal_entries.order_by("number_in_case")),
        "decision": decision,
        "applicant_name": handling.applicant_display_name(case),
        "applicant_email": handling.applicant_email(case),
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
    return event.kind.replace("_", " ").capitalize()


# ---------------------------------------------------------------- screening


class ScreeningForm(forms.Form):
    basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis for the screening"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the legal basis for the screening.")},
    )
    extra_words = forms.CharField(
        label=gettext_lazy("Other words to hide (optional)"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Separate them with commas, for example an address or another person's name. "
            "Each must be in the title."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="screening", **kwargs)
        self.fields["basis"].choices = screening_basis_choices()

    def clean_extra_words(self) -> list[str]:
        return [w.strip() for w in self.cleaned_data["extra_words"].split(",") if w.strip()]


SCREENING_ACTIONS = ("screen", "unscreen")


def _screening_initial(basis: str) -> dict:
    known = screening_basis_get(basis)
    return {"basis": known.code} if known else {}


def _form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's validation error on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error)


def _screening_page(request, case: Case, entry: JournalEntry | None):
    """The screening page of a journal entry (with `entry`) or of the case: GET shows
    it, POST screens (`_action=screen`) or lifts the screening (`_action=unscreen`)."""
    user = request.user
    record = entry if entry is not None else case
    action = request.POST.get("_action", "") if request.method == "POST" else ""
    here = request.path
    if request.method == "POST" and action not in SCREENING_ACTIONS:
        return redirect(here)
    form = ScreeningForm(
        request.POST if action == "screen" else None,
        initial=_screening_initial(record.screening_basis),
    )
    if action == "screen" and form.is_valid():
        basis, words = form.cleaned_data["basis"], form.cleaned_data["extra_words"]
        try:
            if entry is not None:
                screening.journal_entry_screen(
                    entry=entry, basis=basis, extra_words=words, actor=user
                )
                done = _("Journal entry %(entry)s is screened.") % {"entry": entry.reference}
            else:
                screening.case_screen(case=case, basis=basis, extra_words=words, actor=user)
                done = _("The case is screened, and its journal entries with it.")
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse(f"{NS}:case", args=[case.pk]) + "#journal")
    elif action == "unscreen":
        if entry is not None:
            screening.journal_entry_unscreen(entry=entry, actor=user)
            done = _("The screening of journal entry %(entry)s is lifted.") % {
                "entry": entry.reference
            }
        else:
            screening.case_unscreen(case=case, actor=user)
            done = _("The screening of the case is lifted; its journal entries keep theirs.")
        messages.success(request, done)
        return redirect(reverse(f"{NS}:case", args=[case.pk]) + "#journal")
    if request.method == "GET":
        audit_record(
            action=AuditAction.READ,
            obj=case,
            object_label=case.reference,
            actor=user,
            acting_for=case.handling_organisation,
            details={
                "purpose": "case handling",
                "view": "screening page",
                "journal_entry": entry.reference if entry is not None else None,
            },
        )
    if entry is not None:
        reference, always_hidden = entry.reference, screening.entry_protected_words(entry)
        title = _("Screening of journal entry %(entry)s") % {"entry": reference}
    else:
        reference, always_hidden = case.reference, screening.case_protected_words(case)
        title = _("Screening of case %(case)s") % {"case": reference}
    return render(
        request,
        "cases/admin/cases/screening.html",
        {
            "case": case,
            "entry": entry,
            "record": record,
            "form": form,
            "always_hidden": always_hidden,
            "title": title,
            "subtitle": record.title,
            "header_icon": "lock",
            "case_url": reverse(f"{NS}:case", args=[case.pk]),
            "entries_screened": case.journal_entries.exclude(screening_basis="").count()
            if entry is None
            else 0,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def entry_screening(request, case_id: int, entry_id: int):
    """Screens a journal entry of the case or lifts its screening. Another
    municipality's case, or an entry of another case, is a 404."""
    _require_handler(request)
    case = _case(request, case_id)
    entry = get_object_or_404(case.journal_entries.all(), pk=entry_id)
    entry.case = case
    return _screening_page(request, case, entry)


@require_http_methods(["GET", "POST"])
def case_screening(request, case_id: int):
    """Screens the case (and its journal entries) or lifts the case's screening."""
    _require_handler(request)
    return _screening_page(request, _case(request, case_id), None)


@require_GET
def case_document(request, case_id: int, document_id: int):
    """A document of the case, after the permission check; an audited read."""
    _require_handler(request)
    case = case_for_staff(request.user, case_id)
    document = get_object_or_404(
        Document.objects.filter(Q(case=case) | Q(submission__case=case)).distinct(),
        pk=document_id,
    )
    if document.scan_status == ScanStatus.INFECTED:
        raise Http404
    audit_record(
        action=AuditAction.READ,
        obj=document,
        actor=request.user,
        acting_for=case.handling_organisation,
        details={"purpose": "case handling", "case": case.reference},
    )
    return document_response(document)
