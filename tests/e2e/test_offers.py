"""Offers in a real browser: the disclosure, the Amazon link's beacon, the copy button, and an
editor choosing a tracked link in rich text."""

import time

import pytest
from playwright.sync_api import expect

from marketing.factories import AmazonTrackingIDFactory, OfferFactory, PartnerFactory, TrackedLinkFactory
from marketing.models import Event, Offer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def beacon(event_type):
    """Waits for the page's beacon of this type to be answered. The test waits on the browser
    rather than polling the database, which would lock SQLite under the server's write."""

    def matches(response):
        return response.url.endswith("/m/e/") and f'"t":"{event_type}"' in (response.request.post_data or "")

    return matches


@pytest.fixture
def offer_article(settings, monkeypatch, home_page, article_index):
    from cms.models import ArticlePage
    from marketing.views import beacon as beacon_view

    settings.MARKETING_EVENT_BUFFER = False
    monkeypatch.setattr(beacon_view, "CACHE_VERSION", time.time_ns())  # no page ids cached by earlier runs
    partner = PartnerFactory(name="Pso-Rite", slug="pso-rite")
    link = TrackedLinkFactory(slug="pso-rite", title="Pso-Rite", offer=OfferFactory(partner=partner))
    amazon = PartnerFactory(name="Amazon Associates", slug="amazon", is_amazon=True)
    roller = OfferFactory(
        partner=amazon,
        product="Foam roller",
        kind=Offer.AMAZON,
        code="",
        destination_url="https://www.amazon.com/dp/B0040EGNIU",
    )
    amazon_link = TrackedLinkFactory(slug="foam-roller", title="Foam roller", offer=roller)
    article = ArticlePage(
        title="Can't Lift Leg To Get In Car?",
        slug="cant-lift-leg-to-get-in-car",
        summary="Hip flexor help.",
        body=[
            {"type": "paragraph", "value": "<p>Your psoas compresses the low back.</p>"},
            {
                "type": "offer",
                "value": {"offer": link.offer_id, "link": link.pk, "heading": "", "button_label": "Get the deal"},
            },
            {
                "type": "paragraph",
                "value": f'<p>A <a linktype="tracked" id="{amazon_link.pk}">foam roller</a> helps.</p>',
            },
        ],
    )
    article_index.add_child(instance=article)
    article.save_revision().publish()
    AmazonTrackingIDFactory(tracking_id="m4l-cantliftleg-20", page=article)
    return article, link, amazon_link


def test_offer_article_for_visitors_and_editors(page, live_server, offer_article, django_user_model):
    # One test, not two: each browser test on the live server flushes the database after it,
    # and with it what migrations created (the root page), so they are kept few.
    article, link, amazon_link = offer_article
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    with page.expect_response(beacon("pageview")) as pageview:
        page.goto(article.url)
    assert pageview.value.status == 204

    disclosure = page.locator(".disclosure")
    assert disclosure.is_visible()
    assert "As an Amazon Associate I earn from qualifying purchases" in disclosure.inner_text()

    # Copy code: the clipboard holds the code and one event is recorded.
    with page.expect_response(beacon("code_copy")) as copied:
        page.get_by_role("button", name="Copy code").click()
    assert copied.value.status == 204
    expect(page.locator(".offer__copied")).to_have_text("Copied M4LPT")
    assert page.evaluate("navigator.clipboard.readText()") == "M4LPT"

    # The Amazon link points straight at Amazon with the article's tag and records one click.
    amazon = page.locator(f"a[data-amazon-link='{amazon_link.pk}']")
    assert "tag=m4l-cantliftleg-20" in amazon.get_attribute("href")
    assert amazon.evaluate("a => a.nextElementSibling.textContent") == "(paid link)"
    # Amazon answers 204 here, so the browser stays on the article (nothing leaves the machine).
    page.route("https://www.amazon.com/**", lambda route: route.fulfill(status=204))
    with page.expect_response(beacon("amazon_click")) as clicked:
        amazon.click()
    assert clicked.value.status == 204

    # A later beacon has been answered, so a duplicate of either would have been too.
    with page.expect_response(beacon("pageview")):
        page.goto(article.url)
    counts = {t: Event.objects.filter(type=t).count() for t in (Event.PAGEVIEW, Event.CODE_COPY, Event.AMAZON_CLICK)}
    assert counts == {Event.PAGEVIEW: 2, Event.CODE_COPY: 1, Event.AMAZON_CLICK: 1}
    copy = Event.objects.get(type=Event.CODE_COPY)
    assert (copy.offer_id, copy.page_id) == (link.offer_id, article.pk)
    click = Event.objects.get(type=Event.AMAZON_CLICK)
    assert (click.link_id, click.page_id) == (amazon_link.pk, article.pk)

    _editor_chooses_a_tracked_link(page, article, link, django_user_model)


def _editor_chooses_a_tracked_link(page, article, link, django_user_model):
    """An editor picks a tracked link with the rich text toolbar button and saves."""
    django_user_model.objects.create_superuser("editor-e2e", "e@example.com", "pw-e2e-123")
    page.goto("/admin/login/")
    page.fill("#id_username", "editor-e2e")
    page.fill("#id_password", "pw-e2e-123")
    page.click("button[type=submit]")
    page.goto(f"/admin/pages/{article.pk}/edit/")

    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Get the Pso-Rite.")
    for _ in range(len("Pso-Rite.")):
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="Tracked link").first.click()
    page.locator(".modal a", has_text="Pso-Rite").first.click()
    expect(page.locator(".modal")).to_be_hidden()
    # Draftail writes its hidden input a moment after a change; wait for the chosen link in it.
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[type=hidden]')].some(i => i.value.includes('/go/pso-rite/'))"
    )
    with page.expect_response(lambda r: r.request.method == "POST" and f"/pages/{article.pk}/edit/" in r.url) as saved:
        page.get_by_role("button", name="Save draft").click()
    assert saved.value.status == 302  # saved and sent back to the editor

    article.refresh_from_db()
    saved = article.get_latest_revision_as_object().body.raw_data[0]["value"]
    assert f'<a linktype="tracked" id="{link.pk}">Pso-Rite.</a>' in saved
