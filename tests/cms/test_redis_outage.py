"""A Redis outage must not take the site down: the cache degrades to misses."""

from cms.factories import ArticlePageFactory
from cms.settings.base import REDIS_CACHE_OPTIONS

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {**REDIS_CACHE_OPTIONS, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def test_pages_render_while_the_cache_is_unreachable(client, settings, article_index):
    article = ArticlePageFactory(parent=article_index, title="Hip pain while driving")
    settings.CACHES = DEAD_REDIS
    settings.PAGE_CACHE_SECONDS = 300

    for url in ("/", article.url, "/articles/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Hip pain while driving" in client.get(article.url).content
