import datetime
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from .models import ArticlePage, ClinicSettings


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /go/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class FeedSource(NamedTuple):
    site: Site | None
    request: object


class ArticleFeed(Feed):
    """Atom feed of the site's articles. One instance serves every request (it is routed as
    an object), so the request travels in the FeedSource, never on self."""

    feed_type = Atom1Feed
    subtitle = "Exercises and advice from St. Louis physical therapists."

    def get_object(self, request):
        return FeedSource(Site.find_for_request(request), request)

    def title(self, source):
        name = ClinicSettings.for_site(source.site).name if source.site else ClinicSettings().name
        return f"{name}: articles"

    def link(self, source):
        return source.site.root_url + "/" if source.site else "/"

    def feed_url(self, source):
        # Atom wants a rel="self" link to the feed itself.
        return source.request.build_absolute_uri(reverse("article_feed"))

    def items(self, source):
        articles = ArticlePage.objects.live().public()
        if source.site is not None:
            articles = articles.descendant_of(source.site.root_page, inclusive=True)
        return articles.select_related("author").prefetch_related("topics").order_by("-publish_date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        # The editor's publish date is the article's date; the time of day is not meaningful.
        return timezone.make_aware(datetime.datetime.combine(item.publish_date, datetime.time(8)))

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors that touch the database: the database may be why
    # we are here.
    return HttpResponseServerError(get_template("500.html").render())
