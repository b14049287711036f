"""Browser fixtures for the appointment-request test, named apart from the shared e2e
fixtures (tests/e2e/conftest.py on another branch) so the two can be reconciled at merge."""

import shutil

import pytest

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


# Function scope, not session: while Playwright's sync API is running, Django's connection lookup
# (asgiref Local) gives this thread a different connection object, which lacks the serialized
# test data that `serialized_rollback` needs, so the flush after the test would recreate rows the
# next test restores again (duplicate keys). Stopping Playwright before the database teardown
# avoids that. There is one browser test here, so the browser still starts once.
@pytest.fixture
def leads_browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian chromium is needed for the browser tests (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def leads_page(leads_browser):
    context = leads_browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_article_with_form(article_index):
    from cms.models import ArticlePage

    article = ArticlePage(
        title="Can't Lift Leg To Get In Car?",
        slug="cant-lift-leg-to-get-in-car",
        summary="Why lifting your leg into the car hurts, and what helps.",
        body=[("paragraph", "<p>Many people with hip pain find it hard to lift their leg.</p>")],
    )
    article_index.add_child(instance=article)
    article.save_revision().publish()
    from marketing.leads.demo import load_demo

    load_demo(article_index.get_parent().specific)  # adds the form to the demo article
    article.refresh_from_db()
    return article
