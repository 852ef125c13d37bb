"""The audit log's search form. It parses input; `selectors.audit_event_list` scopes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.accounts import access
from samvirke.audit import selectors
from samvirke.audit.models import AuditAction
from samvirke.organisations.selectors import organisation_list


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditSearchForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Acting for"),
        queryset=None,
        required=False,
        empty_label=_("All organisations"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(
        label=_("Who"), required=False, max_length=200, help_text=_("Part of the person's name.")
    )
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if access.is_regional_coordinator(user):
            self.fields["organisation"].queryset = organisation_list()
        else:
            # administrators see their own organisation's events only
            del self.fields["organisation"]
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]
        self.fields["object_type"].choices = [("", _("All object types"))] + [
            (label, label) for label in selectors.audit_object_types()
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data

    def filters(self) -> dict:
        """Keyword arguments for `selectors.audit_event_list`."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        organisation = data.get("organisation")
        return {
            "organisation_id": organisation.pk if organisation else None,
            "action": data["action"] or None,
            "object_type": data["object_type"] or None,
            "object_id": data["object_id"].strip() or None,
            "actor_query": data["actor"].strip() or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
