"""Back-office screens where a municipality's administrators switch library forms on or
off for their municipality, edit its settings and its routing rules.

Only administrators of the municipality (in their own right) get here; another
municipality's screens and rules are a 404. Writes go through `samvirke.cases.offerings.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.cases.models import ServiceOffering
from samvirke.cases.offerings import selectors as offering_selectors
from samvirke.cases.offerings import services as offerings
from samvirke.cases.offerings.forms import OfferingSettingsForm, RoutingRuleForm
from samvirke.eservices.models import FormDefinition
from samvirke.organisations.models import Organisation

NS = "samvirke_offerings"


def _municipality(request, organisation_id: int) -> Organisation:
    try:
        return offering_selectors.administered_municipality_get(request.user, organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _offering(organisation: Organisation, form_id: int) -> ServiceOffering:
    try:
        return offering_selectors.offering_get(organisation=organisation, form_id=form_id)
    except ServiceOffering.DoesNotExist:
        raise Http404 from None


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)


def offering_index(request):
    municipalities = list(offering_selectors.administered_municipalities(request.user))
    if not municipalities:
        raise PermissionDenied
    if len(municipalities) == 1:
        return redirect(reverse(f"{NS}:list", args=[municipalities[0].pk]))
    return render(
        request,
        "cases/offerings/index.html",
        {"municipalities": municipalities, "title": _("E-services"), "header_icon": "form"},
    )


def offering_list(request, organisation_id: int):
    organisation = _municipality(request, organisation_id)
    return render(
        request,
        "cases/offerings/list.html",
        {
            "organisation": organisation,
            "rows": offering_selectors.library_for(organisation),
            "title": _("E-services"),
            "subtitle": organisation.name,
            "header_icon": "form",
            "public_url": reverse("submit:municipality", args=[organisation.slug]),
        },
    )


@require_POST
def offering_switch(request, organisation_id: int, form_id: int):
    organisation = _municipality(request, organisation_id)
    try:
        form = offering_selectors.library_form_get(form_id)
    except FormDefinition.DoesNotExist:
        raise Http404 from None
    on = request.POST.get("on") == "1"
    try:
        offering = offerings.offering_switch(
            actor=request.user, organisation=organisation, form=form, on=on
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse(f"{NS}:list", args=[organisation.pk]))
    if on:
        messages.success(
            request,
            _("“%(form)s” is switched on for %(name)s. Check its settings.")
            % {"form": form.title, "name": organisation.name},
        )
        return redirect(reverse(f"{NS}:edit", args=[organisation.pk, offering.form_id]))
    messages.success(
        request,
        _("“%(form)s” is switched off. Cases already made stay as they are.")
        % {"form": form.title},
    )
    return redirect(reverse(f"{NS}:list", args=[organisation.pk]))


@require_http_methods(["GET", "POST"])
def offering_edit(request, organisation_id: int, form_id: int):
    organisation = _municipality(request, organisation_id)
    offering = _offering(organisation, form_id)
    form = OfferingSettingsForm(
        request.POST if request.method == "POST" else None, offering=offering
    )
    if request.method == "POST" and form.is_valid():
        try:
            offerings.offering_update(actor=request.user, offering=offering, **form.values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect(reverse(f"{NS}:edit", args=[organisation.pk, form_id]))
    return render(
        request,
        "cases/offerings/edit.html",
        {
            "organisation": organisation,
            "offering": offering,
            "form": form,
            "rules": offering_selectors.routing_rules_for(offering),
            "title": offering.form.title,
            "subtitle": organisation.name,
            "header_icon": "form",
            "start_url": offering_selectors.offering_url(offering),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def rule_add(request, organisation_id: int, form_id: int):
    organisation = _municipality(request, organisation_id)
    offering = _offering(organisation, form_id)
    return _rule_form(request, organisation, offering, None)


@require_http_methods(["GET", "POST"])
def rule_edit(request, organisation_id: int, form_id: int, rule_id: int):
    organisation = _municipality(request, organisation_id)
    offering = _offering(organisation, form_id)
    rule = get_object_or_404(offering_selectors.routing_rules_for(offering), pk=rule_id)
    return _rule_form(request, organisation, offering, rule)


def _rule_form(request, organisation, offering, rule):
    form = RoutingRuleForm(
        request.POST if request.method == "POST" else None, organisation=organisation, rule=rule
    )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in offerings.RULE_FIELDS}
        try:
            if rule is None:
                offerings.routing_rule_create(actor=request.user, offering=offering, **values)
            else:
                offerings.routing_rule_update(actor=request.user, rule=rule, **values)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The routing rule is saved."))
            return redirect(reverse(f"{NS}:edit", args=[organisation.pk, offering.form_id]))
    return render(
        request,
        "cases/offerings/rule.html",
        {
            "organisation": organisation,
            "offering": offering,
            "rule": rule,
            "form": form,
            "title": _("Routing rule") if rule else _("New routing rule"),
            "subtitle": f"{offering.form.title} – {organisation.name}",
            "header_icon": "form",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def rule_delete(request, organisation_id: int, form_id: int, rule_id: int):
    organisation = _municipality(request, organisation_id)
    offering = _offering(organisation, form_id)
    rule = get_object_or_404(offering_selectors.routing_rules_for(offering), pk=rule_id)
    offerings.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("The routing rule is deleted."))
    return redirect(reverse(f"{NS}:edit", args=[organisation.pk, offering.form_id]))
