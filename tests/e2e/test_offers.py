"""Offers in a real browser: the disclosure, the Amazon link's beacon, the copy button."""

import time

import pytest

from marketing.factories import AmazonTrackingIDFactory, OfferFactory, PartnerFactory, TrackedLinkFactory
from marketing.models import Event, Offer

pytestmark = pytest.mark.e2e


def wait_for(predicate, timeout=5.0):
    # The beacon is asynchronous; poll the database briefly for what it wrote.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


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
    page.goto(article.url)

    disclosure = page.locator(".disclosure")
    assert disclosure.is_visible()
    assert "As an Amazon Associate I earn from qualifying purchases" in disclosure.inner_text()
    assert wait_for(lambda: Event.objects.filter(type=Event.PAGEVIEW).count() == 1)

    # Copy code: the clipboard holds the code and exactly one event is recorded.
    page.get_by_role("button", name="Copy code").click()
    assert page.locator(".offer__copied").inner_text() == "Copied M4LPT"
    assert page.evaluate("navigator.clipboard.readText()") == "M4LPT"
    assert wait_for(lambda: Event.objects.filter(type=Event.CODE_COPY).count() == 1)
    copy = Event.objects.get(type=Event.CODE_COPY)
    assert (copy.offer_id, copy.page_id) == (link.offer_id, article.pk)

    # The Amazon link points straight at Amazon with the article's tag and records one click.
    amazon = page.locator(f"a[data-amazon-link='{amazon_link.pk}']")
    assert "tag=m4l-cantliftleg-20" in amazon.get_attribute("href")
    assert amazon.evaluate("a => a.nextElementSibling.textContent") == "(paid link)"
    amazon.click()  # the navigation to amazon.com is aborted by the test's network guard
    assert wait_for(lambda: Event.objects.filter(type=Event.AMAZON_CLICK).count() == 1)
    click = Event.objects.get(type=Event.AMAZON_CLICK)
    assert (click.link_id, click.page_id) == (amazon_link.pk, article.pk)
    # A later beacon has arrived, so a duplicate of either would have too.
    page.goto(article.url)
    assert wait_for(lambda: Event.objects.filter(type=Event.PAGEVIEW).count() == 2)
    assert Event.objects.filter(type=Event.CODE_COPY).count() == 1
    assert Event.objects.filter(type=Event.AMAZON_CLICK).count() == 1
