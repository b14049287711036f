"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

- `browser`: one chromium per test session (Debian's /usr/bin/chromium, never downloaded).
- `page`: a fresh context per test in which every request to a host other than the live server
  is aborted, so nothing can reach the network.

Without chromium or Playwright these tests skip locally and fail under CI=true.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    executable = shutil.which("chromium")
    if not executable:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse ORM
    # calls from the test although nothing async touches the database.
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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, service_workers="block")

    def only_local(route, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
