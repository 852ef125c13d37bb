"""The audit log in the back office: search and read, nothing else. Events cannot be
changed or deleted, so there is no screen for it. Administrators see their own
organisation's events, regional coordinators the whole region's; an event outside one's
reach answers 404."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samvirke.audit import selectors
from samvirke.audit.forms import AuditSearchForm
from samvirke.audit.models import AuditEvent

PAGE_SIZE = 50


@require_safe
def event_index(request):
    if not request.user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None, user=request.user)
    events = selectors.audit_event_list(user=request.user, **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "audit/admin/event_index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "title": _("Audit log"),
            "header_icon": "history",
        },
    )


@require_safe
def event_detail(request, event_id: int):
    try:
        event = selectors.audit_event_get(user=request.user, event_id=event_id)
    except AuditEvent.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "audit/admin/event_detail.html",
        {
            "event": event,
            "details": json.dumps(event.details, indent=2, ensure_ascii=False, sort_keys=True)
            if event.details
            else "",
            "title": _("Audit event %s") % event.pk,
            "header_icon": "history",
        },
    )
