"""Keep cached pages honest: publishing or unpublishing clears the whole-page cache."""

from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

PAGE_CACHE_VERSION_KEY = "cms:page-cache-version"


def page_cache_version() -> int:
    return cache.get_or_set(PAGE_CACHE_VERSION_KEY, 1, timeout=None)


@receiver(page_published)
@receiver(page_unpublished)
def bump_page_cache_version(**kwargs):
    # Bumping a version makes every cached page stale at once, without scanning keys.
    try:
        cache.incr(PAGE_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(PAGE_CACHE_VERSION_KEY, 2, timeout=None)
