"""Celery tasks for appointment requests: delivery, the sweeper, reminders, retention.

Every task is safe to run twice: deliveries are claimed per lead and channel under a row lock
(see delivery.py), the others work from the database state.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import delivery as outbox
from . import services
from .models import Delivery, Lead

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def deliver(self, delivery_id: int) -> str:
    claim = outbox.claim(delivery_id, self.request.id or "eager")
    if claim.outcome in ("gone", "done"):
        return claim.outcome
    if claim.outcome == "busy":
        # Another copy of this task is sending right now: look again later, by which time it
        # has finished (and this copy does nothing) or died (and this copy takes over).
        if self.request.is_eager:
            return "busy"
        raise self.retry(countdown=settings.LEADS_BUSY_RETRY_SECONDS)
    delivery = claim.delivery
    sent = False

    def after_send():
        nonlocal sent
        outbox.record_sent(delivery)
        sent = True  # from here on, whatever fails, never send again
        outbox.after_sent(delivery)

    try:
        outbox.perform(delivery, after_send)
    except Exception as error:
        if sent:
            # Recorded as sent; only the bookkeeping after it or closing the connection failed.
            logger.warning("Lead delivery %s sent, but a later step failed: %s", delivery.pk, error)
            return "sent"
        countdown = outbox.retry_countdown(delivery.attempts)
        final = outbox.record_failure(delivery, error, countdown)
        logger.warning(
            "Lead delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, error
        )
        if final or self.request.is_eager:
            # Eager (no broker, `make run`): don't block the visitor's request with retries;
            # the row stays pending with its error for the admin and a later sweep.
            return "failed" if final else "pending"
        raise self.retry(countdown=countdown) from error
    return "sent"


@shared_task(ignore_result=True)
def sweep_deliveries(grace_seconds: float | None = None) -> int:
    """Re-queue deliveries that should have gone by now: pending past their retry time (the
    broker was down, a retry message was lost) or stuck "sending" past the lease (a worker
    died). Runs from beat every LEADS_SWEEP_INTERVAL_SECONDS."""
    now = timezone.now()
    grace = settings.LEADS_SWEEP_GRACE_SECONDS if grace_seconds is None else grace_seconds
    lease = timedelta(seconds=settings.LEADS_DELIVERY_LEASE_SECONDS)
    due = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now - timedelta(seconds=grace))
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
    ).values_list("pk", flat=True)[: settings.LEADS_SWEEP_BATCH]
    ids = list(due)
    # Leads whose last delivery was recorded sent by a worker that died before updating the lead.
    stale = Lead.objects.filter(
        delivery_status=Lead.DeliveryStatus.PENDING, created_at__lt=now - timedelta(seconds=grace)
    ).exclude(deliveries__status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.FAILED])
    for lead_id in stale.values_list("pk", flat=True)[: settings.LEADS_SWEEP_BATCH]:
        outbox.update_lead_delivery_status(lead_id)
    if ids:
        # Push next_attempt_at on, so the next sweep doesn't queue them again at once.
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(next_attempt_at=now)
        logger.info("Sweeper re-queuing %s lead deliveries", len(ids))
        services.enqueue(ids)
    return len(ids)


@shared_task(ignore_result=True)
def send_reminders() -> int:
    due = services.leads_due_for_reminder()
    for lead in due:
        services.schedule_reminder(lead)
    return len(due)


@shared_task(ignore_result=True)
def delete_expired_leads() -> int:
    deleted = services.delete_expired_leads()
    if deleted:
        logger.info(
            "Retention: deleted %s appointment requests older than %s days", deleted, settings.LEADS_RETENTION_DAYS
        )
    return deleted
