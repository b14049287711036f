"""`runserver` that says where the site and the admin are and how to log in (for `make run`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.db import DatabaseError

from cms.demo import DEMO_PASSWORD, DEMO_USERNAME


class Command(RunserverCommand):
    help = "Run the development server and print the site and admin URLs with the demo login."

    def inner_run(self, *args, **options):
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        base = f"http://{host}:{self.port}"
        try:
            demo_user = get_user_model().objects.filter(username=DEMO_USERNAME, is_active=True).exists()
        except DatabaseError:  # not migrated yet: the server still starts and says so on each page
            demo_user = False
        login = (
            f"login: {DEMO_USERNAME} / {DEMO_PASSWORD}"
            if demo_user
            else "no demo login; create one with `manage.py createsuperuser`"
        )
        mail = getattr(settings, "EMAIL_FILE_PATH", None) or settings.EMAIL_BACKEND
        self.stdout.write(
            self.style.SUCCESS(
                "\n  More 4 Life Physical Therapy is running.\n"
                f"  Site:  {base}/\n"
                f"  Admin: {base}/admin/  ({login})\n"
                f"  Mail sink: {mail}\n"
            )
        )
        super().inner_run(*args, **options)
