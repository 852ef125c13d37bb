"""Navigation helpers: mark the link to the current page with aria-current."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def aria_current(context, href: str, prefix: bool = False) -> str:
    """` aria-current="page"` when `href` is the current page (or, with prefix=True, a
    section the current page is in); nothing otherwise."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    current = path.startswith(href) if prefix and href != "/" else path == href
    return mark_safe(' aria-current="page"') if current else ""
