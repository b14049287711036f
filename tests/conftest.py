"""Shared fixtures. Real services come from the environment (DATABASE_URL, REDIS_URL); under
CI=true a missing service is a failure, never a skip."""

import os

import pytest
from wagtail.models import Page, Site

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def home_page(db):
    from cms.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="More 4 Life Physical Therapy", slug="home-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    return home


@pytest.fixture
def article_index(home_page):
    from cms.models import ArticleIndexPage

    return home_page.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))
