"""What the form, the tasks and the admin share: saving a lead with its outbox, rate limits,
signed action links, status changes, business hours, export and erasure."""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from marketing.attribution import touch_from_request
from marketing.visitors import visitor_key

from .forms import AppointmentRequestForm
from .models import Delivery, Lead, LeadEvent

logger = logging.getLogger(__name__)

ACTION_SALT = "leads.action-link"
ACTIONS = {"contacted": Lead.Status.CONTACTED, "scheduled": Lead.Status.SCHEDULED}


# --- Saving ---------------------------------------------------------------------------------


def count_request(request: HttpRequest) -> int:
    """How many requests this visitor has sent in the current window, this one included.

    Counted in the cache (Redis in production) by visitor key, so no IP is stored. A cache
    outage must not lose a patient's request, so it counts as the first."""
    key = f"leads:rate:{visitor_key(request)}"
    try:
        cache.add(key, 0, timeout=settings.LEADS_RATE_LIMIT_WINDOW_SECONDS)
        return cache.incr(key)
    except Exception:
        logger.warning("Lead rate limit unavailable (cache error); request accepted", exc_info=True)
        return 1


def channels_for(lead: Lead) -> list[str]:
    channels = [Delivery.Channel.INBOX]
    if lead.email:
        channels.append(Delivery.Channel.ACKNOWLEDGEMENT)
    if settings.LEADS_WEBHOOK_URL:
        channels.append(Delivery.Channel.WEBHOOK)
    return channels


def save_lead(request: HttpRequest, form: AppointmentRequestForm, spam_reason: str = "") -> Lead:
    """Store the lead, its attribution and its outbox in one transaction; hand the deliveries to
    Celery only once that transaction has committed (a worker must find the rows)."""
    data = form.cleaned_data
    with transaction.atomic():
        touch = touch_from_request(request, {k: v for k, v in data.items() if isinstance(v, str)})
        lead = Lead.objects.create(
            name=data["name"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            preferred_days=list(data.get("preferred_days") or []),
            preferred_times=list(data.get("preferred_times") or []),
            concern=data.get("concern", ""),
            heard_about=data.get("heard_about", ""),
            consent_at=timezone.now(),
            touch=touch,
            status=Lead.Status.SPAM if spam_reason else Lead.Status.NEW,
            delivery_status=Lead.DeliveryStatus.HELD if spam_reason else Lead.DeliveryStatus.PENDING,
            spam_reason=spam_reason[:100],
        )
        if spam_reason:
            LeadEvent.objects.create(lead=lead, kind="spam", message=f"Flagged as spam ({spam_reason}); not delivered.")
            return lead
        LeadEvent.objects.create(lead=lead, kind="received", message="Request received on the website.")
        deliveries = [Delivery.objects.create(lead=lead, channel=channel) for channel in channels_for(lead)]
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: enqueue(ids))
    return lead


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to Celery. Never raises: with the broker down, the rows stay pending and
    the sweeper re-queues them later. `retry=False` and the short broker connection timeout
    keep a visitor's request from hanging on an unreachable Redis."""
    from .tasks import deliver

    for delivery_id in delivery_ids:
        try:
            deliver.apply_async((delivery_id,), retry=False)
        except Exception:
            # One connection timeout is enough to know the broker is away; don't make the
            # visitor wait for one per delivery.
            logger.warning(
                "Could not enqueue lead deliveries %s; the sweeper will retry them", delivery_ids, exc_info=True
            )
            return


