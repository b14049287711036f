from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from .models import ArticlePage


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /go/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = "More 4 Life Physical Therapy: articles"
    subtitle = "Exercises and advice from St. Louis physical therapists."

    def get_object(self, request):
        self.request = request
        return Site.find_for_request(request)

    def link(self, site):
        return site.root_url + "/" if site else "/"

    def items(self, site):
        return ArticlePage.objects.live().public().select_related("author").order_by("-publish_date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return str(item.author) if item.author else None


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors that touch the database: the database may be why
    # we are here.
    return HttpResponseServerError(get_template("500.html").render())
