"""Reads for the portals. Portal pages are public content: only live, public pages are
returned, and units only through the organisations app's public selector."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, Site

from samvirke.organisations import selectors as organisation_selectors
from samvirke.organisations.models import Organisation, Unit
from samvirke.portal.links import page_link
from samvirke.portal.models import (
    AccessibilityStatementPage,
    ContactPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    SearchPage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)


@dataclass
class NewsItem:
    """A news article as listed on a site; `shared` marks an article from the region."""

    article: NewsArticlePage
    shared: bool
    via_home: HomePage | None = None  # the municipal home page that shows a shared article

    def link(self, request) -> str:
        if self.shared and self.via_home is not None:
            return page_link(self.via_home, request, shared_article_subpath(self.article))
        return page_link(self.article, request)


def regional_home() -> HomePage | None:
    return HomePage.objects.filter(is_regional=True).first()


def home_for_organisation(*, organisation: Organisation) -> HomePage | None:
    return HomePage.objects.filter(organisation=organisation).first()


def shared_article_list(*, organisation: Organisation) -> QuerySet[NewsArticlePage]:
    """Live regional articles shared with this municipality (with all, or with it)."""
    region_home = regional_home()
    if region_home is None:
        return NewsArticlePage.objects.none()
    return (
        NewsArticlePage.objects.live()
        .public()
        .descendant_of(region_home)
        .filter(Q(share_with_all=True) | Q(shared_to=organisation))
        .distinct()
        .order_by("-date", "-pk")
    )


def shared_theme_list(*, organisation: Organisation) -> QuerySet[StandardPage]:
    """Live regional theme pages shared with this municipality."""
    region_home = regional_home()
    if region_home is None:
        return StandardPage.objects.none()
    return (
        StandardPage.objects.live()
        .public()
        .descendant_of(region_home)
        .filter(Q(share_with_all=True) | Q(shared_to=organisation))
        .distinct()
        .order_by("title")
    )


def shared_article_get(
    *, organisation: Organisation, article_id: int
) -> NewsArticlePage | StandardPage:
    """A regional article or theme page shared with this municipality; 404 otherwise."""
    page = shared_article_list(organisation=organisation).filter(pk=article_id).first()
    page = page or shared_theme_list(organisation=organisation).filter(pk=article_id).first()
    if page is None:
        raise Http404
    return page


def shared_article_subpath(article: NewsArticlePage | StandardPage) -> str:
    return HomePage().reverse_subpage("shared-article", args=[article.pk])


def news_items(*, home: HomePage | None, index: NewsIndexPage | None = None) -> list[NewsItem]:
    """The site's own articles, and on a municipal site the region's shared ones, newest
    first."""
    if home is None:
        return []
    root = index or home
    own = NewsArticlePage.objects.live().public().descendant_of(root).order_by("-date", "-pk")
    items = [NewsItem(article=a, shared=False) for a in own]
    if home.organisation is not None:
        items += [
            NewsItem(article=a, shared=True, via_home=home)
            for a in shared_article_list(organisation=home.organisation)
        ]
    items.sort(key=lambda item: (item.article.date, item.article.pk), reverse=True)
    return items


def upcoming_events(*, root: Page, limit: int | None = 3) -> QuerySet[EventPage]:
    events = (
        EventPage.objects.live()
        .public()
        .descendant_of(root)
        .filter(Q(end__gte=timezone.now()) | Q(end__isnull=True, start__gte=timezone.now()))
        .order_by("start")
    )
    return events[:limit] if limit else events


def _first_child(home: HomePage, model):
    return model.objects.child_of(home).live().public().first()


SECTION_MODELS = {
    "news": NewsIndexPage,
    "events": EventIndexPage,
    "services": ServiceIndexPage,
    "contact": ContactPage,
    "search": SearchPage,
    "accessibility": AccessibilityStatementPage,
}


def section_page(*, home: HomePage, kind: str) -> Page | None:
    """The site's news list, event list, service catalogue, contact page, search page or
    accessibility statement."""
    return _first_child(home, SECTION_MODELS[kind])


def home_context(*, home: HomePage) -> dict:
    """What a home page shows: key services, latest news (with the region's shared
    articles), upcoming events, contact details and the site's sections."""
    services = list(home.key_services.live().public()) if home.pk else []
    if not services:
        services = list(
            ServicePage.objects.live().public().descendant_of(home).order_by("title")[:6]
        )
    context = {
        "key_services": services,
        "latest_news": list(islice(news_items(home=home), 4)),
        "upcoming_events": list(upcoming_events(root=home)),
        "news_index": _first_child(home, NewsIndexPage),
        "event_index": _first_child(home, EventIndexPage),
        "service_index": _first_child(home, ServiceIndexPage),
        "contact_page": _first_child(home, ContactPage),
        "search_page": _first_child(home, SearchPage),
        "accessibility_page": _first_child(home, AccessibilityStatementPage),
        "organisation": home.organisation,
        "shared_themes": (
            [
                NewsItem(article=p, shared=True, via_home=home)  # type: ignore[arg-type]
                for p in shared_theme_list(organisation=home.organisation)
            ]
            if home.organisation is not None
            else []
        ),
    }
    if home.is_regional:
        municipalities = list(organisation_selectors.municipality_list())
        homes = {h.organisation_id: h for h in HomePage.objects.live().filter(is_regional=False)}
        context["municipalities"] = [(m, homes.get(m.id)) for m in municipalities]
        context["total_population"] = sum(m.population or 0 for m in municipalities)
        context["public_arrangement_count"] = organisation_selectors.arrangement_list(
            user=AnonymousUser()
        ).count()
    return context


