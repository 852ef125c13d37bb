"""Writes for the portals: a Wagtail site per member municipality and one for the region,
the editor and reviewer groups with page permissions on their own tree only, the review
workflow, and sharing regional articles with municipal sites.

Editors' own page edits go through Wagtail's admin and are recorded in Wagtail's log
entries (page history); what these services change is recorded in our audit log.
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
from samvirke.audit.services import audit_record
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


def _root_page() -> Page:
    """Wagtail's tree root (created by Wagtail's migration; recreated after a flush)."""
    locale = Locale.objects.first() or Locale.objects.create(
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
    for permission in _page_permissions(codes):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


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
    return _admin_access_group(REGIONAL_EDITORS_GROUP)


def editor_group(*, organisation: Organisation) -> Group:
    return _admin_access_group(editor_group_name(organisation))


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
    home = (
        HomePage.objects.filter(organisation=organisation).first()
        if organisation
        else HomePage.objects.filter(is_regional=True).first()
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
    WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": portal_workflow()})
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
    and the review workflow. Idempotent; called when a member municipality is created."""
    if organisation.kind != OrganisationKind.MUNICIPALITY or not organisation.is_member:
        raise ValueError("Only member municipalities have their own site.")
    regional_site_ensure(region=organisation.region, actor=actor)
    home, site, created = _home_ensure(
        title=organisation.name,
        slug=organisation.slug,
        organisation=organisation,
        hostname=portal_hostname(organisation=organisation),
        default=False,
    )
    _grant(editor_group(organisation=organisation), home, EDITOR_PERMISSIONS)
    if created:
        audit_record(
            action=AuditAction.CREATE,
            obj=site,
            actor=actor,
            acting_for=organisation,
            changes={"hostname": [None, site.hostname], "root_page": [None, home.title]},
        )
    return home


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
    region_home = HomePage.objects.filter(is_regional=True).first()
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
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return article
