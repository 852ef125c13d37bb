"""The demo region: Indre Østfold, the cooperation behind Smaalensveven (2003).

Municipality numbers, populations and arrangements follow the seeds (see domain.md).
Loading is idempotent: what exists is left alone, what is missing is added. Units, contact
details and agreement texts are invented demo data.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile

from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf
from samvirke.organisations.models import (
    AgreementDocument,
    AreaOfWork,
    CooperationArrangement,
    LegalForm,
    Organisation,
    OrganisationKind,
    Region,
    Unit,
)

REGION = ("Smaalensveven – Indre Østfold", "indre-ostfold")

MUNICIPALITIES = [
    ("Aremark", "0118", 1400),
    ("Marker", "0119", 3500),
    ("Rømskog", "0121", 700),
    ("Trøgstad", "0122", 5200),
    ("Spydeberg", "0123", 4900),
    ("Askim", "0124", 14500),
    ("Eidsberg", "0125", 10300),
    ("Skiptvet", "0127", 3400),
    ("Rakkestad", "0128", 7300),
    ("Hobøl", "0138", 4700),
]

PARTNERS = [
    ("Østfold fylkeskommune", "ostfold-fylkeskommune", OrganisationKind.COUNTY),
    ("Fylkesmannen i Østfold", "fylkesmannen-i-ostfold", OrganisationKind.COUNTY_GOVERNOR),
    (
        "Mattilsynet, distriktskontoret for Indre Østfold",
        "mattilsynet-indre-ostfold",
        OrganisationKind.STATE_AGENCY,
    ),
    ("Indre Østfold Renovasjon IKS (IØR)", "ior", OrganisationKind.INTER_MUNICIPAL_COMPANY),
    (
        "AHSA – avløpsselskapet for Askim, Hobøl og Spydeberg",
        "ahsa",
        OrganisationKind.INTER_MUNICIPAL_COMPANY,
    ),
    ("Eksempel Fagsystemer AS (demo)", "eksempel-fagsystemer", OrganisationKind.VENDOR),
    ("Indre Østfold Nett AS (demo)", "indre-ostfold-nett", OrganisationKind.NETWORK_OPERATOR),
]

# code, nb, nn, sv, en — the fields of work the seeds list, plus PPT, which the seeds name
# as its own cooperation
AREAS = [
    ("barnehage", "Barnehage", "Barnehage", "Förskola", "Kindergarten"),
    ("skole", "Skole", "Skule", "Skola", "School"),
    (
        "ppt",
        "PPT (pedagogisk-psykologisk tjeneste)",
        "PPT (pedagogisk-psykologisk teneste)",
        "Elevhälsa (PPT)",
        "Educational psychology service (PPT)",
    ),
    ("bibliotek", "Bibliotek", "Bibliotek", "Bibliotek", "Library"),
    ("helse-og-omsorg", "Helse og omsorg", "Helse og omsorg", "Vård och omsorg", "Health and care"),
    (
        "sosial-og-barnevern",
        "Sosialtjeneste og barnevern",
        "Sosialteneste og barnevern",
        "Socialtjänst och barnskydd",
        "Social services and child welfare",
    ),
    ("ikt", "IKT", "IKT", "IT", "ICT"),
    (
        "informasjon-og-web",
        "Informasjon og web",
        "Informasjon og web",
        "Information och webb",
        "Information and web",
    ),
    ("kultur", "Kultur", "Kultur", "Kultur", "Culture"),
    (
        "landbruk-og-miljo",
        "Landbruk og miljø",
        "Landbruk og miljø",
        "Lantbruk och miljö",
        "Agriculture and environment",
    ),
    (
        "personal-og-lonn",
        "Personal og lønn",
        "Personal og løn",
        "Personal och lön",
        "HR and payroll",
    ),
    (
        "sentraladministrasjon",
        "Sentraladministrasjon",
        "Sentraladministrasjon",
        "Central förvaltning",
        "Central administration",
    ),
    (
        "tekniske-tjenester",
        "Tekniske tjenester",
        "Tekniske tenester",
        "Tekniska tjänster",
        "Technical services",
    ),
    (
        "okonomi-og-innkjop",
        "Økonomi og innkjøp",
        "Økonomi og innkjøp",
        "Ekonomi och upphandling",
        "Finance and procurement",
    ),
]

# slug, name, area code, public, parent slug
UNITS = [
    ("radmannen", "Rådmannens kontor", "sentraladministrasjon", True, None),
    ("servicetorget", "Servicetorget", "informasjon-og-web", True, "radmannen"),
    ("personal-og-lonn", "Personal og lønn", "personal-og-lonn", False, "radmannen"),
    ("okonomi", "Økonomi og innkjøp", "okonomi-og-innkjop", True, "radmannen"),
    ("ikt", "IKT-tjenesten", "ikt", True, "radmannen"),
    ("oppvekst", "Oppvekst", "skole", True, None),
    ("barnehager", "Barnehagene", "barnehage", True, "oppvekst"),
    ("bibliotek", "Biblioteket", "bibliotek", True, None),
    ("helse-og-omsorg", "Helse og omsorg", "helse-og-omsorg", True, None),
    ("barnevern", "Barneverntjenesten", "sosial-og-barnevern", True, "helse-og-omsorg"),
    ("teknisk", "Teknisk drift og eiendom", "tekniske-tjenester", True, None),
    ("kart-og-oppmaling", "Kart og oppmåling", "tekniske-tjenester", True, "teknisk"),
]
HOST_UNITS = {  # municipality slug -> extra units for the arrangements they host
    "spydeberg": [("ppt", "PPT for Spydeberg, Skiptvet og Hobøl", "ppt", True, "oppvekst")],
    "eidsberg": [
        ("ppt", "PPT for Eidsberg, Marker, Rakkestad og Trøgstad", "ppt", True, "oppvekst")
    ],
}

ALL = [m[0] for m in MUNICIPALITIES]

# name, slug, area, legal form, host slug, host unit slug, participants, description, public
ARRANGEMENTS = [
    (
        "PPT for Spydeberg, Skiptvet og Hobøl",
        "ppt-spydeberg-skiptvet-hobol",
        "ppt",
        LegalForm.HOST_MUNICIPALITY,
        "spydeberg",
        "ppt",
        ["Spydeberg", "Skiptvet", "Hobøl"],
        "Felles pedagogisk-psykologisk tjeneste med Spydeberg som vertskommune.",
        True,
    ),
    (
        "PPT for Eidsberg, Marker, Rakkestad og Trøgstad",
        "ppt-eidsberg-marker-rakkestad-trogstad",
        "ppt",
        LegalForm.HOST_MUNICIPALITY,
        "eidsberg",
        "ppt",
        ["Eidsberg", "Marker", "Rakkestad", "Trøgstad"],
        "Felles pedagogisk-psykologisk tjeneste med Eidsberg som vertskommune.",
        True,
    ),
    (
        "Ledningskartverk",
        "ledningskartverk",
        "tekniske-tjenester",
        LegalForm.AGREEMENT,
        "askim",
        "kart-og-oppmaling",
        ["Hobøl", "Spydeberg", "Askim", "Skiptvet"],
        "Felles kartverk for vann- og avløpsledninger.",
        True,
    ),
    (
        "Felles rammeavtaler for innkjøp",
        "rammeavtaler",
        "okonomi-og-innkjop",
        LegalForm.AGREEMENT,
        "askim",
        "okonomi",
        ["Askim", "Rakkestad", "Eidsberg", "Trøgstad"],
        "Samordnede anskaffelser og felles rammeavtaler.",
        True,
    ),
    (
        "Arbeidsgiverkontroll",
        "arbeidsgiverkontroll",
        "okonomi-og-innkjop",
        LegalForm.HOST_MUNICIPALITY,
        "marker",
        "okonomi",
        ["Marker", "Aremark", "Rømskog"],
        "Felles arbeidsgiverkontroll for skatteoppkreveren.",
        True,
    ),
    (
        "AHSA – avløpsrensing",
        "ahsa",
        "tekniske-tjenester",
        LegalForm.INTER_MUNICIPAL_COMPANY,
        "ahsa",
        None,
        ["Askim", "Spydeberg", "Hobøl"],
        "Selskap for rensing av avløpsvann.",
        True,
    ),
    (
        "IØR – renovasjon",
        "ior",
        "tekniske-tjenester",
        LegalForm.INTER_MUNICIPAL_COMPANY,
        "ior",
        None,
        ["Askim", "Eidsberg", "Hobøl", "Marker", "Skiptvet", "Spydeberg", "Trøgstad"],
        "Interkommunalt renovasjonsselskap eid av sju kommuner.",
        True,
    ),
    (
        "Barnevernvakt",
        "barnevernvakt",
        "sosial-og-barnevern",
        LegalForm.HOST_MUNICIPALITY,
        "askim",
        "barnevern",
        ALL,
        "Felles barnevernvakt utenom kontortid for hele regionen.",
        True,
    ),
    (
        "Legevakt og alarmsentral",
        "legevakt",
        "helse-og-omsorg",
        LegalForm.HOST_MUNICIPALITY,
        "askim",
        "helse-og-omsorg",
        ALL,
        "Interkommunal legevakt og alarmsentral.",
        True,
    ),
    (
        "Næringsmiddeltilsyn",
        "naeringsmiddeltilsyn",
        "landbruk-og-miljo",
        LegalForm.AGREEMENT,
        "mattilsynet-indre-ostfold",
        None,
        ALL,
        "Felles tilsyn med næringsmidler.",
        True,
    ),
    (
        "Avlastningshjem",
        "avlastningshjem",
        "helse-og-omsorg",
        LegalForm.HOST_MUNICIPALITY,
        "eidsberg",
        "helse-og-omsorg",
        ALL,
        "Felles avlastningshjem for barn og unge.",
        True,
    ),
    (
        "Krisesenter",
        "krisesenter",
        "sosial-og-barnevern",
        LegalForm.HOST_MUNICIPALITY,
        "askim",
        "helse-og-omsorg",
        ALL,
        "Felles krisesentertilbud.",
        True,
    ),
    (
        "Smaalensveven",
        "smaalensveven",
        "ikt",
        LegalForm.JOINT_BODY,
        "askim",
        "ikt",
        ALL,
        "Regional portal, bredbåndsnett og felles plattform for interkommunalt arbeid.",
        True,
    ),
    (
        "Personopplysningsloven og IKT-sikkerhet",
        "ikt-sikkerhet",
        "ikt",
        LegalForm.PROJECT,
        "askim",
        "ikt",
        [m for m in ALL if m != "Rømskog"],
        "Prosjekt for å innføre personopplysningsloven og felles IKT-sikkerhet.",
        True,
    ),
    (
        "Spydeberg: anskaffelse av nytt sak-/arkivsystem (intern)",
        "spydeberg-sak-arkiv",
        "ikt",
        LegalForm.PROJECT,
        "spydeberg",
        "ikt",
        ["Spydeberg"],
        "Internt forprosjekt; ikke offentlig før konkurransen er kunngjort.",
        False,
    ),
]


def _population_shares(organisations: list[Organisation]) -> dict[int, Decimal]:
    total = sum(o.population or 0 for o in organisations) or 1
    shares = {
        o.id: (Decimal(o.population or 0) * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for o in organisations
    }
    overshoot = sum(shares.values()) - Decimal("100")
    if overshoot > 0:  # rounding can add a hundredth; take it from the largest share
        largest = max(shares, key=lambda k: shares[k])
        shares[largest] -= overshoot
    return shares


def load() -> Region:
    region = Region.objects.filter(slug=REGION[1]).first() or services.region_create(
        name=REGION[0],
        slug=REGION[1],
        description="Ti kommuner i Indre Østfold som samarbeider om portal, bredbånd og tjenester.",
    )
    areas = {}
    for position, (code, nb, nn, sv, en) in enumerate(AREAS):
        areas[code] = AreaOfWork.objects.filter(code=code).first() or services.area_create(
            code=code, name=nb, names={"nn": nn, "sv": sv, "en": en}, position=position
        )

    organisations: dict[str, Organisation] = {}
    for name, number, population in MUNICIPALITIES:
        slug = name.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
        organisations[name] = Organisation.objects.filter(slug=slug).first() or (
            services.organisation_create(
                region=region,
                kind=OrganisationKind.MUNICIPALITY,
                name=f"{name} kommune",
                number=number,
                is_member=True,
                population=population,
                slug=slug,
                website=f"https://{slug}.localhost:8000/",
                email=f"postmottak@{slug}.kommune.invalid",
            )
        )
        organisations[slug] = organisations[name]
    for name, slug, kind in PARTNERS:
        organisations[slug] = Organisation.objects.filter(slug=slug).first() or (
            services.organisation_create(region=region, kind=kind, name=name, slug=slug)
        )

    for name, _number, _population in MUNICIPALITIES:
        municipality = organisations[name]
        unit_specs = UNITS + HOST_UNITS.get(municipality.slug, [])
        by_slug = {u.slug: u for u in municipality.units.all()}
        for slug, unit_name, area_code, public, parent_slug in unit_specs:
            if slug in by_slug:
                continue
            by_slug[slug] = services.unit_create(
                organisation=municipality,
                name=unit_name,
                slug=slug,
                area=areas[area_code],
                is_public=public,
                parent=by_slug.get(parent_slug) if parent_slug else None,
                email=f"{slug}@{municipality.slug}.kommune.invalid",
            )

    established = dt.date(2003, 1, 1)
    for (
        name,
        slug,
        area_code,
        legal_form,
        host_slug,
        host_unit_slug,
        participants,
        description,
        public,
    ) in ARRANGEMENTS:
        if CooperationArrangement.objects.filter(slug=slug).exists():
            continue
        host = organisations[host_slug]
        host_unit = (
            Unit.objects.get(organisation=host, slug=host_unit_slug) if host_unit_slug else None
        )
        arrangement = services.arrangement_create(
            region=region,
            name=name,
            slug=slug,
            area=areas[area_code],
            legal_form=legal_form,
            host=host,
            host_unit=host_unit,
            description=description,
            is_public=public,
            cost_key="Etter folketall" if len(participants) > 1 else "",
            established_on=established,
        )
        members = [organisations[p] for p in participants]
        shares = _population_shares(members) if len(members) > 1 else {}
        for member in members:
            services.arrangement_add_participant(
                arrangement=arrangement,
                organisation=member,
                starts_on=established,
                cost_share=shares.get(member.id),
            )
        if area_code == "ppt":
            _attach_agreement(arrangement, host)
    return region


def _attach_agreement(arrangement: CooperationArrangement, host: Organisation) -> None:
    """A demo agreement text as a real PDF, visible only to the participants' staff."""
    body = [
        f"Avtale om {arrangement.name}",
        "DEMO – oppdiktet avtaletekst for testformål.",
        f"Vertskommune: {host.name}.",
        "Deltakerne betaler etter folketall per 1. januar.",
    ]
    AgreementDocument.objects.create(
        arrangement=arrangement,
        title=f"Samarbeidsavtale – {arrangement.name}",
        file=ContentFile(simple_pdf(body), name=f"{arrangement.slug}-avtale.pdf"),
        is_public=False,
    )
