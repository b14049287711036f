from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from marketing.models import Event

from .conftest import BROWSER_UA


def test_redirects_to_stored_destination_with_utm(client, home_page, link):
    response = client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    location = urlsplit(response["Location"])
    assert (location.scheme, location.hostname, location.path) == ("https", "pso-rite.example", "/products/pso-rite")
    query = parse_qs(location.query)
    assert query["ref"] == ["clinic"]  # the destination's own parameters are kept
    assert query["utm_source"] == ["more4lifept"]
    assert query["utm_medium"] == ["referral"]
    assert query["utm_campaign"] == ["pso-rite"]


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example/",
        "?url=https://evil.example/&utm_source=x",
        "?destination=//evil.example",
        "?qr=1&host=evil.example",
    ],
)
def test_no_request_parameter_changes_the_host(client, home_page, link, query):
    response = client.get(f"/go/pso-rite/{query}", HTTP_USER_AGENT=BROWSER_UA, HTTP_HOST="evil.example")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).hostname == "pso-rite.example"


def test_one_click_one_event_attributed_to_the_page(client, article, link):
    client.get(
        "/go/pso-rite/?utm_source=facebook&utm_campaign=hip-pain",
        HTTP_USER_AGENT=BROWSER_UA,
        HTTP_REFERER=f"http://testserver{article.url}",
        REMOTE_ADDR="198.51.100.23",
    )
    event = Event.objects.get()
    assert event.type == Event.LINK_CLICK
    assert (event.link, event.offer) == (link, link.offer)
    assert event.page.specific == article
    assert event.page_path == article.url
    assert (event.source, event.campaign) == ("facebook", "hip-pain")
    assert event.device == "desktop" and not event.is_bot


def test_qr_scan_is_its_own_source(client, home_page, link):
    client.get("/go/pso-rite/?qr=1", HTTP_USER_AGENT=BROWSER_UA)
    assert Event.objects.get().source == "qr"


def test_foreign_referrer_is_the_source(client, home_page, link):
    client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, HTTP_REFERER="https://www.facebook.com/some/post")
    event = Event.objects.get()
    assert (event.source, event.referrer_host, event.page_path) == ("facebook.com", "facebook.com", "")


def test_unknown_slug_is_the_site_404_and_recorded(client, home_page, db):
    response = client.get("/go/misprinted-flyer/?qr=1", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 404
    assert b"Call To Schedule" in response.content  # the site's own 404 page
    event = Event.objects.get()
    assert (event.slug, event.link, event.source) == ("misprinted-flyer", None, "qr")


def test_head_request_is_a_bot(client, home_page, link):
    response = client.head("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert Event.objects.get().is_bot


def test_known_crawler_is_flagged(client, home_page, link):
    client.get(
        "/go/pso-rite/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
    )
    assert Event.objects.get().is_bot


def test_post_is_not_allowed(client, home_page, link):
    assert client.post("/go/pso-rite/").status_code == 405
    assert not Event.objects.exists()


def test_ended_offer_goes_to_fallback(client, home_page, link):
    offer = link.offer
    offer.ends_at = timezone.now() - timedelta(days=1)
    offer.fallback_url = "https://pso-rite.example/"
    offer.save()
    response = client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    assert response["Location"] == "https://pso-rite.example/"


def test_inactive_offer_goes_to_partner_site(client, home_page, link):
    link.offer.is_active = False
    link.offer.save()
    assert client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)["Location"] == "https://pso-rite.example/"


def test_changing_the_destination_takes_effect(client, home_page, link):
    client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    link.destination_url = "https://other.example/p"
    link.save()
    assert client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)["Location"].startswith("https://other.example/p?")


def test_same_visitor_twice_in_a_day_is_one_unique(client, home_page, link):
    from marketing.models import DailyStat, TrackedLink
    from marketing.stats import rollup_day, with_stats

    for addr in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=addr)
    client.get("/go/pso-rite/", HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="198.51.100.3")
    today = timezone.localdate()
    rollup_day(today)
    annotated = with_stats(TrackedLink.objects.all(), DailyStat.LINK, today, today).get()
    assert (annotated.clicks, annotated.unique_clicks) == (3, 2)
    # rebuilding the day gives the same numbers
    rollup_day(today)
    again = with_stats(TrackedLink.objects.all(), DailyStat.LINK, today, today).get()
    assert (again.clicks, again.unique_clicks) == (3, 2)


def test_old_events_deleted_but_their_stats_kept(client, home_page, link, settings):
    from marketing.models import DailyStat, TrackedLink
    from marketing.stats import delete_old_events, with_stats

    settings.MARKETING_EVENT_RETENTION_DAYS = 30
    client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    old, recent = Event.objects.order_by("pk")
    old.created_at -= timedelta(days=31)
    old.save()
    today = timezone.localdate()
    assert delete_old_events(today) == 1
    assert list(Event.objects.all()) == [recent]
    old_day = today - timedelta(days=31)
    assert with_stats(TrackedLink.objects.all(), DailyStat.LINK, old_day, old_day).get().clicks == 1
