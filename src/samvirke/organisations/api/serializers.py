"""Input and output serializers for organisations, units, areas of work, cooperation
arrangements and the register. Output serializers only read attributes that the
selectors have already loaded, so lists cost a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from samvirke.api.fields import ScopedIdField, id_query_field
from samvirke.organisations import selectors
from samvirke.organisations.errors import OrganisationsErrorCode
from samvirke.organisations.models import ArrangementStatus, LegalForm, OrganisationKind

# --- scopes for ids in input: what the acting user may refer to --------------------------


def _organisations(user):
    return selectors.organisation_list()


def _units(user):
    return selectors.unit_list(user=user)


def _areas(user):
    return selectors.area_list()


# --- organisations -----------------------------------------------------------------------


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    number = serializers.CharField(
        read_only=True, help_text=_("Municipality number (kommunenummer); empty for others.")
    )


class OrganisationSerializer(OrganisationRefSerializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organisation_number = serializers.CharField(read_only=True)
    is_member = serializers.BooleanField(read_only=True)
    population = serializers.IntegerField(read_only=True, allow_null=True)
    website = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    region = serializers.SlugField(source="region.slug", read_only=True)


class OrganisationFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    member = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: only members of the cooperation."),
    )
    search = serializers.CharField(
        required=False, max_length=200, help_text=_("Part of the name, or a municipality number.")
    )


# --- areas of work -----------------------------------------------------------------------


class AreaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.SlugField(read_only=True)
    label = serializers.SerializerMethodField(help_text=_("The name in the request's language."))

    def get_label(self, area) -> str:
        return area.label()


class AreaSerializer(AreaRefSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The bokmål name."))
    names = serializers.DictField(child=serializers.CharField(), read_only=True)
    position = serializers.IntegerField(read_only=True)
    arrangement_count = serializers.IntegerField(read_only=True)


_LANGUAGE_CODES = ("nb", "nn", "sv", "en")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            code: {"type": "string", "minLength": 1, "maxLength": 200} for code in _LANGUAGE_CODES
        },
        "additionalProperties": False,
    }
)
class _AreaNamesField(serializers.DictField):
    child = serializers.CharField(max_length=200)

    def to_internal_value(self, data):
        names = super().to_internal_value(data)
        unknown = sorted(set(names) - set(_LANGUAGE_CODES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language codes: %s") % ", ".join(unknown),
                code=OrganisationsErrorCode.UNKNOWN_LANGUAGE,
            )
        return names


class AreaCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=200)
    names = _AreaNamesField(required=False, help_text=_("Language code (nn, sv, en) to name."))
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class AreaUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    names = _AreaNamesField(required=False)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)


# --- units -------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class UnitSerializer(UnitRefSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    area = AreaRefSerializer(read_only=True, allow_null=True)
    is_public = serializers.BooleanField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)


class UnitFilterSerializer(serializers.Serializer):
    organisation = id_query_field(required=False, help_text=_("Only this organisation's units."))


class UnitUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    parent = ScopedIdField(scope=_units, required=False, allow_null=True)
    area = ScopedIdField(scope=_areas, required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


class UnitCreateSerializer(UnitUpdateSerializer):
    organisation = ScopedIdField(scope=_organisations)
    name = serializers.CharField(max_length=200)


# --- cooperation arrangements ------------------------------------------------------------


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    cost_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Percent of the costs this participant pays."),
    )
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, participation) -> bool:
        return participation.is_current()


class ArrangementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    area = AreaRefSerializer(read_only=True)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices, read_only=True)
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    host = OrganisationRefSerializer(read_only=True)
    host_unit = UnitRefSerializer(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=ArrangementStatus.choices, read_only=True)
    cost_key = serializers.CharField(read_only=True)
    services = serializers.CharField(read_only=True)
    established_on = serializers.DateField(read_only=True, allow_null=True)
    is_public = serializers.BooleanField(read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ArrangementFilterSerializer(serializers.Serializer):
    area = serializers.SlugField(required=False, max_length=50, help_text=_("Area of work code."))
    organisation = id_query_field(
        required=False, help_text=_("Arrangements this organisation hosts or takes part in.")
    )
    status = serializers.ChoiceField(choices=ArrangementStatus.choices, required=False)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices, required=False)
    search = serializers.CharField(required=False, max_length=200)

    def to_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "area_code": data.get("area"),
            "organisation_id": data.get("organisation"),
            "status": data.get("status"),
            "legal_form": data.get("legal_form"),
            "query": data.get("search"),
        }


class ArrangementUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    area = ScopedIdField(scope=_areas, required=False)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices, required=False)
    host = ScopedIdField(scope=_organisations, required=False)
    host_unit = ScopedIdField(scope=_units, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ArrangementStatus.choices, required=False)
    cost_key = serializers.CharField(required=False, allow_blank=True, max_length=200)
    services = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    established_on = serializers.DateField(required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)


class ArrangementCreateSerializer(ArrangementUpdateSerializer):
    name = serializers.CharField(max_length=200)
    area = ScopedIdField(scope=_areas)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    host = ScopedIdField(scope=_organisations)


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        # 0 to 100 with at most two decimals, as the field accepts it
        "pattern": "^(?:100(?:\\.0{0,2})?|[0-9]{1,2}(?:\\.[0-9]{0,2})?|\\.[0-9]{1,2})$",
    }
)
class _CostShareField(serializers.DecimalField):
    """A participant's share of the costs in percent."""


class _ParticipantPeriodSerializer(serializers.Serializer):
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    cost_share = _CostShareField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )


class ParticipantUpdateSerializer(_ParticipantPeriodSerializer):
    pass


class ParticipantCreateSerializer(_ParticipantPeriodSerializer):
    organisation = ScopedIdField(scope=_organisations)


# --- agreement documents -----------------------------------------------------------------


class AgreementDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    is_public = serializers.BooleanField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    uploaded_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    def get_uploaded_by(self, document) -> str | None:
        return str(document.uploaded_by) if document.uploaded_by_id else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        request = self.context["request"]
        return reverse(
            f"{request.version}:arrangement-document-download",
            kwargs={"arrangement_id": document.arrangement_id, "document_id": document.pk},
            request=request,
        )


class AgreementDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text=_("A PDF file, at most 20 MB."))
    is_public = serializers.BooleanField(required=False, default=False)


# --- the register ------------------------------------------------------------------------


class RegisterArrangementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class RegisterCellSerializer(serializers.Serializer):
    municipality = serializers.IntegerField(read_only=True)
    area = serializers.IntegerField(read_only=True)
    arrangements = RegisterArrangementSerializer(many=True, read_only=True)


class RegisterSerializer(serializers.Serializer):
    municipalities = OrganisationRefSerializer(many=True, read_only=True)
    areas = AreaRefSerializer(many=True, read_only=True)
    cells = RegisterCellSerializer(
        many=True,
        read_only=True,
        help_text=_("Non-empty cells of the matrix: municipality × area of work."),
    )


class RegisterRowSerializer(serializers.Serializer):
    """One participation: the column set of the register's CSV export."""

    arrangement = serializers.CharField(read_only=True)
    arrangement_id = serializers.IntegerField(read_only=True)
    area = serializers.CharField(read_only=True)
    legal_form = serializers.CharField(read_only=True)
    host = serializers.CharField(read_only=True)
    host_unit = serializers.CharField(read_only=True)
    participant = serializers.CharField(read_only=True)
    municipality_number = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, allow_null=True)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    cost_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    status = serializers.CharField(read_only=True)


class RegisterFilterSerializer(ArrangementFilterSerializer):
    current_only = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("Only participations current today (default), as in the register."),
    )
