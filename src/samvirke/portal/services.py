"""Writes for the portals: a Wagtail site per member municipality and one for the region,
the editor and reviewer groups with page permissions on their own tree only (in every
language), the review workflow, sharing regional articles with municipal sites, and the
audit events for page edits made in Wagtail's admin (`page_event_record`, called from
`portal.wagtail_hooks`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import get_supported_language_variant
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record, diff
from samvirke.organisations.models import Organisation, OrganisationKind, Region
from samvirke.portal.models import (
    AccessibilityStatementPage,
    ContactPage,
    EventIndexPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    SearchPage,
    ServiceIndexPage,
    StandardPage,
)

REGIONAL_EDITORS_GROUP = "Regionale redaktører"
REVIEWERS_GROUP = "Portalgodkjennere"
WORKFLOW_NAME = "Portal: godkjenning før publisering"
EDITOR_PERMISSIONS = ("add", "change", "lock", "unlock")
CONTENT_LANGUAGE_CODES = ("nb", "nn", "sv", "en")
REVIEWER_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")

# The sections every new site starts with (content in the site's language, bokmål)
# (model, title, slug, in the main menu); editors rename and add to them
SECTIONS = [
    (ServiceIndexPage, "Tjenester", "tjenester", True),
    (NewsIndexPage, "Nyheter", "nyheter", True),
    (EventIndexPage, "Arrangementer", "arrangementer", True),
    (ContactPage, "Kontakt oss", "kontakt", True),
    (AccessibilityStatementPage, "Tilgjengelighetserklæring", "tilgjengelighet", False),
    (SearchPage, "Søk", "sok", False),
]


def portal_domain() -> str:
    return str(settings.SAMVIRKE_PORTAL_DOMAIN)


def portal_hostname(*, organisation: Organisation | None = None) -> str:
    """`<slug>.<domain>` for a municipality, the domain itself for the region."""
    domain = portal_domain()
    return f"{organisation.slug}.{domain}" if organisation else domain


def editor_group_name(organisation: Organisation) -> str:
    return f"{organisation.name} – redaktører"


def content_locales_ensure() -> None:
    """The content languages' locales (made by a migration; again after a flush)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def _root_page() -> Page:
    """Wagtail's tree root (created by Wagtail's migration; recreated after a flush)."""
    content_locales_ensure()
    locale = Locale.objects.get(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    return root


def _page_permissions(codes: Iterable[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[f"{code}_page" for code in codes],
        )
    )


def _grant(group: Group, page: Page, codes: Iterable[str]) -> None:
    """Page permissions on a home page's tree, and on the trees of its translations (the
    translated home pages are its siblings, so each needs its own grant)."""
    permissions = _page_permissions(codes)
    for tree in page.get_translations(inclusive=True):
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=tree, permission=permission)


def home_translation_setup(*, source: Page, translation: Page) -> None:
    """A home page's new translation gets what the home page has: the same groups' page
    permissions and the review workflow. Without this Askim's editor could not edit
    Askim's English pages, and they would skip review. Idempotent."""
    for grant in GroupPagePermission.objects.filter(page=source):
        GroupPagePermission.objects.get_or_create(
            group_id=grant.group_id, page=translation, permission_id=grant.permission_id
        )
    workflow = WorkflowPage.objects.filter(page=source).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(
            page=translation, defaults={"workflow_id": workflow.workflow_id}
        )


def _allow_translation(group: Group) -> None:
    """Editors translate pages with simple_translation's "Translate" action."""
    permission = Permission.objects.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ).first()
    if permission is not None:
        group.permissions.add(permission)


def _admin_access_group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(permission)
    return group


def reviewers_group() -> Group:
    return _admin_access_group(REVIEWERS_GROUP)


def regional_editors_group() -> Group:
    group = _admin_access_group(REGIONAL_EDITORS_GROUP)
    _allow_translation(group)
    return group


def editor_group(*, organisation: Organisation) -> Group:
    group = _admin_access_group(editor_group_name(organisation))
    _allow_translation(group)
    return group


