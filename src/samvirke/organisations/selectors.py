"""Reading organisations, units and arrangements, scoped by the acting user.

Organisations and public units are public facts. Non-public units are seen by staff of
their own organisation. A public arrangement is seen by everyone; a non-public one by the
staff of its host and participants (and regional coordinators). Agreement documents are
seen by staff of the host and participants, unless marked public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from samvirke.accounts import access
from samvirke.organisations.models import (
    AgreementDocument,
    AreaOfWork,
    CooperationArrangement,
    Organisation,
    OrganisationKind,
    Participation,
    Region,
    Unit,
)


def region_current() -> Region | None:
    """The region this deployment serves (a deployment serves one cooperation); None
    before any region is set up."""
    region = Region.objects.filter(slug=settings.SAMVIRKE_REGION_SLUG).first()
    return region or Region.objects.order_by("id").first()


def organisation_list(
    *, kind: str | None = None, members_only: bool = False, query: str | None = None
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("region")
    if kind:
        organisations = organisations.filter(kind=kind)
    if members_only:
        organisations = organisations.filter(is_member=True)
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(number=query))
    return organisations.order_by("name")


def organisation_get(*, organisation_id: int) -> Organisation:
    return Organisation.objects.select_related("region").get(pk=organisation_id)


def municipality_list() -> QuerySet[Organisation]:
    return organisation_list(kind=OrganisationKind.MUNICIPALITY, members_only=True).order_by(
        "number"
    )


def _unit_visibility(user) -> Q:
    own = access.own_organisation_ids(user)
    if access.is_regional_coordinator(user):
        return Q()
    return Q(is_public=True) | Q(organisation_id__in=own)


def unit_list(*, user, organisation_id: int | None = None) -> QuerySet[Unit]:
    units = Unit.objects.select_related("organisation", "parent", "area").filter(
        _unit_visibility(user)
    )
    if organisation_id:
        units = units.filter(organisation_id=organisation_id)
    return units.order_by("organisation__name", "name")


def unit_get(*, user, unit_id: int) -> Unit:
    """Raises Unit.DoesNotExist for a unit the user may not see (a 404)."""
    return unit_list(user=user).get(pk=unit_id)


def unit_tree(*, user, organisation_id: int) -> list[tuple[Unit, int]]:
    """The organisation's visible units in tree order, each with its depth."""
    units = list(unit_list(user=user, organisation_id=organisation_id))
    children: dict[int | None, list[Unit]] = defaultdict(list)
    ids = {u.id for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children[parent].append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def _arrangement_visibility(user) -> Q:
    if access.is_regional_coordinator(user):
        return Q()
    own = access.own_organisation_ids(user)
    if not own:
        return Q(is_public=True)
    return Q(is_public=True) | Q(host_id__in=own) | Q(participations__organisation_id__in=own)


def arrangement_list(
    *,
    user,
    area_code: str | None = None,
    organisation_id: int | None = None,
    status: str | None = None,
    legal_form: str | None = None,
    query: str | None = None,
) -> QuerySet[CooperationArrangement]:
    visible_ids = CooperationArrangement.objects.filter(_arrangement_visibility(user)).values("id")
    arrangements = (
        CooperationArrangement.objects.filter(id__in=visible_ids)
        .select_related("area", "host", "host_unit", "region")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
    )
    if area_code:
        arrangements = arrangements.filter(area__code=area_code)
    if organisation_id:
        arrangements = arrangements.filter(
            Q(host_id=organisation_id)
            | Q(
                id__in=Participation.objects.filter(organisation_id=organisation_id).values(
                    "arrangement_id"
                )
            )
        )
    if status:
        arrangements = arrangements.filter(status=status)
    if legal_form:
        arrangements = arrangements.filter(legal_form=legal_form)
    if query:
        arrangements = arrangements.filter(
            Q(name__icontains=query) | Q(description__icontains=query)
        )
    return arrangements.order_by("name")


def arrangement_get(*, user, arrangement_id: int) -> CooperationArrangement:
    """Raises CooperationArrangement.DoesNotExist outside the user's reach (a 404)."""
    return arrangement_list(user=user).get(pk=arrangement_id)


def arrangement_is_insider(*, user, arrangement: CooperationArrangement) -> bool:
    """Staff of the host or a participant (or a regional coordinator)."""
    if access.is_regional_coordinator(user):
        return True
    own = access.own_organisation_ids(user)
    if arrangement.host_id in own:
        return True
    return any(p.organisation_id in own for p in arrangement.participations.all())


def agreement_document_list(
    *, user, arrangement: CooperationArrangement
) -> QuerySet[AgreementDocument]:
    documents = arrangement.documents.select_related("uploaded_by")
    if arrangement_is_insider(user=user, arrangement=arrangement):
        return documents
    return documents.filter(is_public=True)


def agreement_document_get(*, user, document_id: int) -> AgreementDocument:
    """Raises AgreementDocument.DoesNotExist outside the user's reach (a 404)."""
    document = AgreementDocument.objects.select_related("arrangement").get(pk=document_id)
    arrangement = arrangement_get(user=user, arrangement_id=document.arrangement_id)
    return agreement_document_list(user=user, arrangement=arrangement).get(pk=document_id)


def area_list() -> QuerySet[AreaOfWork]:
    return AreaOfWork.objects.annotate(arrangement_count=Count("arrangements")).order_by(
        "position", "name"
    )


@dataclass
class RegisterCell:
    arrangements: list[CooperationArrangement] = field(default_factory=list)


@dataclass
class Register:
    """Who cooperates with whom on what: municipalities × areas of work."""

    municipalities: list[Organisation]
    areas: list[AreaOfWork]
    cells: dict[tuple[int, int], list[CooperationArrangement]]

    def cell(self, municipality_id: int, area_id: int) -> list[CooperationArrangement]:
        return self.cells.get((municipality_id, area_id), [])

    def rows(self):
        for municipality in self.municipalities:
            yield municipality, [(area, self.cell(municipality.id, area.id)) for area in self.areas]


def register_build(*, user, only_current: bool = True) -> Register:
    """The register matrix in three queries, whatever its size."""
    municipalities = list(municipality_list())
    # Lean objects: the matrix needs names and ids, not every related row in full.
    visible_ids = CooperationArrangement.objects.filter(_arrangement_visibility(user)).values("id")
    arrangements = list(
        CooperationArrangement.objects.filter(id__in=visible_ids)
        .exclude(status="ended")
        .select_related("host")
        .only("id", "name", "slug", "legal_form", "status", "area_id", "host_id", "host__name")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.only(
                    "id", "arrangement_id", "organisation_id", "starts_on", "ends_on"
                ),
            )
        )
        .order_by("name")
    )
    area_ids = {a.area_id for a in arrangements}
    areas = [a for a in AreaOfWork.objects.order_by("position", "name") if a.id in area_ids]
    today = timezone.localdate()
    cells: dict[tuple[int, int], list[CooperationArrangement]] = defaultdict(list)
    for arrangement in arrangements:
        members = {
            p.organisation_id
            for p in arrangement.participations.all()
            if not only_current or p.is_current(today)
        }
        members.add(arrangement.host_id)
        for organisation_id in members:
            cells[(organisation_id, arrangement.area_id)].append(arrangement)
    return Register(municipalities=municipalities, areas=areas, cells=dict(cells))


