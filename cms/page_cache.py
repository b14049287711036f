"""Whole-page cache for anonymous visitors (PAGE_CACHE_SECONDS > 0).

Hand-written rather than wagtail-cache or Django's cache middleware: both clear or outlive
content differently from what a clinic's editors expect. wagtail-cache empties the *whole*
cache backend on every publish (our Redis also holds Celery-adjacent and marketing state),
and Django's middleware sends max-age headers, so browsers would keep a stale page after a
publish. Here a published/unpublished page bumps one version number (cms/signals.py) stored beside
every cached page, so all cached pages go stale at once, and browsers are not told to cache.
The version and the page are read in one round trip (get_many).

A response is stored only when all of these hold:
- the request is an anonymous GET: no session cookie (logged-in editors, preview, password
  pages), no CSRF cookie (someone who has a form open);
- a Wagtail page served it after its privacy checks (BasePage.serve sets a flag);
- it is a 200, not streaming, sets no cookie, and is not marked private or no-store.
"""

import contextlib
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .signals import PAGE_CACHE_VERSION_KEY, page_cache_version

HEADER = "X-Page-Cache"


def _bypass(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies


def cache_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"cms:page:{digest}"


def _lookup(key: str) -> tuple[int, tuple | None]:
    """The current version and the stored page, in one cache round trip. A stored page is
    (version, content, headers); one rendered before the last publish is stale."""
    found = cache.get_many([PAGE_CACHE_VERSION_KEY, key])
    version = found.get(PAGE_CACHE_VERSION_KEY) or page_cache_version()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored
    return version, None


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not getattr(request, "page_cache_allowed", False) or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or _bypass(request):
            return self.get_response(request)

        key = cache_key(request)
        try:
            version, cached = _lookup(key)
        except Exception:  # a cache outage must never take the site down
            return self.get_response(request)
        if cached is not None:
            _, content, headers = cached
            response = HttpResponse(content, headers=headers)
            response[HEADER] = "hit"
            return response

        response = self.get_response(request)
        if _storable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {name: value for name, value in response.items() if name.lower() != HEADER.lower()}
            # Serving the page matters more than caching it.
            with contextlib.suppress(Exception):
                cache.set(key, (version, response.content, headers), seconds)
            response[HEADER] = "miss"
        return response
