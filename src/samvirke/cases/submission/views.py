"""Citizen pages of the e-services (/e-services/): a municipality's list of e-services, an
e-service's start page, the steps, the review page, submitting, and the receipt.

Every page works without JavaScript. Forms that need eID ask for the login at the form's
level before any step; anonymous visitors' drafts and receipts belong to their browser
session. Someone else's draft or receipt is a 404, like one that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.accounts.oidc.decorators import eid_level, eid_login_required, take_kept_answers
from samvirke.accounts.oidc.levels import parse_level
from samvirke.cases.documents.scanning import scanner
from samvirke.cases.documents.selectors import document_response
from samvirke.cases.models import (
    Draft,
    ServiceOffering,
    Submission,
    SubmissionState,
    draft_retention_days,
)
from samvirke.cases.offerings import selectors as offering_selectors
from samvirke.cases.submission import selectors as submission_selectors
from samvirke.cases.submission import services as submitting
from samvirke.core import ratelimit
from samvirke.eservices import engine
from samvirke.organisations.models import Organisation, OrganisationKind

SUBMITTED_SESSION_KEY = "samvirke.cases.submitted"
KEEP_SUBMITTED = 20  # receipts an anonymous session can return to


def _language() -> str:
    return (get_language() or "nb")[:2]


def _session_key(request, *, create: bool = False) -> str:
    if not request.session.session_key and create:
        request.session.save()
    return request.session.session_key or ""


def _offering(municipality: str, form: str) -> ServiceOffering:
    try:
        return offering_selectors.offering_public_get(
            municipality_slug=municipality, form_slug=form
        )
    except ServiceOffering.DoesNotExist as exc:
        raise Http404 from exc


def _with_login(offering: ServiceOffering, view, request, *args, keep_posted=False, **kwargs):
    """Runs `view` behind the eID login at the form's level (if it needs one). With
    `keep_posted`, answers posted after the login ended are kept for after the new login."""
    level = submission_selectors.eid_level_for(offering)
    if level is None:
        return view(request, *args, **kwargs)
    return eid_login_required(level, keep_posted=keep_posted)(view)(request, *args, **kwargs)


def _draft(request, offering: ServiceOffering, key) -> Draft:
    try:
        draft = submission_selectors.draft_get(
            key=key, user=request.user, session_key=_session_key(request)
        )
    except Draft.DoesNotExist as exc:
        raise Http404 from exc
    if draft.offering_id != offering.pk:
        raise Http404
    return draft


def _submitted_keys(request) -> list[str]:
    return list(request.session.get(SUBMITTED_SESSION_KEY, []))


def _remember_submitted(request, submission: Submission) -> None:
    keys = [k for k in _submitted_keys(request) if k != str(submission.key)]
    request.session[SUBMITTED_SESSION_KEY] = [str(submission.key), *keys][:KEEP_SUBMITTED]


def _urls(offering: ServiceOffering, draft: Draft | None = None) -> dict:
    base = {"municipality": offering.organisation.slug, "form": offering.form.slug}
    urls = {"start": reverse("submit:start", kwargs=base)}
    if draft is not None:
        keyed = {**base, "key": draft.key}
        urls["review"] = reverse("submit:review", kwargs=keyed)
        urls["delete"] = reverse("submit:draft-delete", kwargs=keyed)
        urls["step_base"] = reverse("submit:step", kwargs={**keyed, "index": 0})[:-2]
    return urls


def _step_url(offering: ServiceOffering, draft: Draft, index: int) -> str:
    return reverse(
        "submit:step",
        kwargs={
            "municipality": offering.organisation.slug,
            "form": offering.form.slug,
            "key": draft.key,
            "index": index,
        },
    )


# --- lists and start page ---------------------------------------------------------------


def municipality_services(request, municipality: str):
    organisation = get_object_or_404(
        Organisation, slug=municipality, kind=OrganisationKind.MUNICIPALITY, is_member=True
    )
    page = Paginator(offering_selectors.offerings_public(organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/submit/municipality.html",
        {"organisation": organisation, "page": page, "language": _language()},
    )


@require_http_methods(["GET", "POST"])
def start(request, municipality: str, form: str):
    """The start page: what the e-service is, who it is for, what it costs, how long it
    takes, whom to ask and which login it needs; "Start" makes a draft."""
    offering = _offering(municipality, form)
    try:
        version = submission_selectors.offering_definition_version(offering)
    except ValidationError as exc:
        raise Http404 from exc
    level = submission_selectors.eid_level_for(offering)
    if request.method == "POST":
        return _with_login(offering, _start_post, request, offering)
    language = _language()
    definition = version.definition
    logged_in = level is None or (
        eid_level(request) is not None and eid_level(request).rank >= _rank(level)
    )
    drafts = submission_selectors.offering_drafts(
        user=request.user, session_key=_session_key(request), offering=offering
    )
    login_url = (
        reverse("accounts:eid-login-start")
        + "?"
        + _query({"level": level or "substantial", "next": request.get_full_path()})
    )
    return render(
        request,
        "cases/submit/start.html",
        {
            "offering": offering,
            "organisation": offering.organisation,
            "title": engine.translated(definition["title"], language),
            "description": engine.translated(definition.get("description"), language),
            "steps": engine.step_titles(definition, language=language),
            "fee": engine.translated(offering.fee, language),
            "contact": engine.translated(offering.contact, language),
            "level": level,
            "logged_in": logged_in,
            "login_url": login_url,
            "drafts": drafts,
            "identified": submission_selectors.is_identified(request.user),
            "has_files": any(f["type"] == "file" for s in definition["steps"] for f in s["fields"]),
            "scanner": scanner(),
            "retention_days": draft_retention_days(
                identified=level is not None or submission_selectors.is_identified(request.user)
            ),
        },
    )


def _rank(level: str) -> int:
    parsed = parse_level(level)
    return parsed.rank if parsed else 0


def _query(params: dict) -> str:
    return urlencode(params)


def _start_post(request, offering: ServiceOffering):
    draft = submitting.draft_start(
        offering=offering,
        user=request.user,
        session_key=_session_key(request, create=True),
    )
    return redirect(_step_url(offering, draft, 0))


@eid_login_required("substantial")
def drafts(request):
    """An identified citizen's drafts, across municipalities and e-services."""
    page = Paginator(submission_selectors.drafts_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/submit/drafts.html",
        {
            "page": page,
            "retention_days": draft_retention_days(identified=True),
            "notice_days": settings.SAMVIRKE_DRAFT_DELETION_NOTICE_DAYS,
        },
    )


