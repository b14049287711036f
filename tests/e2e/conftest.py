"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Fixtures for every team's e2e tests:
- `browser`: Debian's /usr/bin/chromium (never downloaded), started per test: see `browser()`.
- `browser_context` / `page`: a fresh context per test in which every request to a host other
  than the live server is aborted and recorded in `blocked_requests`, so a test can prove a page
  makes no third-party requests (and nothing can leak to the network by accident); JavaScript
  errors and failed loads are collected in `console_errors`.
- `demo_site`: the demo content (`load_demo_content`) on the live server, with `demo_site.url()`.

Without chromium or Playwright these tests fail (`bash .ci/run` installs both).
"""

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.management import call_command

from tests.browser import CHROMIUM_ARGS

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _unavailable(reason: str):
    # A missing browser is a failure, never a skip: `bash .ci/run` installs it.
    pytest.fail(f"{reason}; browser tests must run", pytrace=False)


# Function scope on purpose. While Playwright's sync API runs, it keeps an asyncio loop in this
# thread and Django's connection lookup (asgiref Local) hands the test a different connection,
# one without the data `serialized_rollback` restores, so transactional tests that ran after a
# session-long browser broke (missing root page, duplicate keys). A launch costs about a second,
# and there are only a few browser tests.
@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    executable = shutil.which("chromium")
    if not executable:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")

    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse ORM
    # calls from the test (SynchronousOnlyOperation) although nothing async touches the database.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserContext:
    context: object
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, service_workers="block")
    wrapper = BrowserContext(context)

    def only_local(route, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            wrapper.blocked_requests.append(request.url)
            route.abort("blockedbyclient")

    def watch(page):
        page.on("pageerror", lambda error: wrapper.console_errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and wrapper.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            ),
        )

    context.route("**/*", only_local)
    context.on("page", watch)
    yield wrapper
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def blocked_requests(browser_context) -> list[str]:
    """URLs on other hosts the page tried to load (all were aborted)."""
    return browser_context.blocked_requests


@pytest.fixture
def console_errors(browser_context) -> list[str]:
    """JavaScript errors and console.error messages (failed loads included) of the test's pages."""
    return browser_context.console_errors


@dataclass
class DemoSite:
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, live_server, settings) -> DemoSite:
    """The demo content, served by the live server (media included, see tests/e2e/urls.py)."""
    media = tempfile.mkdtemp(prefix="m4l-e2e-media-")
    settings.MEDIA_ROOT = media
    settings.ROOT_URLCONF = "tests.e2e.urls"
    # The cache may be a Redis that outlives the test database: stale entries (renditions whose
    # files were in an earlier run's media folder, cached pages) would point at nothing.
    for cache in caches.all():
        cache.clear()
    call_command("load_demo_content", verbosity=0)
    yield DemoSite(live_server.url)
    shutil.rmtree(media, ignore_errors=True)
