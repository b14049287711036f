"""Settings for the real Celery worker the lead tests start: the test settings, with SMTP to
the test's aiosmtpd server (EMAIL_URL) and a real broker instead of eager tasks."""

from cms.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
CONN_MAX_AGE = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - let the test database be dropped at the end
