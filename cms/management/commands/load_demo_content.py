"""Build the demo site (see cms/demo.py). Idempotent: a second run changes nothing."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from cms.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoContent, ensure_demo_login, run_hooks


class Command(BaseCommand):
    help = "Create the demo site from cms/demo_content/ (and each app's demo.py), plus a demo login under DEBUG."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-login",
            action="store_true",
            help=f"Create the demo superuser {DEMO_USERNAME!r} even though DEBUG is off. Never on a public server.",
        )

    def handle(self, *args, with_demo_login=False, **options):
        verbose = options["verbosity"] > 1
        demo = DemoContent(log=self.stdout.write if verbose else lambda message: None)
        # One transaction: a failure part-way leaves the database as it was, so the next run
        # starts clean instead of skipping half-built pages.
        with _quiet_logs(not verbose), transaction.atomic():
            apps_called = run_hooks(demo)
            login = settings.DEBUG or with_demo_login
            if login:
                ensure_demo_login(demo)

        if demo.created:
            count = len(demo.created)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content: created {count} item{'s' if count != 1 else ''} (from {', '.join(apps_called)})."
                )
            )
        else:
            self.stdout.write("Demo content: already loaded, nothing changed.")
        if login:
            self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "Demo login not created: DEBUG is off. Pass --with-demo-login to create it anyway "
                    "(never on a public server)."
                )
            )


@contextmanager
def _quiet_logs(quiet: bool):
    """Wagtail logs every page creation and background task at INFO; at normal verbosity the
    command's own summary is what `make run` users need to see."""
    loggers = [logging.getLogger(name) for name in ("wagtail", "django_tasks")] if quiet else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
