"""Back-office screens for the regional form library: the list, the JSON editor,
publishing, a preview as a citizen would see the form, import and export.

Only form authors get here: anyone else gets a 403 on the screens and a 404 for any
form (the selector returns nothing for them). Writes go through `services`.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.eservices import engine, selectors, services
from samvirke.eservices.definition import definition_parse
from samvirke.eservices.models import FormDefinition

NS = "samvirke_eservices"
PREVIEW_SESSION_KEY = "samvirke.eservices.preview"
MAX_IMPORT_BYTES = 1024 * 1024


def _require_author(request) -> None:
    if not request.user.has_perm("eservices.author_form"):
        raise PermissionDenied


def _form(request, form_id: int) -> FormDefinition:
    try:
        return selectors.form_get(user=request.user, form_id=form_id)
    except FormDefinition.DoesNotExist as exc:
        raise Http404 from exc


def form_index(request):
    _require_author(request)
    return render(
        request,
        "eservices/admin/form_index.html",
        {
            "forms": selectors.form_list(user=request.user),
            "title": _("Form library"),
            "header_icon": "form",
        },
    )


@require_http_methods(["GET", "POST"])
def form_edit(request, form_id: int):
    """The JSON editor. On an error the text stays as written and every problem is
    listed with its JSON pointer."""
    _require_author(request)
    form = _form(request, form_id)
    latest = selectors.version_latest(form=form)
    problems = []
    if request.method == "POST":
        text = request.POST.get("definition", "")
        definition, problems = definition_parse(text)
        if not problems:
            try:
                version = services.form_version_add(
                    actor=request.user, form=form, definition=definition
                )
            except services.DefinitionInvalid as error:
                problems = error.problems
            else:
                messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
                return redirect(reverse(f"{NS}:form_edit", args=[form.pk]))
    else:
        text = json.dumps(latest.definition, ensure_ascii=False, indent=2) if latest else ""
    return render(
        request,
        "eservices/admin/form_edit.html",
        {
            "form": form,
            "latest": latest,
            "versions": selectors.version_history(form=form),
            "text": text,
            "problems": problems,
            "title": form.title,
            "subtitle": _("Form definition"),
            "header_icon": "form",
        },
        status=400 if problems else 200,
    )


@require_POST
def form_publish(request, form_id: int):
    _require_author(request)
    form = _form(request, form_id)
    latest = selectors.version_latest(form=form)
    if latest is None:
        raise Http404
    try:
        services.form_version_publish(actor=request.user, version=latest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(n)s is published.") % {"n": latest.number})
    return redirect(reverse(f"{NS}:form_edit", args=[form.pk]))


@require_http_methods(["GET", "POST"])
def form_preview(request, form_id: int):
    """The form as a citizen would see it, step by step, with the review page at the end.

    The editor's "Preview" button posts the text being edited; the preview keeps it and
    the answers in the session (nothing is saved), so it works without JavaScript and
    the review page's "change" links lead back to their step."""
    _require_author(request)
    form = _form(request, form_id)
    language = (get_language() or "nb")[:2]
    state_key = f"{PREVIEW_SESSION_KEY}:{form.pk}"
    state = request.session.get(state_key) or {}
    if "definition" in request.POST:
        state = {"text": request.POST["definition"], "answers": {}}
    elif request.method == "GET" and "step" not in request.GET:
        state = {}  # a fresh preview shows the latest saved version
    if "text" not in state:
        latest = selectors.version_latest(form=form)
        state = {
            "text": json.dumps(latest.definition, ensure_ascii=False) if latest else "",
            "answers": {},
        }
    definition, problems = definition_parse(state["text"])
    context = {"form": form, "problems": problems, "title": form.title, "text": state["text"]}
    if problems:
        request.session[state_key] = state
        return render(request, "eservices/admin/form_preview.html", context, status=400)

    answers = state["answers"] or engine.prefill_answers(
        definition, name=request.user.full_name or None
    )
    steps = definition["steps"]
    step_index = _int(request.POST.get("_step", request.GET.get("step")), 0, len(steps))
    outcome = None
    action = request.POST.get("_action", "")
    if request.method == "POST" and "_step" in request.POST and step_index < len(steps):
        outcome = engine.step_validate(
            definition,
            step_index=step_index,
            data=request.POST,
            files=request.FILES,
            answers=answers,
            language=language,
        )
        answers = outcome.answers
        if action == "back":
            step_index, outcome = max(step_index - 1, 0), None
        elif outcome.complete:
            step_index, outcome = step_index + 1, None
    state["answers"] = answers
    request.session[state_key] = state
    # the review page is the last step, counted as on the citizens' pages
    step_titles = engine.step_titles(definition, language=language)
    context.update(
        {
            "definition_title": engine.translated(definition["title"], language),
            "step_titles": step_titles,
            "step_index": step_index,
            "step_number": step_index + 1,
            "step_count": len(step_titles),
            "step_title": step_titles[step_index],
            "is_review": step_index >= len(steps),
        }
    )
    if context["is_review"]:
        context["review"] = engine.review_steps(definition, answers=answers, language=language)
        context["change_url"] = reverse(f"{NS}:form_preview", args=[form.pk]) + "?step="
    else:
        context["step_html"] = engine.step_render(
            definition,
            step_index=step_index,
            language=language,
            outcome=outcome,
            answers=answers,
            action=action,
        )
        context["has_errors"] = bool(outcome and outcome.errors)
    return render(request, "eservices/admin/form_preview.html", context)


def _int(value, low: int, high: int) -> int:
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError):
        return low


def form_export(request, form_id: int):
    _require_author(request)
    form = _form(request, form_id)
    body = services.form_export(actor=request.user, form=form)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{form.slug}.json"'
    return response


@require_http_methods(["GET", "POST"])
def form_import(request):
    _require_author(request)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [{"pointer": "", "message": _("Choose a JSON file to import.")}]
        elif upload.size > MAX_IMPORT_BYTES:
            problems = [{"pointer": "", "message": _("The file is larger than 1 MB.")}]
        else:
            try:
                text = upload.read().decode("utf-8-sig")
                version = services.form_import(actor=request.user, document=text)
            except UnicodeDecodeError:
                problems = [{"pointer": "", "message": _("The file is not UTF-8 text.")}]
            except services.DefinitionInvalid as error:
                problems = [p.as_dict() for p in error.problems]
            except ValidationError as error:
                problems = [{"pointer": "", "message": m} for m in error.messages]
            else:
                messages.success(
                    request,
                    _("Imported “%(title)s” as version %(n)s.")
                    % {"title": version.form.title, "n": version.number},
                )
                return redirect(reverse(f"{NS}:form_edit", args=[version.form_id]))
    return render(
        request,
        "eservices/admin/form_import.html",
        {"problems": problems, "title": _("Import a form"), "header_icon": "form"},
        status=400 if problems else 200,
    )
