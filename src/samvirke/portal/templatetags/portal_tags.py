"""Template tags for portal pages: the site's sections, footer links and the metadata
(canonical link, Open Graph, news feed) in the page head."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from wagtail.models import Page

from samvirke.portal import selectors
from samvirke.portal.links import absolute_link, page_link

register = template.Library()


@register.simple_tag
def portal_sections(home) -> list[Page]:
    """The home page's children that editors show in menus."""
    return list(home.get_children().live().public().in_menu().specific())


@register.simple_tag(takes_context=True)
def portal_footer(context, home) -> dict:
    request = context.get("request")
    return {
        "organisation": home.organisation,
        "accessibility_page": selectors.section_page(home=home, kind="accessibility"),
        "contact_page": selectors.section_page(home=home, kind="contact"),
        "feed_url": page_link(home, request, home.reverse_subpage("feed")),
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
    if home:
        html += format_html(
            '\n<link rel="alternate" type="application/rss+xml" title="{}" href="{}">',
            home.site_name(),
            page_link(home, request, home.reverse_subpage("feed")),
        )
    return html


@register.simple_tag(takes_context=True)
def portal_link(context, page, subpage: str = "") -> str:
    """A page's address: a path on the current site, a full URL on another site."""
    return page_link(page, context.get("request"), subpage)


@register.simple_tag(takes_context=True)
def news_link(context, item) -> str:
    """A news item's address; a shared regional article opens on the current site."""
    return item.link(context.get("request"))


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """For tree paths: a page is in a section when its path starts with the section's."""
    return str(value).startswith(str(prefix))
