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
    """Rebuild today's and yesterday's daily stats from the events."""
    if recorder.buffering():
        recorder.flush_buffer()
    return stats.rollup_recent(days=2)


@shared_task(ignore_result=True)
def check_link_health() -> int:
    return health.check_links()


@shared_task(ignore_result=True)
def delete_old_visitor_salts() -> int:
    """Once a salt is gone, that day's visitor keys can never be recomputed."""
    return visitors.delete_old_salts()
