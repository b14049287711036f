"""Sending one delivery (inbox email, acknowledgement, reminder, webhook), exactly once.

A delivery is claimed under a row lock before anything is sent: a second copy of the task
finds it sending (and backs off) or sent (and does nothing). A claim held by a process that
died (same host, pid gone) or older than LEADS_DELIVERY_LEASE_SECONDS can be taken over, so a
worker killed mid-delivery delays the email but never loses it.
"""

import hashlib
import hmac
import json
import logging
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, mail_admins
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from . import services
from .models import Delivery, Lead, LeadEvent

logger = logging.getLogger(__name__)
HOSTNAME = socket.gethostname()


@dataclass
class Claim:
    outcome: str  # "claimed", "done", "busy", "gone"
    delivery: Delivery | None = None


def _holder_is_dead(claimed_by: str) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOSTNAME or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(delivery_id: int, task_id: str) -> Claim:
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return Claim("gone")
        if delivery.status in (Delivery.Status.SENT, Delivery.Status.FAILED):
            return Claim("done", delivery)
        if delivery.status == Delivery.Status.SENDING:
            stale = delivery.claimed_at is None or delivery.claimed_at < now - timedelta(
                seconds=settings.LEADS_DELIVERY_LEASE_SECONDS
            )
            if not stale and not _holder_is_dead(delivery.claimed_by):
                return Claim("busy", delivery)
            logger.warning("Taking over lead delivery %s from %s", delivery_id, delivery.claimed_by)
        delivery.status = Delivery.Status.SENDING
        delivery.claimed_at = now
        delivery.claimed_by = f"{HOSTNAME}:{os.getpid()}:{task_id}"[:255]
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "claimed_by", "attempts"])
    return Claim("claimed", delivery)


def record_sent(delivery: Delivery) -> None:
    """A single autocommitted UPDATE: the shortest possible step after the server accepted the
    message (a worker killed before this commit resends it)."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="", claimed_by=""
    )


def after_sent(delivery: Delivery) -> None:
    """The timeline and the lead's state; the sweeper settles these if the worker dies first."""
    LeadEvent.objects.create(
        lead_id=delivery.lead_id,
        kind="delivered",
        message=f"{delivery.get_channel_display()}: sent (attempt {delivery.attempts}).",
    )
    if delivery.channel != Delivery.Channel.REMINDER:
        update_lead_delivery_status(delivery.lead_id)


def update_lead_delivery_status(lead_id: int) -> bool:
    """Mark the lead delivered once every channel (reminders aside) is sent."""
    with transaction.atomic():
        # Lock the lead first: two channels finishing at once must not each see the other as
        # still open and leave the lead pending.
        Lead.objects.select_for_update().filter(pk=lead_id).first()
        open_channels = (
            Delivery.objects.filter(lead_id=lead_id)
            .exclude(channel=Delivery.Channel.REMINDER)
            .exclude(status=Delivery.Status.SENT)
        )
        if open_channels.exists():
            return False
        return bool(
            Lead.objects.filter(pk=lead_id, delivery_status=Lead.DeliveryStatus.PENDING).update(
                delivery_status=Lead.DeliveryStatus.DELIVERED
            )
        )


def record_failure(delivery: Delivery, error: Exception, countdown: float | None) -> bool:
    """Put the delivery back to pending (to be retried after `countdown`) or, after the last
    attempt, mark it and its lead failed and alert the admins. Returns True when final."""
    final = countdown is None
    message = f"{type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
            last_error=message,
            claimed_by="",
            next_attempt_at=timezone.now() + timedelta(seconds=countdown or 0),
        )
        LeadEvent.objects.create(
            lead_id=delivery.lead_id,
            kind="delivery_failed" if final else "delivery_retry",
            message=f"{delivery.get_channel_display()}: attempt {delivery.attempts} failed ({message[:200]})"
            + ("; giving up." if final else f"; retrying in {countdown:.0f}s."),
        )
        if final:
            Lead.objects.filter(pk=delivery.lead_id).update(delivery_status=Lead.DeliveryStatus.FAILED)
    if final:
        alert_admins(delivery, message)
    return final


def alert_admins(delivery: Delivery, error: str) -> None:
    lead = delivery.lead
    try:
        mail_admins(
            f"Appointment request {lead.short_name} could not be delivered",
            f"The {delivery.get_channel_display().lower()} for the appointment request from {lead.short_name} "
            f"failed after {delivery.attempts} attempts.\n\nLast error: {error}\n\n"
            f"Open it in the admin and call the patient: {services.admin_url(lead)}\n",
        )
    except Exception:
        logger.exception("Could not alert the admins about failed lead delivery %s", delivery.pk)


def retry_countdown(attempts: int) -> float | None:
    """Exponential backoff with jitter, or None after the last attempt. Computed here rather than
    by Celery's autoretry because attempts are counted per delivery in the database, across
    tasks re-queued by the sweeper."""
    import random

    if attempts >= settings.LEADS_DELIVERY_MAX_ATTEMPTS:
        return None
    base = settings.LEADS_RETRY_BACKOFF_SECONDS * (2 ** (attempts - 1))
    capped = min(settings.LEADS_RETRY_BACKOFF_MAX_SECONDS, base)
    return capped * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


# --- Messages -------------------------------------------------------------------------------


