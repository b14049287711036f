"""The appointment request form through HTTP: rendering, validation, spam, saving, attribution.

Tasks run eagerly here (test settings) with Django's in-memory mail outbox; delivery through
a real worker, broker and SMTP server is in test_delivery.py."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from marketing.attribution import ATTRIBUTION_FIELDS
from marketing.leads.forms import sign_timestamp
from marketing.leads.models import Delivery, Lead

pytestmark = pytest.mark.django_db

SUBMIT = "/appointments/request/"


def test_article_renders_form_with_attribution_fields_and_phone(client, article_with_form):
    response = client.get(article_with_form.url + "?utm_source=fb&utm_campaign=spring&utm_medium=social")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form[data-lead-form]")
    assert form is not None and form.has_attr("data-attribution")
    assert form["action"] == SUBMIT
    hidden = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert set(ATTRIBUTION_FIELDS) <= set(hidden)
    assert hidden["page"] == article_with_form.url
    assert hidden["utm_campaign"] == "spring" and hidden["utm_source"] == "fb"
    assert hidden["ts"]
    assert form.select_one('a[href="tel:+13149413970"]').text == "314-941-3970"
    assert form.select_one("a[href='/privacy/']")
    # Every visible control has a label.
    for field in form.select("input:not([type=hidden]), textarea, select"):
        assert soup.select_one(f"label[for='{field['id']}']"), field


def test_request_page_renders_form(client, request_page):
    response = client.get("/request-appointment/")
    assert response.status_code == 200
    assert b"data-lead-form" in response.content and b"314-941-3970" in response.content


def test_valid_request_without_js_is_saved_with_attribution_and_delivered(
    client, article_with_form, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, form_data(page=article_with_form.url))
    assert response.status_code == 303
    assert response["Location"] == "/appointments/thanks/?email=1"
    assert b"we have your request" in client.get(response["Location"]).content

    lead = Lead.objects.get()
    assert (lead.name, lead.phone, lead.email) == ("Jane Doe", "314-555-0134", "jane@example.test")
    assert lead.preferred_days == ["mon", "wed"] and lead.preferred_times == ["morning"]
    assert lead.status == "new" and lead.consent_at is not None
    assert lead.touch.page.id == article_with_form.id
    assert (lead.touch.source, lead.touch.medium, lead.touch.campaign) == ("newsletter", "email", "hip-pain-spring")
    assert sorted(lead.deliveries.values_list("channel", "status")) == [("ack", "sent"), ("inbox", "sent")]
    lead.refresh_from_db()
    assert lead.delivery_status == "delivered"
    assert sorted(m.to[0] for m in mail.outbox) == ["frontdesk@more4lifept.com", "jane@example.test"]


def test_js_submission_gets_confirmation_fragment(client, article_with_form, form_data):
    response = client.post(SUBMIT, form_data(), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    payload = response.json()
    assert payload["ok"] is True
    assert "we have your request" in payload["html"] and "314-941-3970" in payload["html"]
    assert Lead.objects.count() == 1


def test_missing_contact_keeps_the_form(client, home_page, form_data):
    response = client.post(SUBMIT, form_data(phone="", email="", name="Jane <b>Doe</b>"))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert "phone number or an email" in soup.select_one("[role=alert]").text
    assert soup.select_one("input[name=name]")["value"] == "Jane <b>Doe</b>"
    assert soup.select_one("textarea[name=concern]").text.strip() == "Right hip, hard to get into the car"
    assert Lead.objects.count() == 0


def test_missing_contact_with_js_returns_form_with_errors(client, home_page, form_data):
    response = client.post(SUBMIT, form_data(phone="", email=""), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "phone number or an email" in response.json()["html"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "agree that we may contact you"),
        ({"phone": "call me"}, "area code"),
        ({"email": "not-an-email", "phone": ""}, "valid email"),
        ({"name": "   "}, "This field is required"),
    ],
)
def test_invalid_fields_are_explained(client, home_page, form_data, overrides, message):
    response = client.post(SUBMIT, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Lead.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot filled"),
        ({"ts": None}, "missing or forged form timestamp"),
        ({"ts": "1700000000.0:forged"}, "missing or forged form timestamp"),
        ({"ts": "NOW"}, "filled in too fast"),
    ],
)
def test_spam_is_kept_flagged_and_never_delivered(
    client, home_page, form_data, overrides, reason, django_capture_on_commit_callbacks
):
    if overrides.get("ts") == "NOW":
        overrides = {"ts": sign_timestamp(time.time())}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, form_data(**overrides))
    # A bot sees the same confirmation as a person.
    assert response.status_code == 303
    lead = Lead.objects.get()
    assert lead.status == "spam" and lead.spam_reason == reason
    assert lead.delivery_status == "held"
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_visitor_flags_the_excess_as_spam(client, home_page, form_data, settings):
    settings.LEADS_RATE_LIMIT = 2
    for _ in range(3):
        client.post(SUBMIT, form_data(), HTTP_USER_AGENT="Mozilla/5.0 rate-test")
    assert list(Lead.objects.order_by("pk").values_list("status", flat=True)) == ["new", "new", "spam"]
    # Another visitor is not affected.
    client.post(SUBMIT, form_data(), HTTP_USER_AGENT="Mozilla/5.0 someone else")
    assert Lead.objects.order_by("-pk").first().status == "new"


def test_a_flood_is_refused_without_storing(client, home_page, form_data, settings):
    settings.LEADS_RATE_LIMIT, settings.LEADS_RATE_LIMIT_DROP_FACTOR = 1, 3
    statuses = [client.post(SUBMIT, form_data(), HTTP_USER_AGENT="flood-bot").status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]
    assert Lead.objects.count() == 3
    assert b"314-941-3970" in client.post(SUBMIT, form_data(), HTTP_USER_AGENT="flood-bot").content


def test_ten_megabyte_body_is_a_400_with_the_form(client, home_page, form_data):
    response = client.post(SUBMIT, form_data(concern="x" * (10 * 1024 * 1024)))
    assert response.status_code == 400
    assert b"more than we can accept" in response.content
    assert b"data-lead-form" in response.content
    assert Lead.objects.count() == 0


def test_ten_megabyte_body_with_js_is_a_400_json(client, home_page, form_data):
    response = client.post(SUBMIT, form_data(concern="x" * (10 * 1024 * 1024)), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "more than we can accept" in response.json()["error"]


def test_overlong_field_is_a_form_error(client, home_page, form_data):
    response = client.post(SUBMIT, form_data(concern="x" * 5000))
    assert response.status_code == 400
    assert b"at most 1000 characters" in response.content


def test_invalid_unicode_and_nul_bytes_never_500(client, home_page, form_data):
    from urllib.parse import urlencode

    body = urlencode(form_data(), doseq=True).encode() + b"&name=Jane%FF%FE%ED%A0%80Doe"
    response = client.post(SUBMIT, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        lead = Lead.objects.get()
        lead.name.encode("utf-8")  # stored text is valid Unicode
    nul = client.post(SUBMIT, form_data(name="Jane\x00Doe"))
    assert nul.status_code == 400
    assert b"Null characters are not allowed" in nul.content


def test_get_on_submit_url_shows_the_form(client, home_page):
    response = client.get(SUBMIT)
    assert response.status_code == 200
    assert b"data-lead-form" in response.content


def test_without_a_broker_the_lead_reaches_the_local_mail_sink(
    client, home_page, form_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    """What `make run` does: no Redis, tasks run eagerly, mail goes to files (dev settings)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT, form_data(email=""))
    [sent] = list(tmp_path.iterdir())
    assert "Subject: Appointment request: Jane D. - prefers mornings on Mon/Wed" in sent.read_text()
    assert Lead.objects.get().delivery_status == "delivered"
