"""Template tags for portal pages: the site's sections, footer links, the language
switcher's target, and the metadata in the page head (canonical link, Open Graph,
translations as `hreflang` alternates, the news feeds)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from samvirke.portal import selectors
from samvirke.portal.links import absolute_link, page_link

register = template.Library()


@register.simple_tag
def portal_sections(home) -> list[Page]:
    """The home page's children that editors show in menus, in its language where
    translated."""
    return selectors.menu_sections(home=home)


def _served(context) -> tuple[Page | None, str]:
    """The page whose address serves this request, and the rest of the address after it:
    for a shared regional article, the municipal home page and `from-the-region/<id>/`."""
    request = context.get("request")
    page = context.get("shared_on") or context.get("page")
    if page is None or request is None or not isinstance(page, Page):
        return None, ""
    base = page_link(page, request)
    rest = request.path[len(base) :] if base and request.path.startswith(base) else ""
    return page, rest


@register.simple_tag(takes_context=True)
def page_language_switch(context) -> dict:
    """What the language switcher posts on a portal page: the page and the rest of its
    address, so the visitor lands on the same page in the chosen language."""
    request = context.get("request")
    page, rest = _served(context)
    if page is None or page.pk is None:
        return {}
    query = request.GET.urlencode() if request is not None else ""
    return {"page_id": page.pk, "rest": rest, "query": query}


@register.simple_tag(takes_context=True)
def content_lang(context) -> str:
    """` lang="nb"` on the page's own content (title, lead, body, facts) when the interface
    is in another language, e.g. a bokmål page read with a Swedish interface; the labels
    around the content stay in the interface language."""
    page = context.get("page")
    locale = getattr(page, "locale", None)
    if locale is None or locale.language_code == translation.get_language():
        return ""
    return format_html(' lang="{}"', locale.language_code)


@register.simple_tag
def lang_attr(item) -> str:
    """` lang="nb"` for a page in a list or menu whose language is not the interface's
    (a page with no translation yet, or any bokmål page read with another interface
    language), so screen readers read it in its own language."""
    locale = getattr(item, "locale", None)
    if locale is None or locale.language_code == translation.get_language():
        return ""
    return format_html(' lang="{}"', locale.language_code)


@register.simple_tag(takes_context=True)
def portal_footer(context, home) -> dict:
    request = context.get("request")
    return {
        "organisation": home.organisation,
        "accessibility_page": selectors.section_page(home=home, kind="accessibility"),
        "contact_page": selectors.section_page(home=home, kind="contact"),
        "feed_url": page_link(home, request, home.reverse_subpage("feed")),
        "atom_feed_url": page_link(home, request, home.reverse_subpage("atom-feed")),
        "regional_home": selectors.regional_home(),
    }


@register.simple_tag(takes_context=True)
def portal_meta(context) -> str:
    """Canonical URL, Open Graph title, description, URL and site name, and the feed."""
    request = context.get("request")
    page = context.get("page")
    home = context.get("portal_home")
    if page is None or request is None:
        return ""
    url = context.get("canonical_url") or absolute_link(page, request)
    description = (
        page.search_description
        or getattr(page, "lead", "")
        or getattr(page, "summary", "")
        or (home.site_name() if home else "")
    )
    tags = [
        ("og:type", "article" if hasattr(page, "date") else "website"),
        ("og:title", page.seo_title or page.title),
        ("og:description", description[:300]),
        ("og:url", url),
    ]
    if home:
        tags.append(("og:site_name", home.site_name()))
    html = format_html('<link rel="canonical" href="{}">\n', url)
    html += format_html('<meta name="description" content="{}">\n', description[:300])
    html += format_html_join(
        "\n", '<meta property="{}" content="{}">', ((key, value) for key, value in tags)
    )
    html += _hreflang_links(context)
    if home:
        html += format_html(
            '\n<link rel="alternate" type="application/rss+xml" title="{}" href="{}">',
            home.site_name(),
            page_link(home, request, home.reverse_subpage("feed")),
        )
        html += format_html(
            '\n<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
            home.site_name(),
            page_link(home, request, home.reverse_subpage("atom-feed")),
        )
    return html


def _hreflang_links(context) -> SafeString:
    """The page's published translations, itself included, as `hreflang` alternates, with
    the bokmål page as `x-default`. Nothing when the page has no translation."""
    request = context.get("request")
    page, rest = _served(context)
    if page is None:
        return mark_safe("")
    versions = selectors.page_translations(page)
    if len(versions) < 2:
        return mark_safe("")
    links = [(v.locale.language_code, absolute_link(v, request, rest)) for v in versions]
    default = next((url for code, url in links if code == settings.LANGUAGE_CODE), None)
    if default:
        links.append(("x-default", default))
    return format_html_join(
        "", '\n<link rel="alternate" hreflang="{}" href="{}">', ((c, u) for c, u in links)
    )


@register.simple_tag(takes_context=True)
def portal_link(context, page, subpage: str = "") -> str:
    """A page's address: a path on the current site, a full URL on another site."""
    return page_link(page, context.get("request"), subpage)


@register.simple_tag(takes_context=True)
def news_link(context, item) -> str:
    """A news item's or search hit's address; a shared regional page opens on the current
    site."""
    return item.link(context.get("request"))


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """For tree paths: a page is in a section when its path starts with the section's."""
    return str(value).startswith(str(prefix))
