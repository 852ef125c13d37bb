"""The public register of cooperation at /cooperation/: who cooperates with whom on what,
as citizens see it. Only public arrangements and public documents appear, whoever is
logged in; a non-public arrangement answers 404. The pages work without JavaScript."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from samvirke.organisations import selectors
from samvirke.organisations.document_files import agreement_document_response
from samvirke.organisations.models import AgreementDocument, CooperationArrangement

PUBLIC = None  # the register as anyone sees it, without a user's own reach


def register(request):
    return render(
        request,
        "organisations/public/register.html",
        {
            "register": selectors.register_build(user=PUBLIC),
            "arrangements": selectors.arrangement_list(user=PUBLIC).exclude(status="ended"),
        },
    )


def register_cell(request, municipality_slug: str, area_code: str):
    register = selectors.register_build(user=PUBLIC)
    municipality = next((m for m in register.municipalities if m.slug == municipality_slug), None)
    area = next((a for a in register.areas if a.code == area_code), None)
    if municipality is None or area is None:
        raise Http404
    return render(
        request,
        "organisations/public/register_cell.html",
        {
            "municipality": municipality,
            "area": area,
            "arrangements": register.cell(municipality.pk, area.pk),
            "title": _("%(municipality)s: %(area)s")
            % {"municipality": municipality.name, "area": area.label()},
        },
    )


def arrangement_detail(request, slug: str):
    try:
        arrangement = selectors.arrangement_get_public(slug=slug)
    except CooperationArrangement.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "organisations/public/arrangement_detail.html",
        {
            "arrangement": arrangement,
            "participations": list(arrangement.participations.all()),
            "services_list": [s for s in arrangement.services.splitlines() if s.strip()],
            "documents": selectors.agreement_document_list(user=PUBLIC, arrangement=arrangement),
        },
    )


def document_download(request, document_id: int):
    try:
        document = selectors.agreement_document_get(user=PUBLIC, document_id=document_id)
    except (AgreementDocument.DoesNotExist, CooperationArrangement.DoesNotExist) as exc:
        raise Http404 from exc
    return agreement_document_response(document)
