"""Offers in a real browser: the disclosure, the Amazon link's beacon, the copy button."""

import pytest
from playwright.sync_api import expect

from marketing.factories import AmazonTrackingIDFactory, OfferFactory, PartnerFactory, TrackedLinkFactory
from marketing.models import Event, Offer

pytestmark = pytest.mark.e2e


def beacon(event_type):
    """Waits for the page's beacon of this type to be answered. The test waits on the browser
    rather than polling the database, which would lock SQLite under the server's write."""

    def matches(response):
        return response.url.endswith("/m/e/") and f'"t":"{event_type}"' in (response.request.post_data or "")

    return matches


@pytest.fixture
def offer_article(transactional_db, settings, home_page, article_index):
    from cms.models import ArticlePage

    settings.MARKETING_EVENT_BUFFER = False
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


def test_disclosure_amazon_beacon_and_copy_code(page, live_server, offer_article):
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