def release_from_spam(lead: Lead, user=None) -> None:
    """The front desk decided a flagged request is real: deliver it like any other."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.delivery_status != Lead.DeliveryStatus.HELD:
            return
        if lead.status == Lead.Status.SPAM:
            lead.status = Lead.Status.NEW
        lead.delivery_status = Lead.DeliveryStatus.PENDING
        lead.save(update_fields=["status", "delivery_status"])
        LeadEvent.objects.create(lead=lead, kind="not_spam", message="Marked as not spam; delivering.", user=user)
        ids = [Delivery.objects.get_or_create(lead=lead, channel=c)[0].pk for c in channels_for(lead)]
        transaction.on_commit(lambda: enqueue(ids))


# --- Status changes and signed links --------------------------------------------------------


def action_token(lead: Lead, action: str) -> str:
    return signing.dumps({"lead": str(lead.uuid), "action": action}, salt=ACTION_SALT, compress=True)


def read_action_token(token: str) -> tuple[Lead, str]:
    """The lead and action a link stands for. Raises signing.BadSignature (or its subclass
    SignatureExpired) for a forged or expired link, Lead.DoesNotExist for an erased lead."""
    data = signing.loads(token, salt=ACTION_SALT, max_age=timedelta(days=settings.LEADS_ACTION_LINK_MAX_AGE_DAYS))
    if not isinstance(data, dict) or data.get("action") not in ACTIONS:
        raise signing.BadSignature("Unknown action")
    return Lead.objects.get(uuid=data["lead"]), data["action"]


def site_root_url() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    if not root or root.startswith("http://localhost:80"):
        root = settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/")


def action_url(lead: Lead, action: str) -> str:
    return site_root_url() + reverse("leads:action", args=[action_token(lead, action)])


def admin_url(lead: Lead) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("leads_lead:inspect", args=[lead.pk])


def apply_action(lead: Lead, action: str, user=None, via: str = "the email link") -> bool:
    """Move a lead forward (never back). Returns whether anything changed."""
    target = ACTIONS[action]
    order = [Lead.Status.NEW, Lead.Status.CONTACTED, Lead.Status.SCHEDULED]
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.status not in order or order.index(lead.status) >= order.index(target):
            return False
        lead.status = target
        lead.save()
        LeadEvent.objects.create(
            lead=lead, kind=action, message=f"Marked {lead.get_status_display().lower()} via {via}.", user=user
        )
    return True


# --- Business hours, reminders, retention ---------------------------------------------------


def business_hours_between(start: datetime, end: datetime) -> float:
    """Working hours (LEADS_BUSINESS_DAYS, LEADS_BUSINESS_HOURS_START..END, local time) between
    two moments. Hand-written: a dozen lines beat a calendar dependency."""
    if end <= start:
        return 0.0
    tz = timezone.get_current_timezone()
    start, end = start.astimezone(tz), end.astimezone(tz)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if day.weekday() in settings.LEADS_BUSINESS_DAYS:
            midnight = datetime.combine(day, time(0))
            open_at = timezone.make_aware(midnight + timedelta(hours=settings.LEADS_BUSINESS_HOURS_START), tz)
            close_at = timezone.make_aware(midnight + timedelta(hours=settings.LEADS_BUSINESS_HOURS_END), tz)
            overlap = min(end, close_at) - max(start, open_at)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def leads_due_for_reminder(now: datetime | None = None):
    now = now or timezone.now()
    hours = settings.LEADS_REMINDER_AFTER_BUSINESS_HOURS
    # A lead can't be due before `hours` wall-clock hours; older than 30 days is too late to nag.
    candidates = Lead.objects.filter(
        status=Lead.Status.NEW,
        reminder_sent_at__isnull=True,
        created_at__lte=now - timedelta(hours=hours),
        created_at__gte=now - timedelta(days=30),
    )
    return [lead for lead in candidates if business_hours_between(lead.created_at, now) >= hours]


def schedule_reminder(lead: Lead) -> None:
    with transaction.atomic():
        updated = Lead.objects.filter(pk=lead.pk, status=Lead.Status.NEW, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if not updated:
            return
        delivery, _ = Delivery.objects.get_or_create(lead=lead, channel=Delivery.Channel.REMINDER)
        LeadEvent.objects.create(lead=lead, kind="reminder", message="Still new: reminder queued for the inbox.")
        transaction.on_commit(lambda: enqueue([delivery.pk]))


def delete_expired_leads(now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.LEADS_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(Lead.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:500])
        if not ids:
            return deleted
        Lead.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


# --- Export and erasure ---------------------------------------------------------------------


def request_details(lead: Lead) -> dict:
    """Who asked and when they can come, without health details: shared by the webhook payload
    and the export, so the two never describe a request differently."""
    return {
        "id": str(lead.uuid),
        "created_at": lead.created_at.isoformat(),
        "name": lead.name,
        "phone": lead.phone,
        "email": lead.email,
        "preferred_days": lead.preferred_days,
        "preferred_times": lead.preferred_times,
        "heard_about": lead.heard_about,
    }


def export_lead(lead: Lead) -> dict:
    """Everything stored about one request, for a patient who asks for their data."""
    touch = lead.touch
    return {
        **request_details(lead),
        "concern": lead.concern,
        "consent_at": lead.consent_at.isoformat() if lead.consent_at else None,
        "status": lead.status,
        "notes": lead.notes,
        "first_contacted_at": lead.first_contacted_at.isoformat() if lead.first_contacted_at else None,
        "scheduled_at": lead.scheduled_at.isoformat() if lead.scheduled_at else None,
        "source": {
            "page": touch.page_path,
            "source": touch.source,
            "medium": touch.medium,
            "campaign": touch.campaign,
            "video": touch.video,
        }
        if touch
        else None,
        "deliveries": [
            {
                "channel": d.channel,
                "status": d.status,
                "attempts": d.attempts,
                "sent_at": d.sent_at and d.sent_at.isoformat(),
            }
            for d in lead.deliveries.all()
        ],
        "timeline": [{"at": e.at.isoformat(), "message": e.message} for e in lead.events.all()],
    }


def erase_lead(lead: Lead) -> None:
    """Delete the request with its deliveries, timeline and (by the post_delete signal in
    signals.py) its attribution touch."""
    lead.delete()
    logger.info("Appointment request erased on request")
