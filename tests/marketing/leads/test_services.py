"""Pure logic and tasks run in-process: business hours, reminders, email contents, demo."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from marketing.leads import delivery, services
from marketing.leads.models import Delivery, Lead

CHICAGO = ZoneInfo("America/Chicago")


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO)  # 2026-11-23 is a Monday


def test_business_hours_skip_nights_and_weekends():
    assert services.business_hours_between(at(23, 9), at(23, 12)) == 3
    assert services.business_hours_between(at(23, 16), at(24, 10)) == 3  # Mon 16-17 + Tue 8-10
    assert services.business_hours_between(at(27, 16), at(30, 9)) == 2  # Fri 16-17, weekend, Mon 8-9
    assert services.business_hours_between(at(28, 9), at(29, 18)) == 0  # Saturday and Sunday
    assert services.business_hours_between(at(24, 10), at(23, 10)) == 0


@hsettings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 1)),
    first=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)),
    second=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)),
)
def test_business_hours_add_up_and_stay_within_wall_time(start, first, second):
    start = start.replace(tzinfo=CHICAGO)
    middle, end = start + first, start + first + second
    total = services.business_hours_between(start, end)
    assert total == pytest.approx(
        services.business_hours_between(start, middle) + services.business_hours_between(middle, end)
    )
    assert 0 <= total <= (end - start).total_seconds() / 3600


@pytest.mark.django_db
def test_reminder_after_business_hours_is_sent_once_as_a_reply(
    home_page, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from marketing.leads.tasks import send_reminders

    settings.LEADS_REMINDER_AFTER_BUSINESS_HOURS = 4
    settings.LEADS_BUSINESS_DAYS = [0, 1, 2, 3, 4, 5, 6]
    settings.LEADS_BUSINESS_HOURS_START, settings.LEADS_BUSINESS_HOURS_END = 0, 24
    due = Lead.objects.create(name="Jane Doe", phone="314-555-0134", created_at=timezone.now() - timedelta(hours=5))
    Lead.objects.create(name="Fresh Lead", phone="314-555-0135", created_at=timezone.now() - timedelta(hours=1))
    Lead.objects.create(
        name="Called Already", phone="314-555-0136", status="contacted", created_at=timezone.now() - timedelta(hours=9)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    [reminder] = mailoutbox
    assert reminder.subject == "Reminder: appointment request: Jane D. - still new"
    assert reminder.extra_headers["In-Reply-To"] == f"<appointment-request-{due.uuid}@more4lifept.com>"
    assert due.deliveries.get(channel="reminder").status == "sent"


@pytest.mark.django_db
def test_health_details_only_with_the_setting(home_page, settings):
    lead = Lead.objects.create(name="Jane Doe", phone="314-555-0134", concern="Sciatica down the left leg")
    inbox = Delivery.objects.create(lead=lead, channel="inbox")
    assert "Sciatica" not in delivery.build_email(inbox).body
    settings.LEADS_EMAIL_INCLUDE_HEALTH_DETAILS = True
    assert "Sciatica" in delivery.build_email(inbox).body


@pytest.mark.django_db
def test_inbox_address_comes_from_the_site_setting(home_page):
    from cms.models import ClinicSettings

    clinic = ClinicSettings.for_site(home_page.get_site())
    clinic.scheduling_inbox_email = "desk@clinic.example"
    clinic.save()
    lead = Lead.objects.create(name="Jane", phone="314-555-0134")
    assert delivery.build_email(Delivery(lead=lead, channel="inbox")).to == ["desk@clinic.example"]


def test_subject_summary_and_backoff(settings):
    lead = Lead(name="  jane   van doe ", preferred_times=["morning", "evening"])
    lead.name = " ".join(lead.name.split())
    assert lead.short_name == "jane D."
    assert lead.preference_summary == "prefers mornings, evenings"
    settings.LEADS_RETRY_BACKOFF_SECONDS, settings.LEADS_RETRY_BACKOFF_MAX_SECONDS = 10, 60
    settings.LEADS_DELIVERY_MAX_ATTEMPTS = 5
    delays = [delivery.retry_countdown(n) for n in range(1, 6)]
    assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20 and 30 <= delays[3] <= 60
    assert delays[4] is None


@pytest.mark.django_db
def test_demo_is_idempotent(article_with_form, home_page):
    from cms.models import ArticlePage
    from marketing.leads.demo import load_demo
    from marketing.leads.models import AppointmentRequestPage

    load_demo(home_page)
    load_demo(home_page)
    assert AppointmentRequestPage.objects.get().url == "/request-appointment/"
    article = ArticlePage.objects.get(pk=article_with_form.pk)
    assert [b.block_type for b in article.body].count("appointment_form") == 1


def test_beat_runs_the_sweeper_reminders_and_retention(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "marketing.leads.tasks.sweep_deliveries",
        "marketing.leads.tasks.send_reminders",
        "marketing.leads.tasks.delete_expired_leads",
    } <= tasks


@pytest.mark.django_db
def test_sweeper_settles_a_lead_whose_worker_died_after_sending(home_page, settings):
    from marketing.leads.tasks import sweep_deliveries

    lead = Lead.objects.create(name="Jane Doe", phone="314-555-0134", created_at=timezone.now() - timedelta(minutes=5))
    Delivery.objects.create(lead=lead, channel="inbox", status="sent", sent_at=timezone.now())
    open_lead = Lead.objects.create(
        name="Bob Roe", phone="314-555-0135", created_at=timezone.now() - timedelta(minutes=5)
    )
    Delivery.objects.create(lead=open_lead, channel="inbox", status="sending", claimed_at=timezone.now())
    sweep_deliveries(grace_seconds=60)
    lead.refresh_from_db()
    open_lead.refresh_from_db()
    assert (lead.delivery_status, open_lead.delivery_status) == ("delivered", "pending")


@pytest.mark.django_db
def test_claims_are_exclusive_until_the_holder_dies_or_the_lease_ends(home_page, settings):
    import subprocess

    lead = Lead.objects.create(name="Jane Doe", phone="314-555-0134")
    row = Delivery.objects.create(lead=lead, channel="inbox")
    first = delivery.claim(row.pk, "task-1")
    assert first.outcome == "claimed" and first.delivery.attempts == 1
    # A second copy while this (living) process holds it backs off.
    assert delivery.claim(row.pk, "task-2").outcome == "busy"
    # The holder's process is gone: take over at once.
    dead = subprocess.Popen(["true"])
    dead.wait()
    Delivery.objects.filter(pk=row.pk).update(claimed_by=f"{delivery.HOSTNAME}:{dead.pid}:task-1")
    taken = delivery.claim(row.pk, "task-2")
    assert taken.outcome == "claimed" and taken.delivery.attempts == 2
    # Another host's claim is only taken over after the lease.
    Delivery.objects.filter(pk=row.pk).update(claimed_by="elsewhere:1:task-3", claimed_at=timezone.now())
    assert delivery.claim(row.pk, "task-4").outcome == "busy"
    settings.LEADS_DELIVERY_LEASE_SECONDS = 0
    assert delivery.claim(row.pk, "task-4").outcome == "claimed"
    delivery.record_sent(row)
    assert delivery.claim(row.pk, "task-5").outcome == "done"
