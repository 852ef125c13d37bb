"""Back-office screens (in Wagtail's admin, under /admin/neighbour-notices/): building
applications waiting for their neighbours, for the municipality's case handlers. Read
only: the applicant and the neighbours act, the municipality watches until the case
opens."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samvirke.neighbours import selectors, services
from samvirke.neighbours.application import application_facts

PAGE_SIZE = 50


@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for_staff(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(n, application_facts(n.submission)) for n in page.object_list]
    return render(
        request,
        "neighbours/admin/list.html",
        {"page": page, "rows": rows, "title": _("Neighbour notices"), "header_icon": "group"},
    )


@require_GET
def notification_detail(request, pk: int):
    notification = selectors.notification_for_staff(request.user, pk)
    services.notification_staff_read(actor=request.user, notification=notification)
    facts = application_facts(notification.submission)
    return render(
        request,
        "neighbours/admin/detail.html",
        {
            "notification": notification,
            "facts": facts,
            "neighbours": selectors.neighbours_of(notification),
            "title": _("Neighbour notice"),
            "subtitle": facts["property"],
            "header_icon": "group",
        },
    )
