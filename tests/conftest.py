"""Shared fixtures. Real services come from the environment (DATABASE_URL, REDIS_URL); under
CI=true a missing service is a failure, never a skip."""

import os

import pytest

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def home_page(db):
    """The default site's home page (at "/")."""
    from cms.factories import HomePageFactory

    return HomePageFactory(title="More 4 Life Physical Therapy")


@pytest.fixture
def article_index(home_page):
    from cms.factories import ArticleIndexPageFactory

    return ArticleIndexPageFactory(parent=home_page)


@pytest.fixture
def image(db):
    """A real (generated) JPEG in the image library."""
    from cms.factories import ImageFactory

    return ImageFactory(title="Patient stretching the hip")


@pytest.fixture
def article(article_index, image):
    """A published article with the factory's realistic body, a hero image and two topics."""
    from cms.factories import ArticlePageFactory, TopicFactory

    return ArticlePageFactory(
        parent=article_index,
        title="Can't Lift Leg To Get In Car?",
        slug="cant-lift-leg-to-get-in-car",
        hero_image=image,
        hero_image_alt="Physical therapist helping a patient lift her leg into a car",
        topics=[TopicFactory(name="Hip pain"), TopicFactory(name="Back pain")],
    )


@pytest.fixture
def editor(db):
    """A user in the Editors group (created by cms/migrations/0002_roles.py)."""
    from django.contrib.auth.models import Group, User

    from cms.roles import EDITORS

    user = User.objects.create_user("editor", "editor@example.com", "editor-password")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Cached pages and menus are keyed by a version number kept in the (possibly shared Redis)
    cache; a new version per test keeps one test's pages out of the next."""
    from cms.signals import bump_page_cache_version

    bump_page_cache_version()
