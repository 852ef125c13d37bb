"""The back-office forms of case handling: the inbox filters and the actions of the case
page. They only parse input; the services in handling.services check and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.cases.core.selectors import (
    DeadlineState,
    workflow_of,
)
from samvirke.cases.handling import services as handling
from samvirke.cases.models import (
    Outcome,
)

# The inbox's status filter: not closed (the default), or every case, or one status.
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


class EmergencyAccessForm(forms.Form):
    """Breaking the glass: the number of a confidential case, its owning municipality and
    the reason (the service checks the reason and the role)."""

    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Municipality that owns the case"), coerce=int
    )
    reference = forms.RegexField(
        label=gettext_lazy("Case number"),
        regex=r"^\s*\d{4}\s*/\s*\d+\s*$",
        max_length=20,
        help_text=gettext_lazy("For example 2026/00012."),
        error_messages={"invalid": gettext_lazy("Write the case number as year/number.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why you need the case now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=handling.MAX_TEXT,
        help_text=gettext_lazy(
            "Required. The data protection officer reviews every emergency access with its reason."
        ),
    )

    def __init__(self, *args, municipalities: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = municipalities

    def number(self) -> tuple[int, int]:
        year, sequence = self.cleaned_data["reference"].split("/")
        return int(year), int(sequence)
