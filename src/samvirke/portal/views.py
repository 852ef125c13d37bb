"""Views outside the page tree: the language switcher on portal pages, the sitemap and
robots.txt per host."""

import re

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET, require_POST

from samvirke.portal import selectors
from samvirke.portal.links import page_link
from samvirke.portal.sitemaps import PortalSitemap

# what may follow a page's address: a routable page's sub-path, e.g. from-the-region/12/
REST = re.compile(r"^[\w\-/]*$")


@require_POST
def page_language(request: HttpRequest) -> HttpResponse:
    """The language switcher on portal pages: sets the interface language (the same
    cookie as Django's `set_language`) and returns the visitor to the same page in that
    language, or to its bokmål original when it has no translation in that language."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES) or not check_for_language(language):
        return HttpResponseBadRequest()
    target = "/"
    page_id = request.POST.get("page", "")
    page = selectors.live_page_get(page_id)
    if page is not None:
        target = page_link(selectors.page_in_language(page.specific, language), request) or "/"
        rest = request.POST.get("rest", "")
        if REST.match(rest) and "//" not in rest:
            target += rest.lstrip("/")
        query = request.POST.get("query", "")
        if query:
            target += "?" + query
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """The current host's sitemap (see `portal.sitemaps`)."""
    return sitemap_views.sitemap(request, sitemaps={"portal": PortalSitemap(request)})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the portal; the back office, logins and the API are not for them.
    The sitemap named here is the current host's own."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /dev-idp/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
