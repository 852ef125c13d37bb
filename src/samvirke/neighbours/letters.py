"""The notice's letters and e-mails: the PDF/A notice letter per neighbour, the e-mail
with the personal link, and the PDF/A summary and objections that go with the application.

Letters and e-mails to neighbours are written in the platform's default language (the
municipality's); a neighbour's page follows the neighbour's own language choice. The
e-mail carries only what any neighbour may see (which property, what kind of project, the
date and the link): no names, no answers."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from samvirke.cases.documents.services import render_pdfa
from samvirke.neighbours.application import application_facts, application_summary
from samvirke.neighbours.models import Neighbour, NeighbourNotification
from samvirke.notifications.services import notification_send

# the purpose of the notice e-mail in the notification channel: its `notification_sent`
# tells the neighbour's row that the e-mail went
NOTICE_EMAIL_PURPOSE = "neighbours.notice"


def letter_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]


def personal_link(token: str) -> str:
    """The neighbour's absolute link, on the platform's public address."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("neighbours:notice", args=[token])


def _context(notification: NeighbourNotification, language: str) -> dict:
    submission = notification.submission
    return {
        "organisation": notification.organisation,
        "notification": notification,
        "facts": application_facts(submission),
        "summary": application_summary(submission, language),
        "today": timezone.localdate(),
    }


def notice_letter_render(neighbour: Neighbour, *, link: str) -> bytes:
    language = letter_language()
    context = _context(neighbour.notification, language)
    context.update(neighbour=neighbour, link=link)
    return render_pdfa("neighbours/pdf/notice_letter.html", context, language=language)


def answers_summary_render(notification: NeighbourNotification, *, rule) -> bytes:
    language = letter_language()
    context = _context(notification, language)
    context.update(neighbours=list(notification.neighbours.all()), rule=rule)
    return render_pdfa("neighbours/pdf/answers.html", context, language=language)


def objection_render(neighbour: Neighbour) -> bytes:
    language = letter_language()
    context = _context(neighbour.notification, language)
    context.update(neighbour=neighbour)
    return render_pdfa("neighbours/pdf/objection.html", context, language=language)


def notice_email_send(neighbour: Neighbour, *, link: str) -> None:
    """Queues the e-mail with the neighbour's personal link, sent when the surrounding
    transaction commits (see samvirke.notifications)."""
    notification = neighbour.notification
    facts = application_facts(notification.submission)
    context = {  # deliberately not the applicant's name nor anything personal
        "organisation": notification.organisation,
        "form_title": facts["form_title"],
        "property": facts["property"],
        "address": facts["address"],
        "window_ends_on": notification.window_ends_on,
        "link": link,
    }
    with translation.override(letter_language()):
        subject = render_to_string("neighbours/email/notice_subject.txt", context)
        body = render_to_string("neighbours/email/notice_body.txt", context)
    notification_send(
        to=neighbour.email,
        subject=subject,
        body=body,
        link=link,
        purpose=NOTICE_EMAIL_PURPOSE,
        reference=str(neighbour.pk),
    )
