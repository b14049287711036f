import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from marketing.models import Event

from .conftest import BROWSER_UA


def post(client, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/m/e/", data=data, content_type="text/plain", HTTP_USER_AGENT=BROWSER_UA, **extra)


def test_pageview_recorded_with_source(client, article):
    response = post(client, {"t": "pageview", "p": article.url, "s": {"utm_source": "newsletter", "ref": "google.com"}})
    assert response.status_code == 204
    assert not response.cookies
    event = Event.objects.get()
    assert (event.type, event.page.specific, event.source, event.referrer_host) == (
        "pageview",
        article,
        "newsletter",
        "google.com",
    )


def test_code_copy_and_amazon_click(client, article, link, amazon_link):
    assert post(client, {"t": "code_copy", "p": article.url, "o": link.offer_id, "l": link.pk}).status_code == 204
    assert post(client, {"t": "amazon_click", "p": article.url, "l": amazon_link.pk}).status_code == 204
    assert (
        post(client, {"t": "video_play", "p": article.url, "v": "7 Simple Tips To Get Rid Of Hip Pain"}).status_code
        == 204
    )
    copy, click, play = Event.objects.order_by("pk")
    assert (copy.type, copy.offer, copy.link) == ("code_copy", link.offer, link)
    assert (click.type, click.link, click.offer) == ("amazon_click", amazon_link, amazon_link.offer)
    assert (play.type, play.video) == ("video_play", "7 Simple Tips To Get Rid Of Hip Pain")


@pytest.mark.parametrize(
    "body",
    [
        {"t": "purchase", "p": "/"},  # unknown type
        {"t": "link_click", "p": "/"},  # server-side only
        {"t": "pageview", "p": "/no-such-page/"},  # unknown page
        {"t": "pageview", "p": "https://evil.example/"},  # not our path
        {"t": "pageview"},
        {"t": "code_copy", "p": "/"},  # no offer
        {"t": "code_copy", "p": "/", "o": 999999},  # unknown offer
        {"t": "amazon_click", "p": "/", "l": "abc"},
        {"t": "video_play", "p": "/", "v": ""},
        {"t": "pageview", "p": "/", "s": "not-a-dict"},
        ["pageview"],
        "not json",
        b"\xff\xfe\x00",
    ],
)
def test_bad_beacons_are_400(client, article, body):
    assert post(client, body).status_code == 400
    assert not Event.objects.exists()


def test_non_amazon_link_is_not_an_amazon_click(client, article, link):
    assert post(client, {"t": "amazon_click", "p": article.url, "l": link.pk}).status_code == 400


def test_oversized_body_is_400(client, article):
    body = {"t": "pageview", "p": article.url, "v": "x" * 5000}
    assert post(client, body).status_code == 400
    assert not Event.objects.exists()


def test_get_is_not_allowed(client, home_page):
    assert client.get("/m/e/").status_code == 405


def test_foreign_origin_refused(client, article):
    assert post(client, {"t": "pageview", "p": article.url}, HTTP_ORIGIN="https://evil.example").status_code == 403


def test_rate_limited_per_visitor(client, article, settings):
    settings.MARKETING_BEACON_RATE_PER_MINUTE = 3
    codes = [
        post(client, {"t": "pageview", "p": article.url}, REMOTE_ADDR="198.51.100.9").status_code for _ in range(5)
    ]
    assert codes == [204, 204, 204, 429, 429]
    # another visitor is not limited
    assert post(client, {"t": "pageview", "p": article.url}, REMOTE_ADDR="198.51.100.10").status_code == 204
    assert Event.objects.count() == 4


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)
beacon_like = st.fixed_dictionaries(
    {},
    optional={
        "t": st.sampled_from(["pageview", "video_play", "amazon_click", "code_copy", "x"]) | json_values,
        "p": st.sampled_from(["/", "/articles/", "//evil", "/\x00", ""]) | json_values,
        "o": json_values,
        "l": json_values,
        "v": json_values,
        "s": json_values,
    },
)


@pytest.fixture
def no_rate_limit(settings):
    settings.MARKETING_BEACON_RATE_PER_MINUTE = 10**9


@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(beacon_like.map(json.dumps), st.binary(max_size=3000), st.text(max_size=3000)))
def test_beacon_never_500(client, article, no_rate_limit, body):
    response = post(client, body)
    assert response.status_code in {204, 400}
