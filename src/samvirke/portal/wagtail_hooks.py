"""Page edits in Wagtail's admin leave events in our audit log: creating, editing,
copying and deleting a page here, through the admin's hooks; publishing, unpublishing,
moving, review and translation through Wagtail's signals (`portal.page_audit`), which
also fire when those happen outside a view (scheduled publishing, the approval step)."""

from wagtail import hooks
from wagtail.models import Page

from samvirke.portal import services


@hooks.register("after_create_page")
def audit_page_created(request, page):
    services.page_event_record(page=page, event="create", actor=request.user)


@hooks.register("after_edit_page")
def audit_page_edited(request, page):
    services.page_event_record(page=page, event="edit", actor=request.user)


@hooks.register("after_copy_page")
def audit_page_copied(request, page, new_page):
    services.page_event_record(
        page=new_page, event="copy", actor=request.user, details={"copied_from": page.pk}
    )


@hooks.register("after_delete_page")
def audit_page_deleted(request, page):
    services.page_event_record(page=page, event="delete", actor=request.user)


@hooks.register("after_bulk_action")
def audit_pages_deleted_in_bulk(request, action_type, objects, action_class_instance):
    # publish, unpublish and move in bulk reach the audit log through Wagtail's signals
    if action_type != "delete":
        return
    for page in objects:
        if isinstance(page, Page):
            services.page_event_record(page=page, event="delete", actor=request.user)
