"""RSS feeds of each site's news, built with Django's feed generator."""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from samvirke.portal import selectors
from samvirke.portal.links import absolute_link


def news_feed_response(request: HttpRequest, *, home) -> HttpResponse:
    feed = Rss201rev2Feed(
        title=home.site_name(),
        link=absolute_link(home, request),
        description=home.site_name(),
        language=home.locale.language_code,
        feed_url=absolute_link(home, request, home.reverse_subpage("feed")),
    )
    for item in selectors.news_items(home=home)[:30]:
        article = item.article
        feed.add_item(
            title=article.title,
            link=request.build_absolute_uri(item.link(request)),
            description=article.lead,
            unique_id=absolute_link(article, request),
            pubdate=timezone.make_aware(datetime.combine(article.date, time(8, 0))),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
