"""Settings for the test suite. Real services are used where the environment names them
(DATABASE_URL, REDIS_URL); tests that need them fail, not skip, when CI=true and they are
missing."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# The Redis cache outlives each test database: a key prefix per test run keeps one run's cached
# pages and renditions from pointing into the next run's empty database. Exported so that the
# Celery worker a test starts shares the prefix.
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    import os
    import uuid

    os.environ.setdefault("TEST_CACHE_KEY_PREFIX", f"m4l-test-{uuid.uuid4().hex[:8]}")
    CACHES["default"]["KEY_PREFIX"] = os.environ["TEST_CACHE_KEY_PREFIX"]  # noqa: F405
