"""The home page finds pages by url_path: one lookup whatever the depth, same answers as
Wagtail's tree walk (drafts and unknown paths 404 with the site's layout)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.factories import ArticlePageFactory, StandardPageFactory


def queries_for(client, url) -> int:
    client.get(url)  # caches warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_depth_costs_no_extra_queries(client, settings, home_page, article_index):
    settings.PAGE_CACHE_SECONDS = 0
    about = StandardPageFactory(parent=home_page, title="About", slug="about")
    team = StandardPageFactory(parent=about, title="Team", slug="team")
    deeper = StandardPageFactory(parent=team, title="Dr. Dave Candy", slug="dave")
    assert queries_for(client, deeper.url) == queries_for(client, about.url)


def test_drafts_and_unknown_paths_are_404(client, article_index):
    article = ArticlePageFactory(parent=article_index, title="Hip pain at night")
    article.unpublish()
    for url in (article.url_path.removeprefix(article_index.get_parent().url_path.rstrip("/")), "/articles/nope/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Call To Schedule" in response.content


def test_live_page_below_a_draft_is_served_as_wagtail_would(client, home_page):
    section = StandardPageFactory(parent=home_page, title="Services", slug="services")
    child = StandardPageFactory(parent=section, title="Dry needling", slug="dry-needling")
    section.unpublish()
    assert client.get("/services/dry-needling/").status_code == 200
    assert client.get("/services/").status_code == 404
    assert child.live