def contact_units(*, organisation: Organisation | None) -> QuerySet[Unit]:
    """The organisation's public units (the public subset, whoever asks)."""
    if organisation is None:
        return Unit.objects.none()
    return organisation_selectors.unit_list(user=AnonymousUser(), organisation_id=organisation.id)


def contact_context(*, home: HomePage | None) -> dict:
    """A municipality's contact page lists its public units; the regional one points to
    each member municipality's contact page."""
    organisation = home.organisation if home else None
    context: dict[str, Any] = {
        "organisation": organisation,
        "units": list(contact_units(organisation=organisation)),
    }
    if home is not None and home.is_regional:
        homes = HomePage.objects.live().filter(is_regional=False).select_related("organisation")
        # a contact page's parent path is its own path less one step (treebeard)
        steps = len(home.path) // home.depth
        pages = {
            p.path[:-steps]: p
            for p in ContactPage.objects.live().public().filter(depth=home.depth + 1)
        }
        contacts: list[tuple[Organisation, ContactPage]] = [
            (h.organisation, pages[h.path])
            for h in homes
            if h.organisation is not None and h.path in pages
        ]
        context["municipal_contacts"] = sorted(contacts, key=lambda pair: pair[0].name)
    return context


@dataclass
class SearchHit:
    page: Page
    site_name: str


def page_search(*, query: str, home: HomePage | None, limit: int = 50) -> list[SearchHit]:
    """Wagtail search over live public pages: the site's own tree, or on the regional
    portal every site's tree, each hit labelled with its site's name."""
    pages = Page.objects.live().public().exclude(depth__lte=1)
    if home is not None and not home.is_regional:
        pages = pages.descendant_of(home, inclusive=True)
    results = list(pages.search(query)[:limit])
    sites = sorted(Site.objects.select_related("root_page"), key=lambda s: -len(s.root_page.path))
    homes = {h.pk: h for h in HomePage.objects.select_related("organisation")}
    hits = []
    for page in results:
        site = next((s for s in sites if page.path.startswith(s.root_page.path)), None)
        site_home = homes.get(site.root_page_id) if site else None
        name = site_home.site_name() if site_home else (site.site_name if site else "")
        hits.append(SearchHit(page=page.specific, site_name=name))
    return hits
