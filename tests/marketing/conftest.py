import itertools
import os
import time

import pytest
from wagtail.models import Page

from cms.models import ArticlePage
from marketing import links
from marketing.factories import AmazonTrackingIDFactory, OfferFactory, PartnerFactory, TrackedLinkFactory
from marketing.models import Offer
from marketing.views import beacon

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
_versions = itertools.count(int(time.time() * 1000))
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _write_events_directly(settings, monkeypatch):
    """Events are written at once unless a test asks for the Redis buffer; each test gets fresh
    page lookups and rate limits (a new cache version, not cache.clear(): the Redis database
    may be shared with other suites)."""
    settings.MARKETING_EVENT_BUFFER = False
    links.clear_cache()
    monkeypatch.setattr(beacon, "CACHE_VERSION", next(_versions))
    yield
    links.clear_cache()


@pytest.fixture
def offer(db):
    return OfferFactory(partner=PartnerFactory(name="Pso-Rite", slug="pso-rite", website="https://pso-rite.example/"))


@pytest.fixture
def link(offer):
    return TrackedLinkFactory(slug="pso-rite", title="Pso-Rite Psoas Release Tool", offer=offer)


@pytest.fixture
def amazon_offer(db):
    partner = PartnerFactory(name="Amazon Associates", slug="amazon", website="https://www.amazon.com/", is_amazon=True)
    return OfferFactory(
        partner=partner,
        product="Foam roller",
        kind=Offer.AMAZON,
        code="",
        saving="",
        destination_url="https://www.amazon.com/dp/B00XM2MRGI",
    )


@pytest.fixture
def amazon_link(amazon_offer):
    return TrackedLinkFactory(slug="foam-roller", title="Foam roller on Amazon", offer=amazon_offer)


def make_article(parent, slug="cant-lift-leg-to-get-in-car", body=None, title="Can't Lift Leg To Get In Car?"):
    article = ArticlePage(title=title, slug=slug, summary="Hip flexor help.", body=body or [])
    parent.add_child(instance=article)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def article(article_index, link, amazon_link):
    body = [
        {"type": "paragraph", "value": "<p>The psoas can be compressed by sitting.</p>"},
        {
            "type": "paragraph",
            "value": f'<p>Try the <a linktype="tracked" id="{link.pk}">Pso-Rite</a> or a '
            f'<a linktype="tracked" id="{amazon_link.pk}">foam roller</a>.</p>',
        },
        {
            "type": "offer",
            "value": {"offer": link.offer_id, "link": link.pk, "heading": "", "button_label": "Get the deal"},
        },
    ]
    page = make_article(article_index, body=body)
    AmazonTrackingIDFactory(tracking_id="m4l-cantliftleg-20", page=page)
    return page


@pytest.fixture
def plain_article(article_index):
    return make_article(
        article_index,
        slug="hip-stretches",
        title="Hip stretches",
        body=[{"type": "paragraph", "value": "<p>No links here.</p>"}],
    )


def root_page():
    return Page.get_first_root_node()
