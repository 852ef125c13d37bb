"""Forms of the back-office screens for a municipality's e-services: the settings of an
offering (texts per language, status texts per status of the case type) and a routing
rule. They only parse input; the services in `samvirke.cases.offerings.services` check and save."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.models import CaseType, RoutingRule, ServiceOffering
from samvirke.cases.offerings import selectors as offering_selectors
from samvirke.cases.offerings import services as offerings


def _languages() -> list[tuple[str, str]]:
    return [(code[:2], str(name)) for code, name in settings.LANGUAGES]


def _case_type_label(case_type: CaseType) -> str:
    if case_type.is_confidential:
        return _("%(name)s (confidential)") % {"name": case_type}
    return str(case_type)


class OfferingSettingsForm(forms.Form):
    """The municipality's settings of one e-service. Texts have one field per language;
    a language left empty falls back to bokmål on the citizen's pages."""

    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=None,
        required=False,
        help_text=_("The unit that handles cases unless a routing rule says otherwise."),
    )
    case_type = forms.ModelChoiceField(
        label=_("Case type"),
        queryset=CaseType.objects.order_by("slug"),
        help_text=_(
            "The statuses and steps the cases go through. Types marked confidential keep "
            "their cases to the handling unit's staff (need to know)."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (need to know)"),
        required=False,
        help_text=_(
            "Only the staff of the unit that handles a case see and handle it, whatever "
            "the case type says (child welfare, health and care, PPT, social services)."
        ),
    )
    processing_days = forms.IntegerField(
        label=_("Processing deadline (days)"),
        min_value=1,
        max_value=3650,
        help_text=_("Calendar days from receipt to the expected decision."),
    )
    screening_basis = forms.CharField(
        label=_("Screening basis"),
        required=False,
        max_length=200,
        help_text=_(
            "Legal basis for screening the cases from the public journal, for example "
            "“Offl. § 13, jf. fvl. § 13 første ledd nr. 1”. Empty: public."
        ),
    )

    def __init__(self, *args, offering: ServiceOffering, **kwargs):
        self.offering = offering
        initial = {
            "responsible_unit": offering.responsible_unit,
            "case_type": offering.case_type,
            "processing_days": offering.processing_days,
            "screening_basis": offering.screening_basis,
            "is_confidential": offering.is_confidential,
        }
        self.status_keys = list(workflow_of(offering.case_type).statuses)
        for code, _name in _languages():
            initial[f"contact_{code}"] = offering.contact.get(code, "")
            initial[f"fee_{code}"] = offering.fee.get(code, "")
            for key in self.status_keys:
                initial[f"status_{key}_{code}"] = offering.status_texts.get(key, {}).get(code, "")
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.fields["responsible_unit"].queryset = offering.organisation.units.order_by("name")
        self.fields["case_type"].label_from_instance = _case_type_label
        workflow = workflow_of(offering.case_type)
        for code, name in _languages():
            self.fields[f"contact_{code}"] = forms.CharField(
                label=_("Contact (%(language)s)") % {"language": name},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"fee_{code}"] = forms.CharField(
                label=_("Fee (%(language)s)") % {"language": name},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for key in self.status_keys:
            for code, name in _languages():
                self.fields[f"status_{key}_{code}"] = forms.CharField(
                    label=_("“%(status)s” (%(language)s)")
                    % {"status": workflow.status(key).text(), "language": name},
                    required=False,
                    max_length=500,
                )

    def language_fields(self, prefix: str):
        return [self[f"{prefix}_{code}"] for code, _name in _languages()]

    def contact_fields(self):
        return self.language_fields("contact")

    def fee_fields(self):
        return self.language_fields("fee")

    def status_fields(self):
        workflow = workflow_of(self.offering.case_type)
        return [
            (workflow.status(key).text(), self.language_fields(f"status_{key}"))
            for key in self.status_keys
        ]

    def values(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        data = self.cleaned_data

        def texts(prefix: str) -> dict:
            return {
                code: data[f"{prefix}_{code}"].strip()
                for code, _name in _languages()
                if data.get(f"{prefix}_{code}", "").strip()
            }

        status_texts = {}
        for key in self.status_keys:
            per_language = texts(f"status_{key}")
            if per_language:
                status_texts[key] = per_language
        return {
            "responsible_unit": data["responsible_unit"],
            "case_type": data["case_type"],
            "processing_days": data["processing_days"],
            "screening_basis": data["screening_basis"].strip(),
            "is_confidential": data["is_confidential"],
            "contact": texts("contact"),
            "fee": texts("fee"),
            "status_texts": status_texts
            if data["case_type"] == self.offering.case_type
            else {},  # other statuses: set the texts again after changing the case type
        }


class RoutingRuleForm(forms.Form):
    via_arrangement = forms.ModelChoiceField(
        label=_("Through the arrangement"),
        queryset=None,
        required=False,
        help_text=_(
            "Route to the host unit of a cooperation arrangement the municipality takes "
            "part in. The municipality stays the owner of the case."
        ),
    )
    target_unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        help_text=_(
            "The handling unit. With an arrangement: empty for its host unit, or one of "
            "the host's units."
        ),
    )
    condition = forms.CharField(
        label=_("Condition on the answers (JSON, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "samvirke-json-small"}),
        help_text=_(
            'Written like a form field\'s visible_if, for example {"field": "topic", '
            '"equals": "road"}. Empty: every submission.'
        ),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=100000,
        initial=100,
        help_text=_("Rules are tried from the lowest number; the first that matches decides."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisation, rule: RoutingRule | None = None, **kwargs):
        if rule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "via_arrangement": rule.via_arrangement,
                    "target_unit": rule.target_unit,
                    "condition": json.dumps(rule.condition, ensure_ascii=False)
                    if rule.condition
                    else "",
                    "priority": rule.priority,
                    "is_active": rule.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["via_arrangement"].queryset = offering_selectors.arrangements_for(organisation)
        self.fields["target_unit"].queryset = offering_selectors.routing_units_for(organisation)
        self.fields["target_unit"].label_from_instance = lambda u: f"{u.name} ({u.organisation})"

    def clean_condition(self):
        text = self.cleaned_data["condition"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: %(message)s (line %(line)s, column %(column)s)")
                % {"message": error.msg, "line": error.lineno, "column": error.colno},
                code=CasesErrorCode.INVALID_JSON,
            ) from error
        problems = offerings.condition_problems(value)
        if problems:
            raise forms.ValidationError(
                _("The condition is not in the form format: %s") % "; ".join(problems),
                code=CasesErrorCode.INVALID_CONDITION,
            )
        return value
