"""`runserver` that says where the site and the admin are and how to log in (for `make run`)."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from cms.demo import DEMO_PASSWORD, DEMO_USERNAME


class Command(RunserverCommand):
    def inner_run(self, *args, **options):
        base = f"http://{self.addr if not self._raw_ipv6 else f'[{self.addr}]'}:{self.port}"
        self.stdout.write(
            self.style.SUCCESS(
                "\n  More 4 Life Physical Therapy is running.\n"
                f"  Site:  {base}/\n"
                f"  Admin: {base}/admin/  (login: {DEMO_USERNAME} / {DEMO_PASSWORD})\n"
                f"  Mail sink: {getattr(settings, 'EMAIL_FILE_PATH', 'console')}\n"
            )
        )
        super().inner_run(*args, **options)
