"""Back-office screens (inside the Wagtail admin) for cooperation arrangements,
organisations, units, areas of work and the register.

Views are thin: they parse a form, call a selector or a service, and render. Every object
is fetched through a selector scoped to the user, so another organisation's non-public
object answers 404. Buttons are shown where the user holds the permission; the services
check it again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samvirke.audit.selectors import audit_history_for
from samvirke.organisations import forms, register_export, selectors, services
from samvirke.organisations.document_files import agreement_document_response
from samvirke.organisations.models import (
    AgreementDocument,
    AreaOfWork,
    CooperationArrangement,
    Organisation,
    OrganisationKind,
    Participation,
    Unit,
)

PAGE_SIZE = 25
NS = "samvirke_cooperation"


def _url(name: str, *args) -> str:
    return reverse(f"{NS}:{name}", args=args)


def _require(user, permission: str, obj=None) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def _get_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (
        CooperationArrangement.DoesNotExist,
        Unit.DoesNotExist,
        Organisation.DoesNotExist,
        AgreementDocument.DoesNotExist,
        Participation.DoesNotExist,
        AreaOfWork.DoesNotExist,
    ) as exc:
        raise Http404 from exc


def _arrangement(request, arrangement_id: int) -> CooperationArrangement:
    return _get_or_404(selectors.arrangement_get, user=request.user, arrangement_id=arrangement_id)


def _participation(request, arrangement_id: int, participation_id: int) -> Participation:
    participation = _get_or_404(
        selectors.participation_get, user=request.user, participation_id=participation_id
    )
    if participation.arrangement_id != arrangement_id:
        raise Http404
    return participation


def _page(request, items):
    paginator = Paginator(items, PAGE_SIZE)
    return paginator.get_page(request.GET.get("p"))


def _querystring_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


# --- cooperation arrangements ---------------------------------------------------------


def arrangement_index(request):
    form = forms.ArrangementFilterForm(request.GET or None)
    arrangements = selectors.arrangement_list(user=request.user, **form.filters())
    page = _page(request, arrangements)
    return render(
        request,
        "organisations/admin/arrangement_index.html",
        {
            "title": _("Cooperation arrangements"),
            "header_icon": "group",
            "form": form,
            "page": page,
            "query": _querystring_without_page(request),
            "can_add": request.user.has_perm("organisations.add_cooperationarrangement"),
        },
    )


def arrangement_detail(request, arrangement_id: int):
    arrangement = _arrangement(request, arrangement_id)
    participations = list(arrangement.participations.all())
    return render(
        request,
        "organisations/admin/arrangement_detail.html",
        {
            "title": arrangement.name,
            "subtitle": _("Cooperation arrangement"),
            "header_icon": "group",
            "arrangement": arrangement,
            "participations": participations,
            "total_share": selectors.participation_total_share(arrangement),
            "services_list": [s for s in arrangement.services.splitlines() if s.strip()],
            "documents": selectors.agreement_document_list(
                user=request.user, arrangement=arrangement
            ),
            "history": audit_history_for(obj=arrangement)[:50],
            "can_change": request.user.has_perm(
                "organisations.change_cooperationarrangement", arrangement
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def arrangement_create(request):
    _require(request.user, "organisations.add_cooperationarrangement")
    form = forms.ArrangementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            arrangement = services.arrangement_create(
                actor=request.user, region=selectors.region_current(), **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The arrangement “%s” was created.") % arrangement.name)
            return redirect(_url("arrangement_detail", arrangement.pk))
    return render(
        request,
        "organisations/admin/arrangement_form.html",
        {
            "form": form,
            "arrangement": None,
            "title": _("New arrangement"),
            "header_icon": "group",
        },
    )


@require_http_methods(["GET", "POST"])
def arrangement_edit(request, arrangement_id: int):
    arrangement = _arrangement(request, arrangement_id)
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    form = forms.ArrangementForm(request.POST or None, user=request.user, arrangement=arrangement)
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_update(
                actor=request.user, arrangement=arrangement, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The arrangement was saved."))
            return redirect(_url("arrangement_detail", arrangement.pk))
    return render(
        request,
        "organisations/admin/arrangement_form.html",
        {
            "form": form,
            "arrangement": arrangement,
            "header_icon": "group",
            "title": _("Edit arrangement"),
            "subtitle": arrangement.name,
        },
    )


def _participation_form_page(
    request, arrangement, form, *, title, action, submit, participation=None, status=200
):
    return render(
        request,
        "organisations/admin/participation_form.html",
        {
            "arrangement": arrangement,
            "participation": participation,
            "form": form,
            "title": title,
            "subtitle": arrangement.name,
            "header_icon": "group",
            "action": action,
            "submit_label": submit,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def participant_add(request, arrangement_id: int):
    arrangement = _arrangement(request, arrangement_id)
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    form = forms.ParticipantAddForm(request.POST or None, arrangement=arrangement)
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.arrangement_add_participant(
                actor=request.user, arrangement=arrangement, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(
                request, _("%s was added as a participant.") % participation.organisation.name
            )
            return redirect(_url("arrangement_detail", arrangement.pk))
    return _participation_form_page(
        request,
        arrangement,
        form,
        title=_("Add participant"),
        action=_url("participant_add", arrangement.pk),
        submit=_("Add participant"),
    )


@require_http_methods(["GET", "POST"])
def participant_change(request, arrangement_id: int, participation_id: int):
    participation = _participation(request, arrangement_id, participation_id)
    arrangement = participation.arrangement
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    form = forms.ParticipantChangeForm(
        request.POST or None,
        initial={
            "starts_on": participation.starts_on,
            "ends_on": participation.ends_on,
            "cost_share": participation.cost_share,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_update_participant(
                actor=request.user, participation=participation, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(
                request, _("The participation of %s was saved.") % participation.organisation.name
            )
            return redirect(_url("arrangement_detail", arrangement.pk))
    return _participation_form_page(
        request,
        arrangement,
        form,
        participation=participation,
        title=_("Change period and cost share: %s") % participation.organisation.name,
        action=_url("participant_change", arrangement.pk, participation.pk),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
def participant_end(request, arrangement_id: int, participation_id: int):
    participation = _participation(request, arrangement_id, participation_id)
    arrangement = participation.arrangement
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    form = forms.ParticipantEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_end_participation(
                actor=request.user,
                participation=participation,
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(
                request, _("The participation of %s was ended.") % participation.organisation.name
            )
            return redirect(_url("arrangement_detail", arrangement.pk))
    return _participation_form_page(
        request,
        arrangement,
        form,
        participation=participation,
        title=_("End participation: %s") % participation.organisation.name,
        action=_url("participant_end", arrangement.pk, participation.pk),
        submit=_("End participation"),
    )


@require_http_methods(["GET", "POST"])
def participant_remove(request, arrangement_id: int, participation_id: int):
    participation = _participation(request, arrangement_id, participation_id)
    arrangement = participation.arrangement
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    if request.method == "POST":
        name = participation.organisation.name
        services.arrangement_remove_participant(actor=request.user, participation=participation)
        messages.success(request, _("%s was removed from the arrangement.") % name)
        return redirect(_url("arrangement_detail", arrangement.pk))
    return render(
        request,
        "organisations/admin/participation_remove.html",
        {
            "arrangement": arrangement,
            "participation": participation,
            "header_icon": "group",
            "title": _("Remove participant: %s") % participation.organisation.name,
            "subtitle": arrangement.name,
        },
    )


@require_http_methods(["GET", "POST"])
def document_upload(request, arrangement_id: int):
    arrangement = _arrangement(request, arrangement_id)
    _require(request.user, "organisations.change_cooperationarrangement", arrangement)
    form = forms.DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.arrangement_add_document(
                actor=request.user, arrangement=arrangement, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The document “%s” was uploaded.") % document.title)
            return redirect(_url("arrangement_detail", arrangement.pk))
    return render(
        request,
        "organisations/admin/document_form.html",
        {
            "arrangement": arrangement,
            "form": form,
            "header_icon": "doc-full",
            "title": _("Upload agreement document"),
            "subtitle": arrangement.name,
        },
    )


def document_download(request, document_id: int):
    document = _get_or_404(
        selectors.agreement_document_get, user=request.user, document_id=document_id
    )
    return agreement_document_response(document)


# --- organisations, units, areas of work ----------------------------------------------


def organisation_index(request):
    organisations = list(selectors.organisation_list())
    groups = []
    for kind, label in OrganisationKind.choices:
        members = [o for o in organisations if o.kind == kind]
        if members:
            groups.append({"kind": kind, "label": label, "organisations": members})
    return render(
        request,
        "organisations/admin/organisation_index.html",
        {
            "groups": groups,
            "title": _("Organisations"),
            "header_icon": "site",
        },
    )


def organisation_detail(request, organisation_id: int):
    organisation = _get_or_404(selectors.organisation_get, organisation_id=organisation_id)
    arrangements = selectors.arrangement_list(user=request.user, organisation_id=organisation.pk)
    return render(
        request,
        "organisations/admin/organisation_detail.html",
        {
            "organisation": organisation,
            "title": organisation.name,
            "header_icon": "site",
            "subtitle": organisation.get_kind_display(),
            "tree": selectors.unit_tree(user=request.user, organisation_id=organisation.pk),
            "arrangements": arrangements,
            "can_change": request.user.has_perm("organisations.change_organisation", organisation),
            "can_add_unit": request.user.has_perm(
                "organisations.change_unit", Unit(organisation=organisation)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request, organisation_id: int):
    organisation = _get_or_404(selectors.organisation_get, organisation_id=organisation_id)
    _require(request.user, "organisations.change_organisation", organisation)
    form = forms.OrganisationForm(
        request.POST or None, user=request.user, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(_url("organisation_detail", organisation.pk))
    return render(
        request,
        "organisations/admin/organisation_form.html",
        {
            "organisation": organisation,
            "form": form,
            "header_icon": "site",
            "title": _("Edit organisation"),
            "subtitle": organisation.name,
        },
    )


def unit_detail(request, unit_id: int):
    unit = _get_or_404(selectors.unit_get, user=request.user, unit_id=unit_id)
    return render(
        request,
        "organisations/admin/unit_detail.html",
        {
            "unit": unit,
            "title": unit.name,
            "subtitle": unit.organisation.name,
            "header_icon": "site",
            "can_change": request.user.has_perm("organisations.change_unit", unit),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_create(request, organisation_id: int):
    organisation = _get_or_404(selectors.organisation_get, organisation_id=organisation_id)
    _require(request.user, "organisations.change_unit", Unit(organisation=organisation))
    form = forms.UnitForm(request.POST or None, user=request.user, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The unit “%s” was created.") % unit.name)
            return redirect(_url("organisation_detail", organisation.pk))
    return render(
        request,
        "organisations/admin/unit_form.html",
        {
            "organisation": organisation,
            "unit": None,
            "form": form,
            "header_icon": "site",
            "title": _("New unit"),
            "subtitle": organisation.name,
        },
    )


@require_http_methods(["GET", "POST"])
def unit_edit(request, unit_id: int):
    unit = _get_or_404(selectors.unit_get, user=request.user, unit_id=unit_id)
    _require(request.user, "organisations.change_unit", unit)
    form = forms.UnitForm(
        request.POST or None, user=request.user, organisation=unit.organisation, unit=unit
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect(_url("organisation_detail", unit.organisation_id))
    return render(
        request,
        "organisations/admin/unit_form.html",
        {
            "organisation": unit.organisation,
            "unit": unit,
            "form": form,
            "header_icon": "site",
            "title": _("Edit unit"),
            "subtitle": unit.name,
        },
    )


def area_index(request):
    return render(
        request,
        "organisations/admin/area_index.html",
        {
            "areas": selectors.area_list(),
            "title": _("Areas of work"),
            "header_icon": "tag",
            "can_change": request.user.has_perm("organisations.change_areaofwork"),
        },
    )


@require_http_methods(["GET", "POST"])
def area_create(request):
    _require(request.user, "organisations.change_areaofwork")
    form = forms.AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                names=form.names(),
                position=form.cleaned_data["position"] or 0,
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The area of work “%s” was added.") % area.label())
            return redirect(_url("area_index"))
    return render(
        request,
        "organisations/admin/area_form.html",
        {
            "form": form,
            "area": None,
            "title": _("Add area of work"),
            "header_icon": "tag",
        },
    )


@require_http_methods(["GET", "POST"])
def area_edit(request, area_id: int):
    _require(request.user, "organisations.change_areaofwork")
    area = _get_or_404(selectors.area_list().get, pk=area_id)
    form = forms.AreaForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(
                actor=request.user,
                area=area,
                name=form.cleaned_data["name"],
                names=form.names(),
                position=form.cleaned_data["position"] or 0,
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, _("The area of work was saved."))
            return redirect(_url("area_index"))
    return render(
        request,
        "organisations/admin/area_form.html",
        {
            "form": form,
            "area": area,
            "title": _("Edit area of work"),
            "subtitle": area.code,
            "header_icon": "tag",
        },
    )


# --- the register ---------------------------------------------------------------------


def register(request):
    _require(request.user, "organisations.view_register")
    return render(
        request,
        "organisations/admin/register.html",
        {
            "register": selectors.register_build(user=request.user),
            "title": _("Register of cooperation"),
            "header_icon": "table",
        },
    )


def register_cell(request, municipality_id: int, area_code: str):
    _require(request.user, "organisations.view_register")
    register = selectors.register_build(user=request.user)
    municipality = next((m for m in register.municipalities if m.pk == municipality_id), None)
    area = next((a for a in register.areas if a.code == area_code), None)
    if municipality is None or area is None:
        raise Http404
    return render(
        request,
        "organisations/admin/register_cell.html",
        {
            "municipality": municipality,
            "area": area,
            "arrangements": register.cell(municipality.pk, area.pk),
            "header_icon": "table",
            "title": _("%(municipality)s: %(area)s")
            % {"municipality": municipality.name, "area": area.label()},
        },
    )


def register_csv(request):
    _require(request.user, "organisations.view_register")
    rows = selectors.register_export_rows(user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cooperation-register.csv"'
    response["Cache-Control"] = "private, no-store"
    register_export.write_csv(response, rows)
    return response
