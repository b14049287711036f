"""Cached template fragments ({% wagtailpagecache %}) never show stale content: whatever an
editor changes shows on the next view, even with the whole-page cache off."""

import pytest
from bs4 import BeautifulSoup

from cms.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def fragments_on(monkeypatch):
    # The SQLite test run uses a per-process cache, where fragments are off; force them on.
    monkeypatch.setattr("cms.templatetags.cms_tags.cache_is_shared", lambda: True)


def render(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
class TestFragmentsFollowEdits:
    def test_fragments_are_reused(self, client, article, django_assert_max_num_queries):
        render(client, article.url)
        with django_assert_max_num_queries(12):
            soup = render(client, article.url)
        assert soup.select("section.exercise")

    def test_publishing_the_article(self, client, article):
        render(client, article.url)
        article.summary = "A brand new summary."
        article.save_revision().publish()
        soup = render(client, article.url)
        assert soup.select_one(".lead").get_text() == "A brand new summary."
        assert soup.find("meta", attrs={"name": "description"})["content"] == "A brand new summary."

    def test_author_snippet_edit(self, client, article):
        render(client, article.url)
        article.author.credentials = "PT, DPT, OCS"
        article.author.save()
        soup = render(client, article.url)
        assert "PT, DPT, OCS" in soup.select_one(".byline").get_text()

    def test_image_focal_point_change(self, client, article):
        def og_image(soup):
            return soup.find("meta", property="og:image")["content"]

        before = og_image(render(client, article.url))
        image = article.hero_image
        image.set_focal_point(None)
        image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
        image.save()
        assert og_image(render(client, article.url)) != before  # a new focal point, a new crop

    def test_new_article_on_listing_and_home(self, client, article, article_index):
        render(client, "/")
        render(client, article_index.url)
        ArticlePageFactory(parent=article_index, title="Knee Pain On Stairs").save_revision().publish()
        assert "Knee Pain On Stairs" in render(client, "/").get_text()
        assert "Knee Pain On Stairs" in render(client, article_index.url).get_text()

    def test_listing_fragments_vary_by_topic_and_page(self, client, article, article_index):
        everything = render(client, article_index.url)
        hip = render(client, article_index.url + "?topic=hip-pain")
        assert everything.select_one(".topics a[aria-current]").get_text() == "All topics"
        assert hip.select_one(".topics a[aria-current]").get_text() == "Hip pain"

    def test_preview_is_never_served_from_cache(self, admin_client, client, article):
        from django.urls import reverse

        render(client, article.url)
        article.summary = "Draft summary, not yet published."
        revision = article.save_revision()
        preview = admin_client.get(reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk]))
        assert preview.status_code == 200
        assert b"Draft summary, not yet published." in preview.content
        live = render(client, article.url)
        assert "Draft summary" not in live.get_text()
