"""Reads for the portals. Portal pages are public content: only live, public pages are
returned, and units only through the organisations app's public selector.

Translations: a site's bokmål tree is its source. Lists and menus on a translated page
(news, events, services, sections) are built from the bokmål tree, and each page in them
is swapped for its translation in the page's language where a live one exists; the rest
stay in bokmål (and templates mark them `lang="nb"`). Sharing regional articles is decided
on the bokmål article; its translations follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Locale, Page

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

P = TypeVar("P", bound=Page)


def default_locale() -> Locale:
    return Locale.get_default()


def source_page(page: P) -> P:
    """A page's bokmål original: the page itself when it is in bokmål or has none."""
    default = default_locale()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


def localize(pages: Iterable[P], locale: Locale | None) -> list[P]:
    """Each page's live, public translation in `locale`, or the page itself where there is
    none (one query for the lot)."""
    pages = list(pages)
    if locale is None:
        return pages
    keys = [p.translation_key for p in pages if p.locale_id != locale.pk]
    if not keys:
        return pages
    translations = {
        p.translation_key: p
        for p in Page.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=keys)
        .specific()
    }
    return [
        p if p.locale_id == locale.pk else translations.get(p.translation_key, p) for p in pages
    ]


def page_translations(page: Page) -> list[Page]:
    """The live, public versions of a page in every content language, itself included, in
    the order of `LANGUAGES`."""
    versions = list(page.get_translations(inclusive=True).live().public().select_related("locale"))
    order = {code: i for i, (code, _name) in enumerate(settings.LANGUAGES)}
    return sorted(versions, key=lambda p: order.get(p.locale.language_code, len(order)))


def live_page_get(page_id: str) -> Page | None:
    """The live, public page with this id (as the language switcher posts it), or None
    for an id that is not a number or not such a page."""
    if not page_id.isdigit():
        return None
    return Page.objects.live().public().filter(pk=page_id).first()


def page_in_language(page: Page, language: str) -> Page:
    """Where a visitor who switches to `language` on `page` lands: the page's live
    translation in that language, else its bokmål original (shown with the interface in
    the chosen language), else the page itself."""
    versions = {p.locale.language_code: p for p in page_translations(page)}
    return versions.get(language) or versions.get(default_locale().language_code) or page


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
    """The regional portal's home page (the bokmål one; translations are its siblings)."""
    return HomePage.objects.filter(is_regional=True, locale=default_locale()).first()


def home_for_organisation(*, organisation: Organisation) -> HomePage | None:
    return HomePage.objects.filter(organisation=organisation, locale=default_locale()).first()


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
    *, organisation: Organisation, article_id: int, locale: Locale | None = None
) -> NewsArticlePage | StandardPage:
    """A regional article or theme page shared with this municipality, in `locale` where
    it has a live translation; 404 otherwise. `article_id` may name the bokmål article or
    any of its translations."""
    asked = Page.objects.filter(pk=article_id).first()
    if asked is None:
        raise Http404
    source = source_page(asked)
    page = shared_article_list(organisation=organisation).filter(pk=source.pk).first()
    page = page or shared_theme_list(organisation=organisation).filter(pk=source.pk).first()
    if page is None:
        raise Http404
    return localize([page], locale)[0]


def shared_article_subpath(article: NewsArticlePage | StandardPage) -> str:
    return HomePage().reverse_subpage("shared-article", args=[article.pk])


def news_items(*, home: HomePage | None, index: NewsIndexPage | None = None) -> list[NewsItem]:
    """The site's own articles, and on a municipal site the region's shared ones, newest
    first, in the home page's language where translated."""
    if home is None:
        return []
    root = source_page(index or home)
    own = list(NewsArticlePage.objects.live().public().descendant_of(root).order_by("-date", "-pk"))
    items = [NewsItem(article=a, shared=False) for a in own]
    if home.organisation is not None:
        items += [
            NewsItem(article=a, shared=True, via_home=home)
            for a in shared_article_list(organisation=home.organisation)
        ]
    items.sort(key=lambda item: (item.article.date, item.article.pk), reverse=True)
    localized = localize([i.article for i in items], home.locale)
    for item, article in zip(items, localized, strict=True):
        item.article = article
    return items


def upcoming_events(*, root: Page, limit: int | None = 3) -> list[EventPage]:
    """Events not yet over below `root` (taken from its bokmål tree), in root's language
    where translated."""
    events = (
        EventPage.objects.live()
        .public()
        .descendant_of(source_page(root))
        .filter(Q(end__gte=timezone.now()) | Q(end__isnull=True, start__gte=timezone.now()))
        .order_by("start")
    )
    return localize(events[:limit] if limit else events, root.locale)


def service_list(*, index: ServiceIndexPage) -> list[ServicePage]:
    """A service catalogue's services, in the catalogue's language where translated."""
    services = ServicePage.objects.child_of(source_page(index)).live().public()
    return sorted(localize(services, index.locale), key=lambda s: s.title.casefold())


