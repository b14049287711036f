"""The Celery application. Workers: `celery -A cms worker`; periodic work: `celery -A cms beat`.

Settings come from Django's settings with the CELERY_ prefix; tasks are discovered in each
app's `tasks.py`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
