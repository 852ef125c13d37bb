"""Each site's sitemap.xml: its pages in every language and, on a municipal site, the
regional pages shared with it at the site's own /from-the-region/ address."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest
from wagtail.models import Site

from samvirke.portal import selectors


class PortalSitemap(Sitemap):
    def __init__(self, request: HttpRequest):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request)
        if site is None:
            return []
        return selectors.sitemap_items(home=site.root_page.specific)

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list:
            location = self.request.build_absolute_uri(item.link(self.request))
            lastmod = item.page.last_published_at or item.page.latest_revision_created_at
            urls.append({"item": item, "location": location, "lastmod": lastmod})
        return urls