def arrangement_get_public(*, slug: str) -> CooperationArrangement:
    """A public arrangement by its slug, as citizens see it. Raises DoesNotExist for a
    non-public one (a 404), whoever is logged in."""
    return arrangement_list(user=None).get(slug=slug)


def participation_get(*, user, participation_id: int) -> Participation:
    """A participation in an arrangement the user can see. Raises
    Participation.DoesNotExist otherwise (a 404)."""
    participation = Participation.objects.select_related("organisation").get(pk=participation_id)
    arrangement = arrangement_get(user=user, arrangement_id=participation.arrangement_id)
    participation.arrangement = arrangement
    return participation


def participation_total_share(arrangement: CooperationArrangement):
    """The sum of the participants' cost shares (from prefetched participations)."""
    return sum(
        (p.cost_share or Decimal("0") for p in arrangement.participations.all()), Decimal("0")
    )


@dataclass(frozen=True)
class RegisterExportRow:
    """One participant in one arrangement: a line of the register's CSV export."""

    arrangement: CooperationArrangement
    participation: Participation | None


def register_export_rows(*, user) -> list[RegisterExportRow]:
    """Every arrangement the user can see, one row per participant (an arrangement without
    participants gets one row), in two queries."""
    rows: list[RegisterExportRow] = []
    for arrangement in arrangement_list(user=user):
        participations = list(arrangement.participations.all())
        if not participations:
            rows.append(RegisterExportRow(arrangement=arrangement, participation=None))
        for participation in participations:
            rows.append(RegisterExportRow(arrangement=arrangement, participation=participation))
    return rows
