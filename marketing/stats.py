"""Daily rollups of events (what the admin listings and reports read) and the period queries
on them. A day's rollup is rebuilt from raw events, so rebuilding gives the same numbers."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import DailyStat, Event

CLICKS = Q(type__in=Event.CLICK_TYPES)
COPIES = Q(type=Event.CODE_COPY)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def rollup_day(day: date) -> int:
    """Rebuild the DailyStat rows of one (local) day from its events. Returns rows written."""
    start, end = _day_bounds(day)
    events = Event.objects.filter(created_at__gte=start, created_at__lt=end, is_bot=False)
    rows = []
    for kind, field in ((DailyStat.LINK, "link_id"), (DailyStat.OFFER, "offer_id")):
        grouped = (
            events.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(
                clicks=Count("pk", filter=CLICKS),
                unique_clicks=Count("visitor_key", filter=CLICKS, distinct=True),
                copies=Count("pk", filter=COPIES),
            )
        )
        rows += [
            DailyStat(
                day=day,
                kind=kind,
                object_id=row[field],
                clicks=row["clicks"],
                unique_clicks=row["unique_clicks"],
                copies=row["copies"],
            )
            for row in grouped
            if row["clicks"] or row["copies"]
        ]
    with transaction.atomic():
        DailyStat.objects.filter(day=day).delete()
        DailyStat.objects.bulk_create(rows)
    return len(rows)


def rollup_recent(days: int = 2) -> int:
    today = timezone.localdate()
    return sum(rollup_day(today - timedelta(days=n)) for n in range(days))


def default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=29), today


def with_stats(queryset: QuerySet, kind: str, start: date, end: date) -> QuerySet:
    """Annotate links or offers with clicks, unique_clicks and copies between two days (inclusive)."""
    stats = DailyStat.objects.filter(kind=kind, object_id=OuterRef("pk"), day__gte=start, day__lte=end)

    def total(field):
        summed = stats.values("object_id").annotate(total=Sum(field)).values("total")
        return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))

    return queryset.annotate(clicks=total("clicks"), unique_clicks=total("unique_clicks"), copies=total("copies"))


def delete_old_events(today: date | None = None) -> int:
    """Delete raw events older than the retention period, whole days at a time, after rolling
    those days up one last time so their stats stay."""
    from django.conf import settings

    today = today or timezone.localdate()
    keep_from = _day_bounds(today - timedelta(days=settings.MARKETING_EVENT_RETENTION_DAYS - 1))[0]
    old = Event.objects.filter(created_at__lt=keep_from)
    for day in old.dates("created_at", "day"):
        rollup_day(day)
    deleted, _ = old.delete()
    return deleted
