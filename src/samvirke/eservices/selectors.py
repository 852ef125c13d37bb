"""Reads of the regional form library. Forms are shared by the whole region, so an
author sees every form; anyone else sees none (and gets a 404 for any form)."""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet

from samvirke.eservices.models import FormDefinition, FormVersion


def form_list(*, user) -> QuerySet[FormDefinition]:
    if not user.has_perm("eservices.author_form"):
        return FormDefinition.objects.none()
    return (
        FormDefinition.objects.select_related("area")
        .annotate(
            latest_number=Max("versions__number"),
            published_number=Max("versions__number", filter=Q(versions__published=True)),
        )
        .order_by("title")
    )


def form_get(*, user, form_id: int) -> FormDefinition:
    """Raises `FormDefinition.DoesNotExist` for a form the user may not see."""
    return form_list(user=user).get(pk=form_id)


def version_latest(*, form: FormDefinition) -> FormVersion | None:
    return form.versions.order_by("-number").first()


def version_history(*, form: FormDefinition) -> QuerySet[FormVersion]:
    """Every version of the form, newest first, each with who made it. The caller has
    reached the form through `form_get`."""
    return form.versions.select_related("created_by").order_by("-number")


def version_published(*, form: FormDefinition) -> FormVersion | None:
    """The version citizens get: the newest published one."""
    return form.versions.filter(published=True).order_by("-number").first()
