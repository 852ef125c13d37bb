"""News feeds of each site, RSS 2.0 and Atom 1.0, built with Django's feed generator.
A translated home page's feed carries the same news, in its language where translated."""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from samvirke.portal import selectors
from samvirke.portal.links import absolute_link

FEED_KINDS = {
    "rss": (Rss201rev2Feed, "feed"),
    "atom": (Atom1Feed, "atom-feed"),
}


def news_feed_response(request: HttpRequest, *, home, kind: str = "rss") -> HttpResponse:
    generator, route = FEED_KINDS[kind]
    feed = generator(
        title=home.site_name(),
        link=absolute_link(home, request),
        description=home.site_name(),
        language=home.locale.language_code,
        feed_url=absolute_link(home, request, home.reverse_subpage(route)),
    )
    for item in selectors.news_items(home=home)[:30]:
        article = item.article
        feed.add_item(
            title=article.title,
            link=request.build_absolute_uri(item.link(request)),
            description=article.lead,
            unique_id=absolute_link(article, request),
            pubdate=timezone.make_aware(datetime.combine(article.date, time(8, 0))),
            updateddate=article.last_published_at,
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response
