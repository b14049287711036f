"""Keep cached pages honest: publishing, unpublishing, moving or deleting a page, and editing
what every page shows (clinic settings, authors, topics) clears the whole-page cache
(cms/page_cache.py)."""

import logging

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

PAGE_CACHE_VERSION_KEY = "cms:page-cache-version"
logger = logging.getLogger(__name__)


def cache_is_shared() -> bool:
    """True when every web worker sees the same cache (Redis). A per-process cache can't be
    cleared on publish for the other workers, so cached fragments and menus are skipped."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], (LocMemCache, DummyCache))


@checks.register(checks.Tags.caches)
def check_page_cache_is_shared(app_configs=None, **kwargs):
    if settings.PAGE_CACHE_SECONDS > 0 and not cache_is_shared():
        return [
            checks.Warning(
                "PAGE_CACHE_SECONDS is on but the cache is per process: a publish clears the "
                "cached pages of one web worker only, the others serve stale pages until they expire.",
                hint="Set REDIS_URL so that every worker shares one cache.",
                id="cms.W001",
            )
        ]
    return []


def page_cache_version() -> int:
    return cache.get_or_set(PAGE_CACHE_VERSION_KEY, 1, timeout=None)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def bump_page_cache_version(**kwargs):
    # Bumping a version makes every cached page stale at once, without scanning keys.
    try:
        try:
            cache.incr(PAGE_CACHE_VERSION_KEY)
        except ValueError:
            cache.set(PAGE_CACHE_VERSION_KEY, 2, timeout=None)
    except Exception:
        # An editor's publish must not fail because the cache is down; cached pages then
        # expire after PAGE_CACHE_SECONDS.
        logger.exception("Could not clear the page cache")


def _shown_on_every_page(instance) -> bool:
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from .models import Author, ClinicSettings, Topic

    # An edited image (new file, focal point) gets new renditions; cached HTML points at old ones.
    return isinstance(instance, (Page, Author, Topic, ClinicSettings, get_image_model()))


@receiver(post_save)
@receiver(post_delete)
def bump_on_content_change(sender, instance=None, **kwargs):
    from wagtail.models import Page

    # Saving a page draft changes nothing visitors see; publishing is handled above.
    # A new row (an author not yet on any page, the settings row Wagtail creates with
    # defaults on first view) changes nothing shown either.
    if kwargs.get("signal") is post_save and (isinstance(instance, Page) or kwargs.get("created")):
        return
    if _shown_on_every_page(instance):
        bump_page_cache_version()