def portal_workflow() -> Workflow:
    """Draft → review by the reviewer group → published (Wagtail's moderation)."""
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name="Godkjenning av portalgodkjennere")
        task.groups.set([reviewers_group()])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _home_ensure(
    *, title: str, slug: str, organisation: Organisation | None, hostname: str, default: bool
) -> tuple[HomePage, Site, bool]:
    content_locales_ensure()  # after a flush (browser tests) the migration's are gone
    homes = HomePage.objects.filter(locale=Locale.get_default())
    home = (
        homes.filter(organisation=organisation).first()
        if organisation
        else homes.filter(is_regional=True).first()
    )
    created = home is None
    if created:
        root = _root_page()
        home = root.add_child(
            instance=HomePage(
                title=title,
                slug=slug,
                organisation=organisation,
                is_regional=organisation is None,
            )
        )
        for model, section_title, section_slug, in_menu in SECTIONS:
            home.add_child(
                instance=model(title=section_title, slug=section_slug, show_in_menus=in_menu)
            )
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        site = Site.objects.filter(hostname=hostname).first() or Site(hostname=hostname)
        site.port = 80
        site.root_page = home
        site.site_name = title
        site.is_default_site = default
        if default:
            Site.objects.filter(is_default_site=True).exclude(pk=site.pk).update(
                is_default_site=False
            )
        site.save()
    workflow = portal_workflow()
    for tree in home.get_translations(inclusive=True):
        WorkflowPage.objects.get_or_create(page=tree, defaults={"workflow": workflow})
    _grant(reviewers_group(), home, REVIEWER_PERMISSIONS)
    return home, site, created


@transaction.atomic
def regional_site_ensure(*, region: Region, actor=None) -> HomePage:
    """The regional portal: the default site, on the portal domain itself. Idempotent.
    Wagtail's placeholder welcome page, if still there, gives way to it."""
    placeholder = ContentType.objects.get_for_model(Page)
    Page.objects.filter(depth=2, content_type=placeholder, numchild=0).delete()
    home, site, created = _home_ensure(
        title=region.name,
        slug=region.slug,
        organisation=None,
        hostname=portal_hostname(),
        default=True,
    )
    _grant(regional_editors_group(), home, EDITOR_PERMISSIONS)
    if created:
        audit_record(
            action=AuditAction.CREATE,
            obj=site,
            actor=actor,
            changes={"hostname": [None, site.hostname], "root_page": [None, home.title]},
        )
    return home


@transaction.atomic
def portal_site_ensure(*, organisation: Organisation, actor=None) -> HomePage:
    """A member municipality's site: home page with its sections, a Wagtail `Site` on
    `<slug>.<portal domain>`, an editor group with page permissions on that tree only,
    and the review workflow. Idempotent; called when a member municipality is created,
    and when one is changed (`organisation_update`): a municipality that becomes a member
    gets its site, and after a new name or slug the site's host name, site name and editor
    group follow."""
    if organisation.kind != OrganisationKind.MUNICIPALITY or not organisation.is_member:
        raise ValueError("Only member municipalities have their own site.")
    regional_site_ensure(region=organisation.region, actor=actor)
    hostname = portal_hostname(organisation=organisation)
    home, site, created = _home_ensure(
        title=organisation.name,
        slug=organisation.slug,
        organisation=organisation,
        hostname=hostname,
        default=False,
    )
    changes = _site_follow_organisation(site=site, home=home, organisation=organisation)
    _grant(editor_group(organisation=organisation), home, EDITOR_PERMISSIONS)
    if created:
        audit_record(
            action=AuditAction.CREATE,
            obj=site,
            actor=actor,
            acting_for=organisation,
            changes={"hostname": [None, site.hostname], "root_page": [None, home.title]},
        )
    elif changes:
        audit_record(
            action=AuditAction.UPDATE,
            obj=site,
            actor=actor,
            acting_for=organisation,
            changes=changes,
        )
    return home


def _site_follow_organisation(
    *, site: Site, home: HomePage, organisation: Organisation
) -> dict[str, list[str]]:
    """Host name, site name and editor group name after the organisation's slug and name.
    Returns the changes as [before, after]."""
    changes: dict[str, list[str]] = {}
    hostname = portal_hostname(organisation=organisation)
    if site.hostname != hostname:
        if Site.objects.filter(hostname=hostname).exclude(pk=site.pk).exists():
            raise ValueError(f"Another site already answers on {hostname}.")
        changes["hostname"] = [site.hostname, hostname]
        site.hostname = hostname
    if site.site_name != organisation.name:
        changes["site_name"] = [site.site_name, organisation.name]
        site.site_name = organisation.name
    if changes:
        site.save()
    name = editor_group_name(organisation)
    if not Group.objects.filter(name=name).exists():
        renamed = (
            Group.objects.filter(page_permissions__page=home)
            .exclude(name__in=[REVIEWERS_GROUP, REGIONAL_EDITORS_GROUP])
            .distinct()
            .first()
        )
        if renamed is not None:
            changes["editor_group"] = [renamed.name, name]
            renamed.name = name
            renamed.save(update_fields=["name"])
    return changes


