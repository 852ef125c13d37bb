"""Back-office screens (in Wagtail's admin) where an organisation's administrators manage
its staff: list, create, change units and roles, reset the second factor, unlock.

Every change goes through `samvirke.accounts.services`, which checks the permission
(`accounts.manage_users` on the organisation) and writes the audit event. An organisation
the user does not administer, or a user who does not work there, answers 404: the screens
do not reveal what exists elsewhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvirke.accounts import selectors, services
from samvirke.accounts.forms import StaffUserCreateForm, StaffUserEditForm
from samvirke.accounts.models import Membership
from samvirke.organisations.models import Organisation

PAGE_SIZE = 25


def _organisation_for(actor, organisation_id: int) -> Organisation:
    try:
        return selectors.administered_organisation_get(actor, organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _membership_for(organisation: Organisation, user_id: int) -> Membership:
    try:
        return selectors.staff_membership_get(organisation=organisation, user_id=user_id)
    except Membership.DoesNotExist:
        raise Http404 from None


# --- views -------------------------------------------------------------------------------


def staff_index(request: HttpRequest) -> HttpResponse:
    organisations = selectors.administered_organisations(request.user)
    if not organisations:
        raise Http404
    if len(organisations) == 1:
        return redirect("samvirke_staff:list", organisation_id=organisations[0].pk)
    return render(request, "accounts/admin/organisations.html", {"organisations": organisations})


def staff_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request.user, organisation_id)
    search = request.GET.get("q", "").strip()
    paginator = Paginator(selectors.staff_memberships(organisation, search=search), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return render(
        request,
        "accounts/admin/list.html",
        {
            "organisation": organisation,
            "page": page,
            "search": search,
            "elided_range": paginator.get_elided_page_range(page.number),
        },
    )


def staff_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request.user, organisation_id)
    form = StaffUserCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.staff_user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    organisation=organisation,
                    title=data["title"],
                    units=data["units"],
                    roles=data["roles"],
                )
                services.staff_password_link_send(
                    actor=request.user,
                    user=user,
                    organisation=organisation,
                    base_url=request.build_absolute_uri("/"),
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added and has been sent a link to choose a password.")
                % {"name": user},
            )
            return redirect("samvirke_staff:list", organisation_id=organisation.pk)
    return render(
        request, "accounts/admin/create.html", {"organisation": organisation, "form": form}
    )


def staff_edit(request: HttpRequest, organisation_id: int, user_id: int) -> HttpResponse:
    organisation = _organisation_for(request.user, organisation_id)
    membership = _membership_for(organisation, user_id)
    user = membership.user
    current_roles = sorted(r.role for r in user.roles_here)
    if request.method == "GET":
        services.staff_user_read(actor=request.user, user=user, organisation=organisation)
    form = StaffUserEditForm(
        request.POST or None,
        organisation=organisation,
        actor=request.user,
        user=user,
        initial={"units": list(membership.units.all()), "roles": current_roles},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.membership_set_units(
                    actor=request.user, membership=membership, units=form.cleaned_data["units"]
                )
                wanted = set(form.cleaned_data["roles"])
                for role in sorted(wanted - set(current_roles)):
                    services.role_assign(
                        actor=request.user, user=user, organisation=organisation, role=role
                    )
                for role in sorted(set(current_roles) - wanted):
                    services.role_revoke(
                        actor=request.user, user=user, organisation=organisation, role=role
                    )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": user})
            return redirect("samvirke_staff:list", organisation_id=organisation.pk)
    return render(
        request,
        "accounts/admin/edit.html",
        {
            "organisation": organisation,
            "membership": membership,
            "staff_user": user,
            "form": form,
            "requires_second_factor": services.staff_requires_second_factor(user),
        },
    )


@require_POST
def staff_second_factor_reset(
    request: HttpRequest, organisation_id: int, user_id: int
) -> HttpResponse:
    organisation = _organisation_for(request.user, organisation_id)
    user = _membership_for(organisation, user_id).user
    removed = services.staff_second_factor_reset(
        actor=request.user, user=user, organisation=organisation
    )
    if removed:
        messages.success(
            request,
            _(
                "The second factor of %(name)s is reset. They set up a "
                "new authenticator app when they next log in."
            )
            % {"name": user},
        )
    else:
        messages.info(request, _("%(name)s had no second factor.") % {"name": user})
    return redirect("samvirke_staff:edit", organisation_id=organisation.pk, user_id=user.pk)


@require_POST
def staff_unlock(request: HttpRequest, organisation_id: int, user_id: int) -> HttpResponse:
    organisation = _organisation_for(request.user, organisation_id)
    user = _membership_for(organisation, user_id).user
    services.staff_user_unlock(actor=request.user, user=user, organisation=organisation)
    messages.success(request, _("%(name)s can log in again.") % {"name": user})
    return redirect("samvirke_staff:edit", organisation_id=organisation.pk, user_id=user.pk)


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
