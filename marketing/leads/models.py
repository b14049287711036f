"""Appointment requests (leads), their deliveries (the outbox) and their timeline.

A lead holds health information ("what hurts"): only the front desk and administrators can
see it in the admin (permissions granted in migrations/0002_roles.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.page_base import BasePage


class AppointmentRequestPage(BasePage):
    """The standalone "Request an appointment" page: the form, the clinic's phone beside it."""

    template = "leads/appointment_request_page.html"
    max_count = 1
    subpage_types: list[str] = []

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        default="<p>Tell us how to reach you and when suits you; the front desk will call you back "
        "within one business day to find a time.</p>",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        from .forms import blank_form

        context = super().get_context(request, *args, **kwargs)
        context["lead_form"] = blank_form(request, page_path=self.get_url(request) or request.path)
        return context


class Lead(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        NOT_A_FIT = "not_a_fit", "Not a fit"
        SPAM = "spam", "Spam"

    class DeliveryStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        HELD = "held", "Held (spam, not delivered)"

    class Time(models.TextChoices):
        MORNING = "morning", "Mornings"
        AFTERNOON = "afternoon", "Afternoons"
        EVENING = "evening", "Evenings"

    class Day(models.TextChoices):
        MON = "mon", "Monday"
        TUE = "tue", "Tuesday"
        WED = "wed", "Wednesday"
        THU = "thu", "Thursday"
        FRI = "fri", "Friday"
        SAT = "sat", "Saturday"

    class HeardAbout(models.TextChoices):
        ARTICLE = "article", "An article on this site"
        SEARCH = "search", "Google or another search engine"
        YOUTUBE = "youtube", "YouTube"
        SOCIAL = "social", "Facebook or Instagram"
        DOCTOR = "doctor", "My doctor"
        FRIEND = "friend", "A friend or family member"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_days = models.JSONField(default=list, blank=True)
    preferred_times = models.JSONField(default=list, blank=True)
    concern = models.TextField(
        "What hurts", max_length=1000, blank=True, help_text="Health information: never put in emails by default."
    )
    heard_about = models.CharField(max_length=20, choices=HeardAbout.choices, blank=True)
    consent_at = models.DateTimeField(null=True, editable=False, help_text="When the visitor agreed to be contacted.")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    delivery_status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True, editable=False
    )
    spam_reason = models.CharField(max_length=100, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who at the front desk is handling this request.",
    )
    notes = models.TextField(blank=True, help_text="Internal notes; the patient never sees them.")
    touch = models.ForeignKey(
        "marketing.Touch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    first_contacted_at = models.DateTimeField(null=True, blank=True, editable=False)
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "appointment request"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        # No name here: str() ends up in Wagtail's audit log, which outlives an erased lead.
        return f"Request #{self.pk} of {self.created_at:%Y-%m-%d}" if self.pk else "New request"

    def save(self, *args, **kwargs):
        # Every path that moves a lead on (admin, signed email link) records the first contact,
        # so time to first contact is right whichever way the front desk works.
        now = timezone.now()
        if self.status in (self.Status.CONTACTED, self.Status.SCHEDULED) and not self.first_contacted_at:
            self.first_contacted_at = now
        if self.status == self.Status.SCHEDULED and not self.scheduled_at:
            self.scheduled_at = now
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        """'Jane D.': enough for the front desk to scan a subject line, not a full name."""
        parts = self.name.split()
        if not parts:
            return "Unknown"
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0].upper()}."

    @property
    def preference_summary(self) -> str:
        times = [label.lower() for value, label in self.Time.choices if value in (self.preferred_times or [])]
        days = [label[:3] for value, label in self.Day.choices if value in (self.preferred_days or [])]
        bits = []
        if times:
            bits.append("prefers " + ", ".join(times))
        if days:
            bits.append(("on " if bits else "prefers ") + "/".join(days))
        return " ".join(bits) or "any time"

    @property
    def preferred_days_display(self) -> str:
        return ", ".join(label for value, label in self.Day.choices if value in (self.preferred_days or [])) or "Any"

    @property
    def preferred_times_display(self) -> str:
        return ", ".join(label for value, label in self.Time.choices if value in (self.preferred_times or [])) or "Any"

    @property
    def time_to_first_contact(self):
        return self.first_contacted_at - self.created_at if self.first_contacted_at else None

    @property
    def is_spam(self) -> bool:
        return self.status == self.Status.SPAM


class Delivery(models.Model):
    """One piece of outgoing work for a lead (the outbox). Unique per lead and channel, so a
    repeated or duplicated task finds the row already sent and sends nothing."""

    class Channel(models.TextChoices):
        INBOX = "inbox", "Email to the scheduling inbox"
        ACKNOWLEDGEMENT = "ack", "Acknowledgement to the patient"
        WEBHOOK = "webhook", "Webhook"
        REMINDER = "reminder", "Reminder to the scheduling inbox"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True, help_text="The Celery task id holding the delivery.")
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lead", "channel"], name="leads_one_delivery_per_channel")]
        ordering = ["created_at", "pk"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.get_channel_display()} for lead {self.lead_id}: {self.status}"


class LeadEvent(models.Model):
    """The lead's timeline: delivery attempts and status changes, in words the front desk reads."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=30)
    message = models.CharField(max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.message}"
