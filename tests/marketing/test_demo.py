from marketing.demo import load_demo
from marketing.models import AmazonTrackingID, Offer, TrackedLink

from .conftest import BROWSER_UA, make_article


def test_demo_is_idempotent_and_puts_the_offer_after_the_psoas_paragraph(client, article_index, home_page):
    article = make_article(
        article_index,
        body=[
            {"type": "paragraph", "value": "<p>Many people have difficulty lifting their leg.</p>"},
            {"type": "paragraph", "value": "<p>Your psoas creates a strong compression force on the lower back.</p>"},
            {"type": "paragraph", "value": "<p>Conclusion.</p>"},
        ],
    )
    load_demo(home_page)
    load_demo(home_page)
    assert Offer.objects.count() == 2 and TrackedLink.objects.count() == 2
    assert AmazonTrackingID.objects.filter(page=article).count() == 1
    article.refresh_from_db()
    types = [block.block_type for block in article.body]
    assert types == ["paragraph", "paragraph", "offer", "paragraph", "paragraph"]
    html = client.get(article.url, HTTP_USER_AGENT=BROWSER_UA).content.decode()
    assert "M4LPT" in html and "Save 50%" in html
    assert "tag=m4l-cant-lift-leg-to-get-in-car-20" in html
    assert "(paid link)" in html and "As an Amazon Associate" in html