@require_POST
def draft_delete(request, municipality: str, form: str, key):
    offering = _offering(municipality, form)

    def view(request):
        draft = _draft(request, offering, key)
        submitting.draft_delete(draft=draft, actor=request.user)
        messages.success(request, _("The draft is deleted."))
        back = request.POST.get("next", "")
        if back == "drafts" and submission_selectors.is_identified(request.user):
            return redirect("submit:drafts")
        return redirect(_urls(offering)["start"])

    return _with_login(offering, view, request)


# --- steps and review -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def step(request, municipality: str, form: str, key, index: int):
    offering = _offering(municipality, form)
    return _with_login(offering, _step, request, offering, key, index, keep_posted=True)


def _step(request, offering: ServiceOffering, key, index: int):
    draft = _draft(request, offering, key)
    definition = draft.form_version.definition
    steps = definition["steps"]
    if index >= len(steps):
        return redirect(_urls(offering, draft)["review"])
    if index > draft.step:
        return redirect(_step_url(offering, draft, draft.step))
    language = _language()
    outcome = None
    action = request.POST.get("_action", "")
    status = 200
    kept = take_kept_answers(request) if request.method == "GET" else None
    if kept is not None:
        # answers posted when the login had ended (or the form had expired), kept for now:
        # saved into the draft and shown again, to be checked and sent on
        result = submitting.draft_step_save(
            draft=draft,
            step_index=index,
            data=kept.data,
            files={},
            language=language,
            actor=request.user,
        )
        draft.refresh_from_db()
        outcome = result.outcome
        messages.info(request, _("Your answers are filled in again. Check them and continue."))
        if kept.had_files:
            messages.warning(request, _("Files you had chosen must be attached again."))
    if request.method == "POST":
        remove = request.POST.get("_remove_document")
        result = submitting.draft_step_save(
            draft=draft,
            step_index=index,
            data=request.POST,
            files=request.FILES,
            language=language,
            actor=request.user,
            remove_document=int(remove) if remove and remove.isdigit() else None,
        )
        draft.refresh_from_db()
        if remove:
            messages.info(request, _("The file is removed."))
            outcome = result.outcome
        elif action == "back":
            return redirect(_step_url(offering, draft, max(index - 1, 0)))
        elif result.complete:
            if index + 1 >= len(steps):
                return redirect(_urls(offering, draft)["review"])
            return redirect(_step_url(offering, draft, index + 1))
        else:
            outcome = result.outcome
            status = 400 if outcome.errors else 200
    if outcome is not None:
        html = engine.step_render(
            definition,
            step_index=index,
            language=language,
            outcome=outcome,
            action=action,
        )
    else:
        html = engine.step_render(
            definition,
            step_index=index,
            language=language,
            answers=submission_selectors.draft_answers_for_display(draft),
        )
    file_fields = [
        {
            "key": f["key"],
            "label": engine.translated(f.get("label"), language),
            "documents": submission_selectors.draft_attachments(draft, f["key"]),
        }
        for f in steps[index]["fields"]
        if f["type"] == "file"
    ]
    step_titles = engine.step_titles(definition, language=language)
    return render(
        request,
        "cases/submit/step.html",
        {
            "offering": offering,
            "organisation": offering.organisation,
            "draft": draft,
            "title": engine.translated(definition["title"], language),
            "step_title": step_titles[index],
            "step_titles": step_titles,
            "step_index": index,
            "step_number": index + 1,
            "step_count": len(step_titles),
            "step_html": html,
            "has_errors": bool(outcome and outcome.errors),
            "file_fields": [f for f in file_fields],
            "has_file_fields": bool(file_fields),
            "scanner": scanner(),
            "identified": submission_selectors.is_identified(request.user),
            "urls": _urls(offering, draft),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def review(request, municipality: str, form: str, key):
    offering = _offering(municipality, form)
    return _with_login(offering, _review, request, offering, key)


def _review(request, offering: ServiceOffering, key):
    try:
        draft = _draft(request, offering, key)
    except Http404:
        # submitted already (a double click, a retry, the back button): its receipt
        try:
            submission = submission_selectors.submission_get(
                user=request.user,
                key=key,
                submitted_keys=_submitted_keys(request),
                offering=offering,
                session_key=_session_key(request),
            )
        except Submission.DoesNotExist:
            raise Http404 from None
        return redirect("submit:receipt", key=submission.key)
    definition = draft.form_version.definition
    language = _language()
    missing = submission_selectors.first_incomplete_step(definition, draft.answers)
    if draft.step < len(definition["steps"]):
        missing = draft.step if missing is None else min(missing, draft.step)
    if missing is not None:
        messages.warning(request, _("Some required questions are not answered yet."))
        return redirect(_step_url(offering, draft, missing))
    limited = None
    if request.method == "POST" and not request.user.is_authenticated:
        verdict = ratelimit.rate_limit_hit(ratelimit.Scope.ANONYMOUS_SUBMISSION, request)
        if verdict.limited:  # the draft keeps the answers; the review page says to wait
            limited = verdict
            messages.error(request, ratelimit.rate_limited_message(verdict))
    if request.method == "POST" and limited is None:
        try:
            submission = submitting.submission_receive(
                draft=draft,
                actor=request.user,
                language=language,
                receipt_url=lambda s: request.build_absolute_uri(
                    reverse("submit:receipt", kwargs={"key": s.key})
                ),
            )
        except submitting.SubmissionIncomplete as incomplete:
            messages.warning(request, incomplete.messages[0])
            return redirect(_step_url(offering, draft, incomplete.step_index))
        except ValidationError as error:  # no route: the municipality's set-up is missing
            messages.error(request, " ".join(error.messages))
            return redirect(_urls(offering, draft)["review"])
        _remember_submitted(request, submission)
        return redirect("submit:receipt", key=submission.key)
    urls = _urls(offering, draft)
    step_titles = engine.step_titles(definition, language=language)
    response = render(
        request,
        "cases/submit/review.html",
        {
            "offering": offering,
            "organisation": offering.organisation,
            "draft": draft,
            "title": engine.translated(definition["title"], language),
            "step_title": step_titles[-1],
            "step_number": len(step_titles),
            "step_count": len(step_titles),
            "review": engine.review_steps(definition, answers=draft.answers, language=language),
            "change_url": urls["step_base"],
            "last_step_url": _step_url(offering, draft, len(definition["steps"]) - 1),
            "urls": urls,
        },
    )
    return limited.apply(response) if limited else response


# --- receipt -----------------------------------------------------------------------------


def _submission(request, key) -> Submission:
    try:
        return submission_selectors.submission_get(
            user=request.user,
            key=key,
            submitted_keys=_submitted_keys(request),
            session_key=_session_key(request),
        )
    except Submission.DoesNotExist:
        raise Http404 from None


def receipt(request, key):
    submission = _submission(request, key)
    language = _language()
    definition = submission.form_version.definition
    identified = submission_selectors.is_identified(request.user)
    return render(
        request,
        "cases/submit/receipt.html",
        {
            "submission": submission,
            "offering": submission.offering,
            "organisation": submission.offering.organisation,
            "case": submission.case,
            "awaiting_neighbours": submission.state == SubmissionState.AWAITING_NEIGHBOURS,
            "title": engine.translated(definition["title"], language),
            "email": submitting.applicant_email(submission.answers, definition),
            "identified": identified,
            # the page to follow a held submission is the identified applicant's only
            "follow_link": submitting.follow_link(submission) if identified else None,
        },
    )


def receipt_pdf(request, key):
    submission = _submission(request, key)
    document = submitting.receipt_document(submission)
    return document_response(document)
