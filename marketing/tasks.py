"""Periodic marketing work (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import health, recorder, stats, visitors


@shared_task(ignore_result=True)
def flush_events() -> int:
    """Write the events buffered in Redis by /go/ and the beacon."""
    if not recorder.buffering():
        return 0
    return recorder.flush_buffer()


@shared_task(ignore_result=True)
def rollup_stats() -> int:
    """Rebuild the last days' stats from the events (three days: a worker that was down over a
    weekend catches up; `manage.py rollup_marketing_stats --days N` rebuilds further back)."""
    if recorder.buffering():
        recorder.flush_buffer()
    return stats.rollup_recent(days=3)


@shared_task(ignore_result=True)
def check_link_health() -> int:
    return health.check_links()


@shared_task(ignore_result=True)
def delete_old_visitor_salts() -> int:
    """Once a salt is gone, that day's visitor keys can never be recomputed."""
    return visitors.delete_old_salts()


@shared_task(ignore_result=True)
def delete_old_events() -> int:
    """Raw events are kept MARKETING_EVENT_RETENTION_DAYS; the daily stats built from them stay."""
    return stats.delete_old_events()
