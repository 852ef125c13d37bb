"""Wagtail's page signals, turned into audit events (`services.page_event_record`), and
a home page's new translation set up like its original (`home_translation_setup`).
Connected in `PortalConfig.ready`."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from samvirke.portal import services
from samvirke.portal.models import HomePage


@receiver(page_published)
def audit_page_published(sender, instance, revision=None, **kwargs):
    services.page_event_record(
        page=instance,
        event="publish",
        details={"revision": revision.pk} if revision is not None else None,
    )


@receiver(page_unpublished)
def audit_page_unpublished(sender, instance, **kwargs):
    services.page_event_record(page=instance, event="unpublish")


@receiver(post_page_move)
def audit_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        return
    services.page_event_record(
        page=instance, event="move", changes={"url_path": [url_path_before, url_path_after]}
    )


def _workflow_page(state) -> Page | None:
    page = state.content_object
    return page if isinstance(page, Page) else None


@receiver(workflow_submitted)
def audit_submitted_for_review(sender, instance, user=None, **kwargs):
    if page := _workflow_page(instance):
        services.page_event_record(
            page=page,
            event="submit_for_review",
            actor=user,
            details={"workflow": instance.workflow.name},
        )


@receiver(workflow_approved)
def audit_review_approved(sender, instance, user=None, **kwargs):
    if page := _workflow_page(instance):
        services.page_event_record(
            page=page, event="approve", actor=user, details={"workflow": instance.workflow.name}
        )


@receiver(workflow_rejected)
def audit_review_rejected(sender, instance, user=None, **kwargs):
    if page := _workflow_page(instance):
        services.page_event_record(
            page=page, event="reject", actor=user, details={"workflow": instance.workflow.name}
        )


@receiver(copy_for_translation_done)
def page_translated(sender, source_obj, target_obj, **kwargs):
    if not isinstance(target_obj, Page):
        return
    if isinstance(target_obj.specific, HomePage):
        services.home_translation_setup(source=source_obj, translation=target_obj)
    services.page_event_record(
        page=target_obj,
        event="translate",
        details={"translation_of": source_obj.pk},
    )
