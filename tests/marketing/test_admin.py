from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.blocks import RICH_TEXT_FEATURES
from cms.models import ArticlePage
from cms.roles import EDITORS, MARKETING
from marketing.models import Conversion, Event, TrackedLink
from marketing.stats import rollup_day

from .conftest import BROWSER_UA


def _user(username, group):
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def marketer(db):
    return _user("marketer", MARKETING)


@pytest.fixture
def editor(db):
    return _user("editor", EDITORS)


def assert_denied(response):
    # Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def _click(client, slug, addr, days_ago=0):
    client.get(f"/go/{slug}/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=addr)
    if days_ago:
        event = Event.objects.latest("pk")
        event.created_at -= timedelta(days=days_ago)
        event.save()


def test_links_listing_shows_clicks_uniques_for_the_period(client, home_page, link, marketer):
    anonymous = client
    for addr in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        _click(anonymous, "pso-rite", addr)
    _click(anonymous, "pso-rite", "198.51.100.3", days_ago=40)
    today = timezone.localdate()
    rollup_day(today)
    rollup_day(today - timedelta(days=40))

    client.force_login(marketer)
    response = client.get("/admin/snippets/marketing/trackedlink/")
    assert response.status_code == 200
    row = response.context["object_list"][0]
    assert (row.clicks, row.unique_clicks) == (3, 2)  # the default period: the last 30 days

    start = (today - timedelta(days=60)).isoformat()
    response = client.get(f"/admin/snippets/marketing/trackedlink/?period_from={start}&period_to={today.isoformat()}")
    row = response.context["object_list"][0]
    assert (row.clicks, row.unique_clicks) == (4, 3)
    assert b"Unique clicks" in response.content


def test_offers_listing_counts_code_copies(client, article, link, marketer):
    import json

    for _ in range(2):
        client.post(
            "/m/e/",
            data=json.dumps({"t": "code_copy", "p": article.url, "o": link.offer_id}),
            content_type="text/plain",
            HTTP_USER_AGENT=BROWSER_UA,
        )
    rollup_day(timezone.localdate())
    client.force_login(marketer)
    rows = client.get("/admin/snippets/marketing/offer/").context["object_list"]
    row = next(r for r in rows if r.pk == link.offer_id)
    assert (row.copies, row.clicks) == (2, 0)


def test_editor_sees_links_but_not_their_numbers(client, home_page, link, editor):
    client.force_login(editor)
    response = client.get("/admin/snippets/marketing/trackedlink/")
    assert response.status_code == 200
    assert b"Pso-Rite Psoas Release Tool" in response.content
    assert b"Unique clicks" not in response.content
    for url in (
        "/admin/marketing/sales/",
        "/admin/marketing/sales/import/",
        "/admin/marketing/unknown-links/",
        f"/admin/snippets/marketing/trackedlink/edit/{link.pk}/",
    ):
        assert_denied(client.get(url))
    # choosing a link in the editor works
    chooser = client.get("/admin/snippets/choose/marketing/trackedlink/")
    assert chooser.status_code == 200
    chosen = client.get(f"/admin/snippets/choose/marketing/trackedlink/chosen/{link.pk}/").json()
    assert chosen["result"]["url"] == "/go/pso-rite/"


def test_anonymous_and_plain_staff_get_nothing(client, home_page, link):
    assert client.get("/admin/marketing/sales/").status_code == 302  # to the login
    staff = User.objects.create_user("nobody", password="pw")
    staff.groups.add(Group.objects.get(name=EDITORS))
    staff.groups.clear()
    client.force_login(staff)
    assert client.get("/admin/marketing/sales/")["Location"].startswith("/admin/login/")


def test_qr_codes_encode_the_tagged_link(client, home_page, link, marketer):
    client.force_login(marketer)
    edit = client.get(f"/admin/snippets/marketing/trackedlink/edit/{link.pk}/")
    assert edit.status_code == 200 and b"Download PNG" in edit.content
    svg = client.get(f"/admin/snippets/marketing/trackedlink/qr/{link.pk}.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(f"/admin/snippets/marketing/trackedlink/qr/{link.pk}.png?download=1")
    assert png.content.startswith(b"\x89PNG") and "attachment" in png["Content-Disposition"]
    from marketing.qr import qr_url

    assert qr_url(link).endswith("/go/pso-rite/?qr=1")


def test_csv_import_through_the_admin(client, home_page, offer, marketer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(marketer)
    csv = b"order_id,date,code,amount,commission\n1,2026-11-02,M4LPT,59,11.8\n2,2026-11-02,WRONG,59,11.8\n"
    upload = SimpleUploadedFile("report.csv", csv, content_type="text/csv")
    response = client.post("/admin/marketing/sales/import/", {"partner": offer.partner.pk, "file": upload})
    assert response.status_code == 200
    assert b"1 imported, 0 already there, 1 refused" in response.content
    assert "WRONG" in response.content.decode()
    assert Conversion.objects.count() == 1
    report = client.get("/admin/marketing/sales/")
    assert report.status_code == 200 and b"M4LPT" in report.content


def test_unknown_links_report(client, home_page, marketer):
    client.get("/go/flyer-typo/", HTTP_USER_AGENT=BROWSER_UA)
    client.force_login(marketer)
    response = client.get("/admin/marketing/unknown-links/")
    assert response.status_code == 200 and b"flyer-typo" in response.content


def _article_form(title, paragraph_html):
    return nested_form_data(
        {
            "title": title,
            "slug": "amazon-test",
            "summary": "A summary.",
            "publish_date": "2026-11-20",
            "body": streamfield([("paragraph", rich_text(paragraph_html, features=RICH_TEXT_FEATURES))]),
        }
    )


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("https://amzn.to/3xYz", "shortened Amazon link"),
        ("https://a.co/d/abc", "shortened Amazon link"),
        ("https://bit.ly/amzn-roller", "link shortener"),
        ("https://www.amazon.com/dp/B00XM2MRGI?tag=someone-20", "direct Amazon link"),
    ],
)
def test_article_with_cloaked_amazon_link_is_refused(admin_client, article_index, href, message):
    url = f"/admin/pages/add/cms/articlepage/{article_index.pk}/"
    response = admin_client.post(url, _article_form("Amazon test", f'<p>Buy a <a href="{href}">roller</a>.</p>'))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="amazon-test").exists()
    assert message in response.content.decode()


def test_article_with_tracked_amazon_link_saves(admin_client, article_index, amazon_link):
    url = f"/admin/pages/add/cms/articlepage/{article_index.pk}/"
    html = f'<p>Buy a <a linktype="tracked" id="{amazon_link.pk}">roller</a>.</p>'
    response = admin_client.post(url, _article_form("Tracked test", html))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ArticlePage.objects.get(slug="amazon-test")
    assert 'linktype="tracked"' in str(page.get_latest_revision_as_object().body.raw_data)


def test_link_with_short_amazon_destination_is_refused(admin_client, home_page):
    response = admin_client.post(
        "/admin/snippets/marketing/trackedlink/add/",
        {"title": "x", "slug": "x", "destination_url": "https://amzn.to/abc", "is_affiliate": "on"},
    )
    assert response.status_code == 200
    assert not TrackedLink.objects.exists()
    assert "Short Amazon links" in response.content.decode()
