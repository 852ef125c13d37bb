"""Two languages per request: the content language of a portal page, and the interface
language around it.

Portal pages in bokmål keep their unprefixed addresses; their translations live under
/nn/, /sv/ and /en/ (`samvirke.portal.i18n`). The prefix picks which translation of
a page is served. The interface (menus, labels, buttons) follows the prefix as well, and
on unprefixed addresses the visitor's choice (language cookie, then the browser's
`Accept-Language`), as before translations existed. So a visitor who chose English and
opens a page that has no English translation reads the bokmål page with English menus.

Django's own `LocaleMiddleware` forces the default language on unprefixed addresses once
`i18n_patterns` are in use; this one does not, because the URL patterns no longer depend
on the active language (`ContentLocalePrefixPattern`). Wagtail looks up the translation to
serve in the *active* language, so the page is routed here, in the content language,
before the view runs with the interface language. A prefixed address with no translation
behind it redirects to the bokmål page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page

from samvirke.portal.i18n import content_language, language_from_path


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = translation.get_language_from_request(request, check_path=True)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve:
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        language = language_from_path(request.path_info)
        with translation.override(content_language(request.path_info)):
            # routes and caches the route on the request, for wagtail's serve view
            route = Page.route_for_request(request, path)
        if language is None or (route is not None and route[0].locale.language_code == language):
            return None
        # No translation in that language at this address: the bokmål page, at its own
        # (unprefixed) address, rather than the same content under two addresses.
        del request._wagtail_route_for_request
        with translation.override(settings.LANGUAGE_CODE):
            if Page.route_for_request(request, path) is None:
                return None  # a 404, as for any unknown address
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect("/" + path + (f"?{query}" if query else ""))
