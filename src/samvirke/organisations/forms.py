"""Forms for the staff screens and the public register.

Forms only parse input and offer choices the user can see; the rules (who may do what,
which host unit fits which host, cost shares up to 100 %) are the services' to enforce.
"""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samvirke.accounts import access
from samvirke.organisations import selectors
from samvirke.organisations.models import (
    ArrangementStatus,
    LegalForm,
    Organisation,
    OrganisationKind,
    Unit,
)


class DateInput(forms.DateInput):
    """The browser's own date field: works without JavaScript and with assistive tech."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form: on the field it names where the
    form has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for item in error.error_list:
            form.add_error(None, item)


class GroupedUnitChoiceField(forms.ModelChoiceField):
    """Units grouped by their organisation (optgroups), labelled with their own name."""

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name

    def _get_choices(self):
        choices = [("", self.empty_label or "---------")]
        if self.queryset is None:
            return choices
        grouped: dict[str, list] = defaultdict(list)
        for unit in self.queryset:
            grouped[unit.organisation.name].append(
                (self.prepare_value(unit), self.label_from_instance(unit))
            )
        choices.extend((organisation, units) for organisation, units in grouped.items())
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class ArrangementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ChoiceField(label=_("Area of work"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ArrangementStatus.choices],
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("All legal forms")), *LegalForm.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas of work"))] + [
            (area.code, area.label()) for area in selectors.area_list()
        ]
        self.fields["organisation"].queryset = selectors.organisation_list()

    def filters(self) -> dict:
        """Keyword arguments for `selectors.arrangement_list`."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"] or None,
            "area_code": data["area"] or None,
            "organisation_id": data["organisation"].pk if data["organisation"] else None,
            "status": data["status"] or None,
            "legal_form": data["legal_form"] or None,
        }


class ArrangementForm(forms.Form):
    """Create or edit an arrangement. The host can be one of the organisations the user
    manages (any organisation for a regional coordinator); the host unit is one of the
    host's units."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    area = forms.ModelChoiceField(label=_("Area of work"), queryset=None)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    host = forms.ModelChoiceField(
        label=_("Host organisation"),
        queryset=None,
        help_text=_("The organisation that hosts the cooperation (vertskommune)."),
    )
    host_unit = GroupedUnitChoiceField(
        label=_("Host unit"),
        queryset=None,
        required=False,
        help_text=_(
            "Staff of this unit act for all participants in the arrangement's area. "
            "It must be one of the host's units."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ArrangementStatus.choices)
    cost_key = forms.CharField(
        label=_("Cost key"),
        required=False,
        max_length=200,
        help_text=_("How costs are split, for example by population or in equal shares."),
    )
    services = forms.CharField(
        label=_("Services and systems covered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    established_on = forms.DateField(label=_("Established"), required=False, widget=DateInput())
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Public arrangements are shown in the register to everyone."),
    )

    def __init__(self, *args, user, arrangement=None, **kwargs):
        if arrangement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(arrangement, name)
                for name in (
                    "name",
                    "description",
                    "area",
                    "legal_form",
                    "host",
                    "host_unit",
                    "status",
                    "cost_key",
                    "services",
                    "established_on",
                    "is_public",
                )
            }
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.area_list()
        hosts = selectors.organisation_list()
        if not access.is_regional_coordinator(user):
            allowed = access.own_organisation_ids(user)
            hosts = hosts.filter(pk__in=allowed)
            if arrangement is not None:
                hosts = hosts | selectors.organisation_list().filter(pk=arrangement.host_id)
        self.fields["host"].queryset = hosts
        host_ids = self._chosen_host_ids(hosts, arrangement)
        self.fields["host_unit"].queryset = selectors.unit_list(user=user).filter(
            organisation_id__in=host_ids
        )

    def _chosen_host_ids(self, hosts, arrangement) -> list[int]:
        """The host whose units to offer: the one posted, else the saved one, else every
        host the user may choose (grouped by organisation)."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("host"))
            if value and str(value).isdigit() and hosts.filter(pk=value).exists():
                return [int(value)]
        if arrangement is not None:
            return [arrangement.host_id]
        return list(hosts.values_list("pk", flat=True))


class ParticipantAddForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    cost_share = forms.DecimalField(
        label=_("Cost share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )

    def __init__(self, *args, arrangement, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [p.organisation_id for p in arrangement.participations.all()]
        self.fields["organisation"].queryset = selectors.organisation_list().exclude(pk__in=taken)


class ParticipantChangeForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    cost_share = forms.DecimalField(
        label=_("Cost share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )


class ParticipantEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day of participation"),
        widget=DateInput(),
        help_text=_("The participation stays in the history and the cost split up to this day."),
    )


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF)"),
        help_text=_("A PDF file of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_(
            "Public documents are shown to everyone; others only to the participants' staff."
        ),
    )


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=None, required=False, empty_label=_("(top level)")
    )
    area = forms.ModelChoiceField(label=_("Area of work"), queryset=None, required=False)
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        initial=True,
        help_text=_("Public units are shown to citizens and other organisations."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)

    def __init__(self, *args, user, organisation: Organisation, unit: Unit | None = None, **kwargs):
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": unit.name,
                "parent": unit.parent_id,
                "area": unit.area_id,
                "is_public": unit.is_public,
                "email": unit.email,
                "phone": unit.phone,
            }
        super().__init__(*args, **kwargs)
        parents = selectors.unit_list(user=user, organisation_id=organisation.pk)
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda u: u.name
        self.fields["area"].queryset = selectors.area_list()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    is_member = forms.BooleanField(
        label=_("Member of the cooperation"),
        required=False,
        help_text=_("Members run the platform together; partners are only referred to."),
    )
    number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        required=False,
        help_text=_("The official four-digit municipality number (kommunenummer)."),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=9,
        required=False,
        help_text=_("The nine-digit number in the Central Coordinating Register."),
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)

    REGIONAL_FIELDS = ("kind", "is_member")

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(organisation, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        if not user.has_perm("organisations.add_organisation"):
            # only the region decides what an organisation is and who is a member
            for name in self.REGIONAL_FIELDS:
                del self.fields[name]


class AreaForm(forms.Form):
    """An area of work's name in each of the platform's languages."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("A short, stable identifier in lower case, for example “ppt”."),
    )
    name = forms.CharField(label=_("Name (Norwegian Bokmål)"), max_length=200)
    name_nn = forms.CharField(label=_("Name (Norwegian Nynorsk)"), max_length=200, required=False)
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0, required=False)

    LANGUAGES = ("nn", "sv", "en")

    def __init__(self, *args, area=None, **kwargs):
        if area is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": area.code,
                "name": area.name,
                "position": area.position,
                **{f"name_{lang}": area.names.get(lang, "") for lang in self.LANGUAGES},
            }
        super().__init__(*args, **kwargs)
        if area is not None:
            del self.fields["code"]  # the code is an identifier other data refers to

    def names(self) -> dict[str, str]:
        return {
            lang: self.cleaned_data[f"name_{lang}"].strip()
            for lang in self.LANGUAGES
            if self.cleaned_data.get(f"name_{lang}", "").strip()
        }
