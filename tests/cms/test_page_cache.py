"""The whole-page cache: anonymous GETs are served from it, publishing clears it, and nobody
logged in, posting, or being handed a cookie ever gets or leaves a cached page."""

import pytest
from django.contrib.auth.models import User

from cms.factories import ArticlePageFactory
from cms.models import HomePage
from cms.page_cache import HEADER
from cms.signals import bump_page_cache_version


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    # Shared Redis may hold pages from earlier tests with other data: start a fresh version.
    bump_page_cache_version()


class CacheDown:
    """Stands in for the cache client of one module while Redis is unreachable."""

    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("cache down")

        return down


def cache_state(response):
    return response.headers.get(HEADER)


@pytest.mark.django_db
class TestServedFromCache:
    def test_second_anonymous_get_is_a_hit_with_same_content(self, client, article):
        first = client.get(article.url)
        second = client.get(article.url)
        assert (cache_state(first), cache_state(second)) == ("miss", "hit")
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    def test_hit_needs_no_database(self, client, article, django_assert_num_queries):
        client.get(article.url)
        with django_assert_num_queries(0):
            response = client.get(article.url)
        assert cache_state(response) == "hit"

    def test_query_strings_are_cached_separately(self, client, article, article_index):
        client.get(article_index.url)
        assert cache_state(client.get(article_index.url + "?page=2")) == "miss"

    def test_off_when_seconds_is_zero(self, client, article, settings):
        settings.PAGE_CACHE_SECONDS = 0
        client.get(article.url)
        assert cache_state(client.get(article.url)) is None


@pytest.mark.django_db
class TestInvalidation:
    def test_publish_shows_the_new_version_at_once(self, client, article):
        client.get(article.url)
        article.title = "Can't Lift Your Leg Into The Car?"
        article.save_revision().publish()
        response = client.get(article.url)
        assert cache_state(response) == "miss"
        assert b"Can&#x27;t Lift Your Leg Into The Car?" in response.content

    def test_publishing_an_article_refreshes_the_home_page(self, client, home_page, article_index):
        client.get("/")
        ArticlePageFactory(parent=article_index, title="New: Knee Pain On Stairs").save_revision().publish()
        response = client.get("/")
        assert cache_state(response) == "miss"
        assert b"New: Knee Pain On Stairs" in response.content

    def test_unpublish_removes_the_page(self, client, article):
        assert client.get(article.url).status_code == 200
        article.unpublish()
        assert client.get(article.url).status_code == 404

    def test_clinic_settings_change_shows_everywhere(self, client, home_page):
        from wagtail.models import Site

        from cms.models import ClinicSettings

        client.get("/")
        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        clinic.phone = "314-555-0199"
        clinic.save()
        assert b"Call To Schedule 314-555-0199" in client.get("/").content

    def test_publish_still_works_when_the_cache_is_down(self, article, monkeypatch):
        monkeypatch.setattr("cms.signals.cache", CacheDown())
        article.title = "Still publishes"
        article.save_revision().publish()
        article.refresh_from_db()
        assert article.title == "Still publishes" and article.live

    def test_page_still_served_when_the_cache_is_down(self, client, article, monkeypatch):
        monkeypatch.setattr("cms.page_cache.cache", CacheDown())
        monkeypatch.setattr("cms.signals.cache", CacheDown())
        response = client.get(article.url)
        assert response.status_code == 200 and cache_state(response) is None


@pytest.mark.django_db
class TestNeverCached:
    def test_logged_in_users_are_neither_served_nor_stored(self, client, article):
        client.get(article.url)  # an anonymous copy is in the cache
        user = User.objects.create_superuser("admin", "a@example.com", "pw")
        client.force_login(user)
        response = client.get(article.url)
        assert cache_state(response) is None
        assert b"wagtail-userbar" in response.content  # an editor sees their own toolbar
        client.logout()
        response = client.get(article.url)
        assert cache_state(response) == "hit"
        assert b"wagtail-userbar" not in response.content

    def test_post_is_never_cached(self, client, article):
        client.get(article.url)
        response = client.post(article.url, {"x": "1"})
        assert cache_state(response) is None

    def test_visitor_with_csrf_cookie_bypasses(self, client, article):
        client.get(article.url)
        client.cookies["csrftoken"] = "a" * 32
        assert cache_state(client.get(article.url)) is None

    def test_response_that_sets_a_cookie_is_not_stored(self, client, home_page, monkeypatch):
        original = HomePage.serve

        def serve_with_cookie(self, request, *args, **kwargs):
            response = original(self, request, *args, **kwargs)
            response.set_cookie("flavour", "oatmeal")
            return response

        monkeypatch.setattr(HomePage, "serve", serve_with_cookie)
        client.get("/")
        client.cookies.clear()
        response = client.get("/")
        assert cache_state(response) is None
        assert response.cookies["flavour"].value == "oatmeal"

    def test_not_found_is_not_cached(self, client, home_page):
        client.get("/nope/")
        response = client.get("/nope/")
        assert response.status_code == 404 and cache_state(response) is None

    def test_non_page_views_are_not_cached(self, client, home_page):
        client.get("/robots.txt")
        assert cache_state(client.get("/robots.txt")) is None

    def test_private_page_is_not_cached(self, client, article):
        from wagtail.models import PageViewRestriction

        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
        first = client.get(article.url)
        assert first.status_code == 302 and cache_state(first) is None
        assert client.get(article.url).status_code == 302


@pytest.mark.django_db
def test_cached_page_is_compressed_only_for_clients_that_ask(client, article):
    import gzip

    plain = client.get(article.url)
    compressed = client.get(article.url, headers={"accept-encoding": "gzip"})
    assert cache_state(compressed) == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    again = client.get(article.url)
    assert "Content-Encoding" not in again and again.content == plain.content


def test_system_check_warns_about_a_per_process_page_cache(settings):
    from cms.signals import check_page_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_page_cache_is_shared()] == ["cms.W001"]
    settings.PAGE_CACHE_SECONDS = 0
    assert check_page_cache_is_shared() == []
