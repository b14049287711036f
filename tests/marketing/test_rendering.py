from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from django.utils import timezone

from .conftest import BROWSER_UA


def soup_of(client, url):
    response = client.get(url, HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_tracked_link_in_rich_text_goes_through_go(client, article, link):
    soup = soup_of(client, article.url)
    anchor = soup.select_one(".rich-text a[data-link-slug='pso-rite']")
    assert anchor["href"] == "/go/pso-rite/"
    assert anchor["rel"] == ["sponsored", "noopener"]


def test_amazon_link_points_at_amazon_with_the_articles_tag_and_label(client, article, amazon_link):
    soup = soup_of(client, article.url)
    anchor = soup.select_one(f"a[data-amazon-link='{amazon_link.pk}']")
    href = urlsplit(anchor["href"])
    assert href.hostname == "www.amazon.com" and href.path == "/dp/B00XM2MRGI"
    assert parse_qs(href.query)["tag"] == ["m4l-cantliftleg-20"]
    assert anchor["rel"] == ["sponsored", "noopener"]
    label = anchor.find_next_sibling("span")
    assert label is not None and label.get_text() == "(paid link)"
    assert soup.get_text().count("(paid link)") == 1


def test_default_tracking_id_on_pages_without_their_own(client, article_index, amazon_link):
    from marketing.factories import AmazonTrackingIDFactory

    from .conftest import make_article

    AmazonTrackingIDFactory(tracking_id="m4l-site-20", is_default=True)
    page = make_article(
        article_index,
        slug="other",
        title="Other",
        body=[{"type": "paragraph", "value": f'<p><a linktype="tracked" id="{amazon_link.pk}">roller</a></p>'}],
    )
    anchor = soup_of(client, page.url).select_one("a[data-amazon-link]")
    assert parse_qs(urlsplit(anchor["href"]).query)["tag"] == ["m4l-site-20"]


def test_disclosure_on_pages_with_affiliate_links(client, article):
    disclosure = soup_of(client, article.url).select_one(".disclosure")
    text = disclosure.get_text(" ", strip=True)
    assert "As an Amazon Associate I earn from qualifying purchases" in text
    assert disclosure.find("a", href="/affiliate-disclosure/")


def test_no_disclosure_without_affiliate_links(client, plain_article):
    assert soup_of(client, plain_article.url).select_one(".disclosure") is None


def test_offer_block_alone_triggers_the_disclosure(client, article_index, link):
    from .conftest import make_article

    page = make_article(
        article_index,
        slug="offer-only",
        title="Offer only",
        body=[
            {
                "type": "offer",
                "value": {"offer": link.offer_id, "link": None, "heading": "", "button_label": "Get the deal"},
            }
        ],
    )
    soup = soup_of(client, page.url)
    text = soup.select_one(".disclosure").get_text()
    assert "commission" in text and "Amazon" not in text


def test_disclosure_follows_a_changed_offer_on_a_served_page(client, article_index, link):
    """The disclosure is cached with the page's other fragments; saving an offer must still
    change it on the next view."""
    from marketing.models import Offer

    from .conftest import make_article

    block = {"offer": link.offer_id, "link": None, "heading": "", "button_label": "Get the deal"}
    page = make_article(
        article_index, slug="offer-changes", title="Offer changes", body=[{"type": "offer", "value": block}]
    )
    assert "Amazon" not in soup_of(client, page.url).select_one(".disclosure").get_text()

    offer = link.offer
    offer.kind = Offer.AMAZON
    offer.save()
    assert "As an Amazon Associate" in soup_of(client, page.url).select_one(".disclosure").get_text()


def test_offer_block_shows_code_copy_button_and_tracked_button(client, article, link):
    block = soup_of(client, article.url).select_one("aside.offer")
    assert "Pso-Rite Psoas Release Tool" in block.get_text()
    assert "Save 50%" in block.get_text()
    assert block.select_one("code").get_text() == "M4LPT"
    button = block.select_one("button[data-copy-code]")
    assert (button["data-copy-code"], button.get_text()) == ("M4LPT", "Copy code")
    deal = block.select_one("a.button")
    assert (deal["href"], deal["rel"], deal.get_text()) == ("/go/pso-rite/", ["sponsored", "noopener"], "Get the deal")
    assert "commission" in block.select_one(".offer__disclosure").get_text()


def test_expired_offer_never_shows_its_code(client, article, link):
    link.offer.ends_at = timezone.now() - timedelta(minutes=1)
    link.offer.save()
    html = client.get(article.url, HTTP_USER_AGENT=BROWSER_UA).content.decode()
    assert "M4LPT" not in html
    assert "This offer has ended" in html


def test_beacon_script_is_on_every_page(client, plain_article):
    script = soup_of(client, plain_article.url).select_one("script[data-beacon]")
    assert script["data-beacon"] == "/m/e/" and script["src"].endswith("js/marketing.js")


def test_no_third_party_requests_in_article(client, article):
    soup = soup_of(client, article.url)
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in soup.find_all(tag):
            host = urlsplit(element.get(attr) or "").hostname
            assert host in (None, "localhost", "testserver"), element
