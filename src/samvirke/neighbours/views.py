"""Neighbour notification's public pages, under /neighbour-notice/:

- `<token>/`: the neighbour's page, through the personal link (no login): the application,
  its plans and the answer form;
- `<token>/plans/<id>/`: a plan, through the same link;
- `status/<submission key>/`: the applicant's overview (the applicant only), with
  "send to the municipality now";
- `status/<submission key>/documents/<id>/`: the applicant's notice letters and the
  neighbours' attachments.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.cases.documents.selectors import document_response
from samvirke.neighbours import selectors, services
from samvirke.neighbours.application import application_facts, application_summary
from samvirke.neighbours.models import Answer, ForwardReason
from samvirke.neighbours.tokens import SEPARATOR

FIELD_IDS = {"answer": "answer-comment", "text": "answer-text", "attachment": "answer-attachment"}


def _private(response: HttpResponse, request, token: str | None = None) -> HttpResponse:
    """A personal page: not cached, not indexed, and no referrer to other sites (within
    the site the browser must send its origin, or the answer's CSRF check fails). The
    access log records the link's selector, never its secret."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    if token:
        selector = token.partition(SEPARATOR)[0]
        request.path = request.path.replace(token, f"{selector}{SEPARATOR}…")
    return response


def _closed(request, neighbour, token) -> HttpResponse:
    """The window has passed or the application has gone to the municipality."""
    response = render(
        request,
        "neighbours/closed.html",
        {
            "neighbour": neighbour,
            "notification": neighbour.notification,
            "facts": application_facts(neighbour.notification.submission),
        },
        status=410,
    )
    return _private(response, request, token)


@require_http_methods(["GET", "POST"])
def notice(request, token: str):
    neighbour = selectors.neighbour_for_token(token)
    notification = neighbour.notification
    if not notification.is_open_for_answers:
        return _closed(request, neighbour, token)
    errors: dict[str, list[str]] = {}
    values = {"answer": neighbour.answer, "text": neighbour.answer_text}
    if request.method == "POST":
        values = {
            "answer": request.POST.get("answer", ""),
            "text": request.POST.get("text", ""),
        }
        try:
            services.neighbour_answer(
                neighbour=neighbour,
                answer=values["answer"],
                text=values["text"],
                attachment=request.FILES.get("attachment"),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "window_closed":
                return _closed(request, neighbour, token)
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            else:
                errors = {"answer": error.messages}
        else:
            messages.success(
                request,
                _("Thank you. Your answer has been recorded. You can change it until %(date)s.")
                % {"date": date_format(notification.window_ends_on, "DATE_FORMAT")},
            )
            return _private(redirect(reverse("neighbours:notice", args=[token])), request, token)
    else:
        services.neighbour_notice_read(neighbour=neighbour)
    response = render(
        request,
        "neighbours/notice.html",
        {
            "token": token,
            "neighbour": neighbour,
            "notification": notification,
            "facts": application_facts(notification.submission),
            "summary": application_summary(notification.submission, request.LANGUAGE_CODE),
            "plans": selectors.plans_for(notification),
            "values": values,
            "errors": errors,
            "error_list": [
                {"target": FIELD_IDS[field], "message": message}
                for field, field_messages in errors.items()
                for message in field_messages
                if field in FIELD_IDS
            ],
            "answer_choices": [Answer.COMMENT, Answer.OBJECTION],
            "max_mb": services.ATTACHMENT_MAX_MB,
            "max_length": services.ANSWER_MAX_LENGTH,
        },
    )  # 200 also with errors: Django logs every 4xx with its path, which is the link
    return _private(response, request, token)


@require_http_methods(["GET"])
def plan(request, token: str, document_id: int):
    neighbour = selectors.neighbour_for_token(token)
    if not neighbour.notification.is_open_for_answers:
        return _closed(request, neighbour, token)
    document = selectors.plan_for(neighbour, document_id)
    services.neighbour_plan_read(neighbour=neighbour, document=document)
    response = document_response(document, as_attachment=document.content_type != "application/pdf")
    return _private(response, request, token)


def _applicant_login(request):
    query = urlencode({"level": "substantial", "next": request.get_full_path()})
    return redirect(f"{reverse('accounts:eid-login-start')}?{query}")


@require_http_methods(["GET"])
def status(request, key):
    if not request.user.is_authenticated:
        return _applicant_login(request)
    notification = selectors.notification_for_applicant(request.user, key)
    response = render(
        request,
        "neighbours/status.html",
        {
            "notification": notification,
            "facts": application_facts(notification.submission),
            "neighbours": selectors.neighbours_of(notification),
            "may_forward": services.may_forward(notification),
            "case": notification.submission.case,
        },
    )
    return _private(response, request)


@require_POST
def forward(request, key):
    if not request.user.is_authenticated:
        return _applicant_login(request)
    notification = selectors.notification_for_applicant(request.user, key)
    try:
        case = services.notification_forward(
            notification=notification, actor=request.user, reason=ForwardReason.APPLICANT
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The application has been sent to %(municipality)s as case %(reference)s.")
            % {"municipality": case.organisation.name, "reference": case.reference},
        )
    return redirect(reverse("neighbours:status", args=[key]))


@require_http_methods(["GET"])
def applicant_document(request, key, document_id: int):
    if not request.user.is_authenticated:
        return _applicant_login(request)
    notification = selectors.notification_for_applicant(request.user, key)
    document = selectors.applicant_document_for(notification, document_id)
    services.notification_document_read(
        applicant=request.user, notification=notification, document=document
    )
    response = document_response(document, as_attachment=document.content_type != "application/pdf")
    return _private(response, request)