@transaction.atomic
def shared_article_share(
    *,
    actor=None,
    article: NewsArticlePage | StandardPage,
    share_with_all: bool = False,
    organisations: Iterable[Organisation] = (),
) -> NewsArticlePage | StandardPage:
    """Shows a regional article or theme page on every municipal site, or on the chosen
    ones."""
    region_home = HomePage.objects.filter(is_regional=True, locale=Locale.get_default()).first()
    if region_home is None or not article.is_descendant_of(region_home):
        raise ValueError("Only articles on the regional portal can be shared.")
    chosen = [o for o in organisations]
    if any(not (o.is_member and o.kind == OrganisationKind.MUNICIPALITY) for o in chosen):
        raise ValueError("Articles are shared with member municipalities only.")
    before = {
        "share_with_all": article.share_with_all,
        "shared_to": sorted(article.shared_to.values_list("slug", flat=True)),
    }
    article.share_with_all = share_with_all
    article.shared_to.set(chosen)
    article.save(update_fields=["share_with_all"])
    article.shared_to.commit()
    after = {"share_with_all": share_with_all, "shared_to": sorted(o.slug for o in chosen)}
    audit_record(
        action=AuditAction.UPDATE,
        obj=article,
        actor=actor,
        changes=diff(before, after),
    )
    return article


# What an edit in Wagtail's admin was, and the audit action it is recorded as
PAGE_EVENTS = {
    "create": AuditAction.CREATE,
    "copy": AuditAction.CREATE,
    "translate": AuditAction.CREATE,
    "edit": AuditAction.UPDATE,
    "publish": AuditAction.UPDATE,
    "unpublish": AuditAction.UPDATE,
    "move": AuditAction.UPDATE,
    "submit_for_review": AuditAction.UPDATE,
    "approve": AuditAction.UPDATE,
    "reject": AuditAction.UPDATE,
    "delete": AuditAction.DELETE,
}
PAGE_OBJECT_TYPE = "wagtailcore.page"


def _changed_fields(page: Page) -> tuple[dict[str, list], list[str]]:
    """What the page's latest revision changed against the one before: title and slug as
    [before, after], the names of the other changed fields (content can be long; the
    revisions themselves are kept in Wagtail's page history)."""
    revisions = list(page.revisions.order_by("-created_at", "-id")[:2])
    if len(revisions) < 2:
        return {}, []
    after, before = revisions[0].content, revisions[1].content
    ignored = {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "live_revision",
        "path",
        "depth",
        "numchild",
        "url_path",
        "last_published_at",
        "first_published_at",
        "go_live_at",
        "expire_at",
        "locked",
        "locked_at",
        "locked_by",
        "live",
        "owner",
        "content_type",
        "translation_key",
    }
    names = sorted(
        k for k in set(after) | set(before) if k not in ignored and after.get(k) != before.get(k)
    )
    changes = {k: [before.get(k), after.get(k)] for k in names if k in ("title", "slug")}
    return changes, [k for k in names if k not in changes]


def page_event_record(
    *,
    page: Page,
    event: str,
    actor=None,
    changes: dict[str, list] | None = None,
    details: dict | None = None,
) -> None:
    """One audit event for a change made to a portal page in Wagtail's admin: created,
    edited, published, unpublished, moved, deleted, submitted for review, approved,
    rejected, copied or translated. Recorded for the page's municipality (none for the
    regional portal). Called from `portal.wagtail_hooks` and `portal.page_audit`, in the
    transaction of the change where Wagtail runs one."""
    if page.depth is not None and page.depth <= 1:
        return  # the tree's root is not a portal page
    # the home page is the depth-2 ancestor (or the page itself)
    home = HomePage.objects.filter(path=page.path[: HomePage.steplen * 2]).first()
    if event == "edit" and changes is None:
        changes, fields = _changed_fields(page)
        details = {**(details or {}), "fields": fields}
    audit_record(
        action=PAGE_EVENTS[event],
        object_type=PAGE_OBJECT_TYPE,
        object_id=page.pk,
        object_label=page.title[:200],
        actor=actor,
        acting_for=home.organisation if home is not None else None,
        changes=changes or {},
        details={
            "event": event,
            "page_type": page.specific_class._meta.label_lower if page.specific_class else "",
            "locale": page.locale.language_code if page.locale_id else "",
            "url_path": page.url_path,
            **(details or {}),
        },
    )
