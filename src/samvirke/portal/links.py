"""Links between the portal's sites.

Wagtail links to a page on another site with that site's root URL, which carries the
site's configured port. Our sites are matched by host name alone (the port is whatever the
deployment listens on), so a link to another site keeps the scheme and port of the
current request and swaps only the host name. A link within the current site is a path.
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail.models import Page, Site


def page_link(page: Page, request: HttpRequest | None, subpage: str = "") -> str:
    parts = page.get_url_parts(request=request)
    if parts is None:
        return ""
    site_id, root_url, page_path = parts
    path = page_path + subpage
    if request is None:
        return root_url + path
    current = Site.find_for_request(request)
    if current is not None and current.pk == site_id:
        return path
    hostname = root_url.split("://", 1)[-1].split(":", 1)[0].split("/", 1)[0]
    port = request.get_port()
    default_port = "443" if request.is_secure() else "80"
    netloc = hostname if port == default_port else f"{hostname}:{port}"
    return f"{request.scheme}://{netloc}{path}"


def absolute_link(page: Page, request: HttpRequest, subpage: str = "") -> str:
    link = page_link(page, request, subpage)
    return request.build_absolute_uri(link) if link.startswith("/") else link
