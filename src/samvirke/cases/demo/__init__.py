"""Demo data for the service square: the standard case type and the confidential ones
(child welfare, health and care, PPT, social services: need to know), every library form
switched on in every member municipality with the municipality's settings and the right
case type, and routing rules that send PPT referrals through the PPT arrangements to
their host units. Idempotent."""

from __future__ import annotations

from samvirke.cases.core.workflow import STANDARD_WORKFLOW
from samvirke.cases.models import Case, CaseType, OnlineNames, RoutingRule, ServiceOffering
from samvirke.eservices.models import FormDefinition
from samvirke.organisations.models import (
    ArrangementStatus,
    CooperationArrangement,
    Organisation,
    OrganisationKind,
    Unit,
)

# Statutory or promised processing times, in calendar days, per form (the municipality
# may change them). Building applications: 12 weeks (pbl. § 21-7).
PROCESSING_DAYS = {
    "byggesoknad": 84,
    "henvisning-ppt": 90,
    "melding-til-kommunen": 21,
    "barnehageopptak": 60,
    "innsyn": 3,
    "feilmelding": 14,
    "hjemmetjenester": 28,
    "barnevern-kontakt": 7,
}
# Forms whose cases are screened from the public journal, with the legal basis.
SCREENING = {
    "henvisning-ppt": "Offl. § 13, jf. fvl. § 13 første ledd nr. 1",
    "barnehageopptak": "Offl. § 13, jf. fvl. § 13 første ledd nr. 1",
    "hjemmetjenester": "Offl. § 13, jf. fvl. § 13 første ledd nr. 1",
    "barnevern-kontakt": "Offl. § 13, jf. bvl. § 13-1",
}
FALLBACK_UNIT_SLUGS = ("servicetorget", "radmannen")

# Public journal privacy (cases/models/privacy.py): the standard case type withholds the
# names of private persons online; building applications have a case type of their own
# that shows the applicant's name, as is usual and lawful for building cases.
NAMES_SHOWN_ONLINE = {"byggesoknad"}

# Confidential case types (need to know: only the handling unit's staff see their cases),
# with the library forms whose cases they are. Social services (NAV sosial) has no form
# in the library yet; its case type is ready for one.
CONFIDENTIAL_TYPES = {
    "barnevern": (
        {
            "nb": "Barnevernsak",
            "nn": "Barnevernsak",
            "sv": "Barnavårdsärende",
            "en": "Child welfare case",
        },
        ["barnevern-kontakt"],
    ),
    "helse-og-omsorg": (
        {
            "nb": "Helse- og omsorgssak",
            "nn": "Helse- og omsorgssak",
            "sv": "Hälso- och omsorgsärende",
            "en": "Health and care case",
        },
        ["hjemmetjenester"],
    ),
    "ppt": (
        {
            "nb": "PPT-sak",
            "nn": "PPT-sak",
            "sv": "Elevhälsoärende (PPT)",
            "en": "Educational psychology case (PPT)",
        },
        ["henvisning-ppt"],
    ),
    "sosial": (
        {
            "nb": "Sosialsak (NAV)",
            "nn": "Sosialsak (NAV)",
            "sv": "Socialtjänstärende",
            "en": "Social services case (NAV)",
        },
        [],
    ),
}


def standard_case_type() -> CaseType:
    case_type, _created = CaseType.objects.get_or_create(
        slug="standard",
        defaults={
            "name": {
                "nb": "Standard saksbehandling",
                "nn": "Standard sakshandsaming",
                "sv": "Standardhandläggning",
                "en": "Standard case handling",
            },
            "workflow": STANDARD_WORKFLOW,
        },
    )
    return case_type


def building_case_type() -> CaseType:
    """The demo's case type for building applications: the standard workflow, with the
    applicant's name shown in the online public journal."""
    case_type, _created = CaseType.objects.get_or_create(
        slug="byggesak",
        defaults={
            "name": {
                "nb": "Byggesak",
                "nn": "Byggjesak",
                "sv": "Bygglovsärende",
                "en": "Building case",
            },
            "workflow": STANDARD_WORKFLOW,
            "online_names": OnlineNames.SHOWN,
        },
    )
    return case_type


def confidential_case_types() -> dict[str, CaseType]:
    """The confidential case types, by the form slugs whose cases they are."""
    by_form: dict[str, CaseType] = {}
    for slug, (names, form_slugs) in CONFIDENTIAL_TYPES.items():
        case_type, _created = CaseType.objects.get_or_create(
            slug=slug,
            defaults={"name": names, "workflow": STANDARD_WORKFLOW, "is_confidential": True},
        )
        for form_slug in form_slugs:
            by_form[form_slug] = case_type
    return by_form


def _unit_for(organisation: Organisation, area_id: int) -> Unit | None:
    units = list(organisation.units.all())
    return next((u for u in units if u.area_id == area_id), None) or next(
        (u for slug in FALLBACK_UNIT_SLUGS for u in units if u.slug == slug), None
    )


def load() -> None:
    case_type = standard_case_type()
    confidential = confidential_case_types()
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, is_member=True
    ).prefetch_related("units")
    forms = list(FormDefinition.objects.all())
    for organisation in municipalities:
        phone = organisation.phone or "(demo)"
        for form in forms:
            if ServiceOffering.objects.filter(organisation=organisation, form=form).exists():
                continue
            ServiceOffering.objects.create(
                organisation=organisation,
                form=form,
                case_type=(
                    building_case_type()
                    if form.slug in NAMES_SHOWN_ONLINE
                    else confidential.get(form.slug, case_type)
                ),
                responsible_unit=_unit_for(organisation, form.area_id),
                processing_days=PROCESSING_DAYS.get(form.slug, 30),
                screening_basis=SCREENING.get(form.slug, ""),
                contact={
                    "nb": f"Spørsmål? Ring {organisation.name} på {phone}.",
                    "en": f"Questions? Call {organisation.name} on {phone}.",
                },
                fee={"nb": "Gratis.", "en": "Free of charge."}
                if form.slug != "byggesoknad"
                else {
                    "nb": "Gebyr etter kommunens gebyrregulativ (demo).",
                    "en": "Fee according to the municipality's schedule of fees (demo).",
                },
            )
    # A demo seeded before the confidential case types existed gets them too.
    for form_slug, confidential_type in confidential.items():
        ServiceOffering.objects.filter(form__slug=form_slug, case_type=case_type).update(
            case_type=confidential_type
        )
        Case.objects.filter(offering__form__slug=form_slug, case_type=case_type).update(
            case_type=confidential_type
        )
    # PPT referrals go to the host unit of the PPT arrangement the municipality is in.
    ppt_arrangements = CooperationArrangement.objects.filter(
        area__code="ppt", status=ArrangementStatus.ACTIVE
    ).prefetch_related("participations")
    for arrangement in ppt_arrangements:
        for participation in arrangement.participations.all():
            RoutingRule.objects.get_or_create(
                organisation_id=participation.organisation_id,
                area_id=arrangement.area_id,
                via_arrangement=arrangement,
                defaults={"priority": 10},
            )
