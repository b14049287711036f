from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from marketing import recorder
from marketing.stats import rollup_day


class Command(BaseCommand):
    help = "Rebuild the daily click/copy stats of the last N days from the raw events."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days: int, **options):
        if recorder.buffering():
            self.stdout.write(f"flushed {recorder.flush_buffer()} buffered events")
        today = timezone.localdate()
        for n in range(days):
            day = today - timedelta(days=n)
            self.stdout.write(f"{day}: {rollup_day(day)} rows")
