"""Delivery through the real services: a Celery worker subprocess on Redis, an aiosmtpd server
and a webhook receiver started by the tests (conftest.py). Needs PostgreSQL (see conftest)."""

import hashlib
import hmac
import os
import signal
import time

import pytest

from marketing.leads.models import Delivery, Lead

from .conftest import ALERTS, BROKER_URL, CLOSED_PORT, INBOX, WEBHOOK_SECRET, parse_webhook, wait_for

# serialized_rollback puts back the rows made by migrations (root page, roles) that the
# transactional flush removes, for the tests that run after these.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUBMIT = "/appointments/request/"


def submit(client, form_data, **overrides):
    response = client.post(SUBMIT, form_data(**overrides))
    assert response.status_code == 303, response.content[:500]
    return Lead.objects.order_by("-pk").first()


def wait_delivered(lead, timeout=30):
    def done():
        lead.refresh_from_db()
        return lead.delivery_status == Lead.DeliveryStatus.DELIVERED

    wait_for(done, timeout=timeout, message=f"lead {lead.pk} to be delivered")


def queue_drained(worker):
    """True once the broker queue is empty and the worker holds nothing (so no duplicate is
    still on its way)."""
    from cms.celery import app

    with app.connection_for_write() as conn:
        if conn.default_channel.client.llen("celery"):
            return False
    inspect = app.control.inspect(timeout=0.5)
    for state in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if state and any(state.values()):
            return False
    return True


def test_inbox_email_headers_reply_to_message_id_and_body(
    client, article_with_form, form_data, live_delivery, smtp_server
):
    lead = submit(client, form_data, page=article_with_form.url, concern="Sharp pain in my right hip")
    wait_delivered(lead)
    [message] = smtp_server.to(INBOX)
    assert message["Subject"] == "Appointment request: Jane D. - prefers mornings on Mon/Wed"
    assert message["Reply-To"] == "jane@example.test"
    assert message["Message-ID"].strip() == f"<appointment-request-{lead.uuid}@more4lifept.com>"
    assert message["From"] == "More 4 Life PT <noreply@more4lifept.com>"
    body = message.get_content()
    assert "314-555-0134" in body and "Jane Doe" in body
    assert "Can't Lift Leg To Get In Car?" in body and "hip-pain-spring" in body
    assert "/appointments/update/" in body
    # Health details stay out of the email by default.
    assert "Sharp pain" not in body and "in the admin" in body

    [ack] = smtp_server.to("jane@example.test")
    assert ack["Message-ID"].strip() == f"<appointment-ack-{lead.uuid}@more4lifept.com>"
    assert ack["Reply-To"] == INBOX
    assert "Sharp pain" not in ack.get_content()
    assert lead.deliveries.get(channel="inbox").attempts == 1


def test_broker_down_at_submit_then_sweeper_delivers(
    client, home_page, form_data, live_delivery, smtp_server, use_broker
):
    from marketing.leads.tasks import sweep_deliveries

    use_broker(f"redis://127.0.0.1:{CLOSED_PORT}/0")
    started = time.monotonic()
    response = client.post(SUBMIT, form_data(email=""))
    elapsed = time.monotonic() - started
    assert response.status_code == 303
    assert elapsed < 5, f"the visitor waited {elapsed:.1f}s for a dead broker"
    lead = Lead.objects.get()
    assert lead.deliveries.get().status == "pending"
    assert smtp_server.messages == []

    # The broker is back: the sweeper (a beat task, run on the worker) re-queues the delivery.
    use_broker(BROKER_URL)
    sweep_deliveries.delay(grace_seconds=0)
    wait_delivered(lead)
    wait_for(lambda: queue_drained(live_delivery), message="the queue to drain")
    assert len(smtp_server.to(INBOX)) == 1


def test_smtp_failing_twice_then_accepting_sends_exactly_one(client, home_page, form_data, live_delivery, smtp_server):
    smtp_server.fail_next = 2
    lead = submit(client, form_data, email="")
    wait_delivered(lead)
    wait_for(lambda: queue_drained(live_delivery), message="the queue to drain")
    assert len(smtp_server.to(INBOX)) == 1
    delivery = lead.deliveries.get(channel="inbox")
    assert delivery.attempts == 3
    assert lead.events.filter(kind="delivery_retry").count() == 2


def test_worker_killed_mid_delivery_sends_exactly_one(client, home_page, form_data, live_delivery, smtp_server):
    smtp_server.stall_next = 1
    lead = submit(client, form_data, email="")
    wait_for(smtp_server.stalled.is_set, message="the delivery to reach the SMTP server")
    delivery = lead.deliveries.get(channel="inbox")
    assert delivery.status == "sending"
    pid = int(delivery.claimed_by.split(":")[1])
    os.kill(pid, signal.SIGKILL)  # the pool process doing the delivery dies mid-transaction
    smtp_server.release.set()
    wait_delivered(lead)
    wait_for(lambda: queue_drained(live_delivery), message="the queue to drain")
    assert len(smtp_server.to(INBOX)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_same_task_sent_twice_sends_one_email(client, home_page, form_data, live_delivery, smtp_server):
    from marketing.leads.tasks import deliver

    lead = submit(client, form_data, email="")
    delivery = lead.deliveries.get()
    deliver.delay(delivery.pk)
    deliver.delay(delivery.pk)
    wait_delivered(lead)
    wait_for(lambda: queue_drained(live_delivery), message="the queue to drain")
    assert len(smtp_server.to(INBOX)) == 1


def test_webhook_is_signed_and_retried_on_5xx(client, home_page, form_data, live_delivery, webhook_receiver, settings):
    settings.LEADS_WEBHOOK_URL = "http://127.0.0.1:8132/hooks/leads"
    webhook_receiver.statuses = [500, 503]
    lead = submit(client, form_data)
    wait_delivered(lead)
    assert [r["status"] for r in webhook_receiver.requests] == [500, 503, 200]
    request = webhook_receiver.requests[-1]
    timestamp, signature = (part.split("=", 1)[1] for part in request["headers"]["X-M4L-Signature"].split(","))
    expected = hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    payload = parse_webhook(request)
    assert payload["id"] == str(lead.uuid) and payload["event"] == "appointment_request.created"
    assert payload["phone"] == "314-555-0134" and payload["source"]["campaign"] == "hip-pain-spring"
    assert "concern" not in payload
    assert request["headers"]["X-M4L-Delivery"] == f"{lead.uuid}:webhook"
    assert lead.deliveries.get(channel="webhook").attempts == 3


def test_last_retry_marks_lead_failed_and_alerts_admins(client, home_page, form_data, live_delivery, smtp_server):
    smtp_server.fail_next = 4  # the worker gives up after 4 attempts
    lead = submit(client, form_data, email="")

    def failed():
        lead.refresh_from_db()
        return lead.delivery_status == Lead.DeliveryStatus.FAILED

    wait_for(failed, message="the lead to be marked failed")
    assert lead.deliveries.get().status == Delivery.Status.FAILED
    [alert] = wait_for(lambda: smtp_server.to(ALERTS), message="the alert to the admins")
    assert "could not be delivered" in alert["Subject"] and "Jane D." in alert["Subject"]
    assert smtp_server.to(INBOX) == []
