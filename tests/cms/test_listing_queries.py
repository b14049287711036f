"""Listings must not convert every article's whole body: the home page finds each article's
video in the raw StreamField data, so its query count does not grow with exercise images."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.factories import ArticlePageFactory, ImageFactory, article_body, exercise_value


def body_with_images(count: int) -> list:
    images = [ImageFactory() for _ in range(count)]
    blocks = article_body()
    return blocks + [
        {"type": "exercise", "value": exercise_value(image=image.pk, image_alt_text="Stretch")} for image in images
    ]


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_article_bodies(client, settings, article_index):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        ArticlePageFactory(parent=article_index, body=body_with_images(1))
    client.get("/")  # renditions and caches warmed
    few = home_queries(client)

    for _ in range(3):
        ArticlePageFactory(parent=article_index, body=body_with_images(4))
    client.get("/")
    many = home_queries(client)

    # More cards cost no more queries (their hero images and authors come with the listing
    # query); converting their bodies would look up each article's exercise images.
    assert many <= few + 1, (few, many)
