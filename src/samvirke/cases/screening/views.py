"""Back-office screening pages: a handler screens a journal entry or the whole case from
the public journal (skjerming), or lifts the screening. They hang under the case page's
URLs (`handling.urls`) and, like it, open only for those who may handle the case; the
services in `screening.services` make every change and record the audited read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samvirke.cases.handling.selectors import case_for_handling, may_handle_cases
from samvirke.cases.journal.selectors import case_journal_entry_get, screened_entry_count
from samvirke.cases.models import (
    Case,
    JournalEntry,
    OnlineNames,
)
from samvirke.cases.screening import selectors as screening_selectors
from samvirke.cases.screening import services as screening
from samvirke.cases.screening.bases import screening_basis_choices, screening_basis_get

# The URL namespace of the case pages these belong to (see handling.urls).
NS = "samvirke_case_handling"


def _case(request, case_id: int) -> Case:
    """The case, for someone who may handle cases and see this one; else 403 or 404."""
    if not may_handle_cases(request.user):
        raise PermissionDenied
    return case_for_handling(request.user, case_id)


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


SCREENING_ACTIONS = ("screen", "unscreen", "online_names")


class OnlineNamesForm(forms.Form):
    """The handler's choice for one journal entry: names of private persons online."""

    online_names = forms.ChoiceField(
        label=gettext_lazy("Names of private persons in the public journal on the internet"),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, case_type_text: str = "", **kwargs):
        super().__init__(*args, prefix="names", **kwargs)
        self.fields["online_names"].choices = [
            ("", _("As the case type says (%(setting)s)") % {"setting": case_type_text}),
            (OnlineNames.WITHHELD, _("Withheld online for this journal entry")),
            (OnlineNames.SHOWN, _("Shown online for this journal entry")),
        ]


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
    it, POST screens (`_action=screen`), lifts the screening (`_action=unscreen`) or, for
    an entry, sets whether the names of private persons are shown online
    (`_action=online_names`)."""
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
    names_form = None
    if entry is not None:
        names_form = OnlineNamesForm(
            request.POST if action == "online_names" else None,
            initial={"online_names": entry.online_names},
            case_type_text=OnlineNames(case.case_type.online_names).label.lower(),
        )
    if action == "online_names":
        if names_form is None:
            return redirect(here)
        if names_form.is_valid():
            try:
                screening.journal_entry_online_names_set(
                    entry=entry,
                    online_names=names_form.cleaned_data["online_names"],
                    actor=user,
                )
            except ValidationError as error:
                _form_errors_from(names_form, error)
            else:
                messages.success(
                    request,
                    _("Journal entry %(entry)s: the choice for names online is saved.")
                    % {"entry": entry.reference},
                )
                return redirect(reverse(f"{NS}:case", args=[case.pk]) + "#journal")
    elif action == "screen" and form.is_valid():
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
        screening.screening_page_read(case=case, entry=entry, actor=user)
    if entry is not None:
        reference, always_hidden = entry.reference, screening_selectors.entry_protected_words(entry)
        title = _("Screening of journal entry %(entry)s") % {"entry": reference}
    else:
        reference, always_hidden = case.reference, screening_selectors.case_protected_words(case)
        title = _("Screening of case %(case)s") % {"case": reference}
    return render(
        request,
        "cases/admin/cases/screening.html",
        {
            "case": case,
            "entry": entry,
            "record": record,
            "form": form,
            "names_form": names_form,
            "always_hidden": always_hidden,
            "title": title,
            "subtitle": record.title,
            "header_icon": "lock",
            "case_url": reverse(f"{NS}:case", args=[case.pk]),
            "entries_screened": screened_entry_count(case) if entry is None else 0,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def entry_screening(request, case_id: int, entry_id: int):
    """Screens a journal entry of the case or lifts its screening. Another
    municipality's case, or an entry of another case, is a 404."""
    case = _case(request, case_id)
    try:
        entry = case_journal_entry_get(case=case, entry_id=entry_id)
    except JournalEntry.DoesNotExist as missing:
        raise Http404 from missing
    return _screening_page(request, case, entry)


@require_http_methods(["GET", "POST"])
def case_screening(request, case_id: int):
    """Screens the case (and its journal entries) or lifts the case's screening."""
    return _screening_page(request, _case(request, case_id), None)
