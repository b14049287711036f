from datetime import date

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from marketing.attribution import source_of, touch_from_request
from marketing.models import VisitorSalt
from marketing.visitors import delete_old_salts, device_class, is_bot, visitor_key

rf = RequestFactory()
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"


def test_utm_parameters_win_over_referrer():
    source = source_of({"utm_source": "facebook", "utm_campaign": "hip-pain", "ref": "https://www.google.com/"})
    assert (source["source"], source["campaign"], source["referrer_host"]) == ("facebook", "hip-pain", "google.com")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"qr": "1"}, ("qr", "print")),
        ({"ref": "https://duckduckgo.com/?q=hip"}, ("duckduckgo.com", "referral")),
        ({}, ("direct", "")),
    ],
)
def test_source_without_utm(data, expected):
    source = source_of(data)
    assert (source["source"], source["medium"]) == expected


def test_own_site_referrer_is_not_a_source():
    assert source_of({"ref": "https://more4lifept.com/articles/"}, own_host="more4lifept.com")["source"] == "direct"


@given(st.dictionaries(st.sampled_from(["utm_source", "utm_campaign", "ref", "qr", "page", "video"]), st.text()))
def test_source_of_never_raises_and_bounds_lengths(data):
    source = source_of(data)
    assert all(len(value) <= 255 for value in source.values())
    assert source["source"]


def test_touch_from_request_attributes_the_page(home_page, article_index, rf=rf):
    request = rf.post(
        "/request/", {"page": "/articles/", "utm_source": "newsletter", "video": "7 Simple Tips"}, HTTP_HOST="localhost"
    )
    touch = touch_from_request(request)
    assert touch.pk
    assert touch.page.specific == article_index
    assert (touch.source, touch.video, touch.page_path) == ("newsletter", "7 Simple Tips", "/articles/")


def test_touch_ignores_unknown_and_foreign_paths(home_page):
    request = rf.post("/x/", {"page": "https://evil.example/phish?q=1"}, HTTP_HOST="localhost")
    touch = touch_from_request(request)
    assert touch.page is None and touch.page_path == ""


def test_visitor_key_same_day_same_visitor_and_no_ip(db):
    one = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=IPHONE)
    two = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=IPHONE)
    other = rf.get("/", REMOTE_ADDR="203.0.113.8", HTTP_USER_AGENT=IPHONE)
    assert visitor_key(one) == visitor_key(two) != visitor_key(other)
    assert "203.0.113.7" not in visitor_key(one)
    assert visitor_key(one, day=date(2026, 1, 1)) != visitor_key(one, day=date(2026, 1, 2))


def test_old_salts_are_deleted(db):
    for day in (date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)):
        VisitorSalt.objects.create(day=day, salt=str(day))
    assert delete_old_salts(today=date(2026, 1, 3)) == 1
    assert list(VisitorSalt.objects.values_list("day", flat=True).order_by("day")) == [
        date(2026, 1, 2),
        date(2026, 1, 3),
    ]


def test_bots_and_devices():
    assert is_bot(rf.head("/", HTTP_USER_AGENT=IPHONE))
    assert is_bot(rf.get("/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)"))
    assert is_bot(rf.get("/"))
    assert not is_bot(rf.get("/", HTTP_USER_AGENT=IPHONE))
    assert device_class(rf.get("/", HTTP_USER_AGENT=IPHONE)) == "mobile"