def inbox_address() -> str:
    from cms.models import ClinicSettings

    site = Site.objects.filter(is_default_site=True).first()
    configured = ClinicSettings.for_site(site).scheduling_inbox_email if site else ""
    return configured or settings.SCHEDULING_INBOX_EMAIL


def message_id(lead: Lead, kind: str) -> str:
    """Derived from the lead, so a resent copy carries the same Message-ID and mail systems can
    drop it as a duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<appointment-{kind}-{lead.uuid}@{domain}>"


def email_context(lead: Lead) -> dict:
    touch = lead.touch
    page = touch.page.specific if touch and touch.page_id and touch.page else None
    return {
        "lead": lead,
        "touch": touch,
        "source_page": page,
        "source_url": (services.site_root_url() + touch.page_path) if touch and touch.page_path else "",
        "include_health": settings.LEADS_EMAIL_INCLUDE_HEALTH_DETAILS,
        "contacted_url": services.action_url(lead, "contacted"),
        "scheduled_url": services.action_url(lead, "scheduled"),
        "admin_url": services.admin_url(lead),
        "inbox": inbox_address(),
    }


def build_email(delivery: Delivery) -> EmailMessage:
    lead = delivery.lead
    context = email_context(lead)
    inbox = context["inbox"]
    if delivery.channel == Delivery.Channel.INBOX:
        return EmailMessage(
            subject=f"Appointment request: {lead.short_name} - {lead.preference_summary}",
            body=render_to_string("leads/emails/inbox.txt", context),
            to=[inbox],
            reply_to=[lead.email] if lead.email else None,
            headers={"Message-ID": message_id(lead, "request")},
        )
    if delivery.channel == Delivery.Channel.REMINDER:
        original = message_id(lead, "request")
        return EmailMessage(
            subject=f"Reminder: appointment request: {lead.short_name} - still new",
            body=render_to_string("leads/emails/reminder.txt", context),
            to=[inbox],
            reply_to=[lead.email] if lead.email else None,
            headers={"Message-ID": message_id(lead, "reminder"), "In-Reply-To": original, "References": original},
        )
    if delivery.channel == Delivery.Channel.ACKNOWLEDGEMENT:
        from cms.models import ClinicSettings

        site = Site.objects.filter(is_default_site=True).first()
        context["clinic"] = ClinicSettings.for_site(site) if site else None
        return EmailMessage(
            subject="We received your appointment request",
            body=render_to_string("leads/emails/acknowledgement.txt", context),
            to=[lead.email],
            reply_to=[inbox],
            headers={"Message-ID": message_id(lead, "ack")},
        )
    raise ValueError(f"Not an email channel: {delivery.channel}")


# --- Webhook --------------------------------------------------------------------------------


class WebhookError(Exception):
    pass


def webhook_payload(lead: Lead) -> dict:
    """The documented payload (docs/leads.md)."""
    touch = lead.touch
    payload = {
        "event": "appointment_request.created",
        **services.request_details(lead),
        "source": {
            "page": touch.page_path if touch else "",
            "source": touch.source if touch else "",
            "medium": touch.medium if touch else "",
            "campaign": touch.campaign if touch else "",
        },
        "admin_url": services.admin_url(lead),
    }
    if settings.LEADS_WEBHOOK_INCLUDE_HEALTH_DETAILS:
        payload["concern"] = lead.concern
    return payload


def sign_webhook(body: bytes, timestamp: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_webhook(lead: Lead) -> None:
    body = json.dumps(webhook_payload(lead), sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting, http(s) only
        settings.LEADS_WEBHOOK_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "More4Life-Leads/1",
            "X-M4L-Event": "appointment_request.created",
            "X-M4L-Delivery": f"{lead.uuid}:webhook",
            "X-M4L-Signature": sign_webhook(body, timestamp, settings.LEADS_WEBHOOK_SECRET),
        },
    )
    if not settings.LEADS_WEBHOOK_URL.startswith(("http://", "https://")):
        raise WebhookError("LEADS_WEBHOOK_URL must be an http(s) URL")
    try:
        with urllib.request.urlopen(request, timeout=settings.LEADS_WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise WebhookError(f"HTTP {error.code} from the webhook") from error
    except (urllib.error.URLError, OSError) as error:
        raise WebhookError(f"Webhook unreachable: {error}") from error
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status} from the webhook")


def perform(delivery: Delivery, after_send) -> None:
    """Send it, then call after_send() (which records it sent). Raises on any failure (the task
    decides whether to retry).

    For email, after_send runs as soon as the server has accepted the message, before the SMTP
    QUIT round trip: the gap between "the server has it" and "the database knows" is where a
    killed worker would cause a resend, so it is kept as short as possible. (A resend carries
    the same Message-ID, which mail systems use to drop duplicates.)"""
    lead = Lead.objects.select_related("touch").get(pk=delivery.lead_id)
    delivery.lead = lead
    if delivery.channel == Delivery.Channel.WEBHOOK:
        if not settings.LEADS_WEBHOOK_URL:
            raise WebhookError("No LEADS_WEBHOOK_URL configured")
        post_webhook(lead)
        after_send()
        return
    message = build_email(delivery)
    with get_connection(fail_silently=False) as connection:
        connection.send_messages([message])
        after_send()