def _first_child(home: HomePage, model):
    page = model.objects.child_of(source_page(home)).live().public().first()
    return localize([page], home.locale)[0] if page is not None else None


def menu_sections(*, home: HomePage) -> list[Page]:
    """The sections editors show in the menu, from the bokmål tree, each in the home
    page's language where translated."""
    sections = source_page(home).get_children().live().public().in_menu().specific()
    return localize(sections, home.locale)


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
    source = source_page(home)
    services = list(source.key_services.live().public()) if source.pk else []
    if not services:
        services = list(
            ServicePage.objects.live().public().descendant_of(source).order_by("title")[:6]
        )
    context = {
        "key_services": localize(services, home.locale),
        "latest_news": list(islice(news_items(home=home), 4)),
        "upcoming_events": upcoming_events(root=home),
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
                for p in localize(shared_theme_list(organisation=home.organisation), home.locale)
            ]
            if home.organisation is not None
            else []
        ),
    }
    if home.is_regional:
        municipalities = list(organisation_selectors.municipality_list())
        homes = {
            h.organisation_id: h
            for h in localize(
                HomePage.objects.live().filter(is_regional=False, locale=default_locale()),
                home.locale,
            )
        }
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
        homes = (
            HomePage.objects.live()
            .filter(is_regional=False, locale=default_locale())
            .select_related("organisation")
        )
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
        localized = localize([page for _org, page in contacts], home.locale)
        contacts = [(org, page) for (org, _page), page in zip(contacts, localized, strict=True)]
        context["municipal_contacts"] = sorted(contacts, key=lambda pair: pair[0].name)
    return context


@dataclass
class SearchHit:
    page: Page
    site_name: str
    via_home: HomePage | None = None  # the municipal home page that shows a shared page

    @property
    def shared(self) -> bool:
        return self.via_home is not None

    def link(self, request) -> str:
        if self.via_home is not None:
            return page_link(self.via_home, request, shared_article_subpath(self.page))
        return page_link(self.page, request)


def _shared_translation_keys(*, organisation: Organisation) -> set:
    return set(
        shared_article_list(organisation=organisation).values_list("translation_key", flat=True)
    ) | set(shared_theme_list(organisation=organisation).values_list("translation_key", flat=True))


def page_search(*, query: str, home: HomePage | None, limit: int = 50) -> list[SearchHit]:
    """Wagtail search over live public pages in every language: on a municipal site its
    own tree and the regional pages shared with it (linked at the site's own
    /from-the-region/ address); on the regional portal every site's tree, each hit
    labelled with its site's name."""
    pages = Page.objects.live().public().exclude(depth__lte=1)
    shared_keys: set = set()
    if home is not None and not home.is_regional:
        in_site = Q()
        for root in home.get_translations(inclusive=True):
            in_site |= Q(path__startswith=root.path)
        if home.organisation is not None:
            shared_keys = _shared_translation_keys(organisation=home.organisation)
            region = regional_home()
            if shared_keys and region is not None:
                shared_ids = Page.objects.filter(
                    translation_key__in=shared_keys, depth__gt=region.depth
                ).values_list("pk", flat=True)
                in_site |= Q(pk__in=list(shared_ids))
        pages = pages.filter(in_site)
    results = list(pages.search(query)[:limit])
    homes = {h.path: h for h in HomePage.objects.select_related("organisation")}
    hits = []
    for page in results:
        page_home = next((h for path, h in homes.items() if page.path.startswith(path)), None)
        shared = (
            page.translation_key in shared_keys
            and page_home is not None
            and (page_home.is_regional)
        )
        hits.append(
            SearchHit(
                page=page.specific,
                site_name=(home if shared and home else page_home).site_name() if page_home else "",
                via_home=home if shared else None,
            )
        )
    return hits


@dataclass
class SitemapItem:
    """A page listed in a site's sitemap; a shared regional page at the municipal site's
    own address (`via_home`)."""

    page: Page
    via_home: HomePage | None = None

    def link(self, request) -> str:
        if self.via_home is not None:
            return page_link(self.via_home, request, shared_article_subpath(self.page))
        return page_link(self.page, request)


def sitemap_items(*, home: HomePage) -> list[SitemapItem]:
    """Every live, public page of a site in every language, and on a municipal site the
    regional pages shared with it (each language where the site's home page has that
    translation too)."""
    homes = {h.locale_id: h for h in home.get_translations(inclusive=True).specific()}
    in_site = Q()
    for root in homes.values():
        in_site |= Q(path__startswith=root.path)
    pages = Page.objects.live().public().filter(in_site).order_by("path").defer_streamfields()
    items = [SitemapItem(page=p) for p in pages]
    if home.organisation is not None:
        keys = _shared_translation_keys(organisation=home.organisation)
        shared = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys, locale_id__in=list(homes))
            .order_by("path")
            .defer_streamfields()
        )
        items += [SitemapItem(page=p, via_home=homes[p.locale_id]) for p in shared]
    return items
