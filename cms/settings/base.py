"""Settings shared by every environment.

Safe by default: DEBUG is off, secrets come only from the environment (django-environ),
SQLite is the local fallback. Every variable read here is listed in `.env.example` and in
the README's settings table.
"""

from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "marketing",
    "marketing.leads",
    "shop",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compress to a quarter of their size (static files come pre-compressed from
    # WhiteNoise above). Outside the page cache, so one cached copy serves every client.
    # Django masks CSRF tokens per response, which defeats BREACH on them.
    "django.middleware.gzip.GZipMiddleware",
    # Before sessions and auth: a cached page is answered without touching them.
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: without REDIS_URL the site runs on one machine with a local-memory cache
# and Celery tasks run in-process (see CELERY_TASK_ALWAYS_EAGER below).
REDIS_URL = env.str("REDIS_URL", default="")
# A Redis outage degrades the cache to misses instead of taking the site down; work that must
# not be lost never lives only in the cache.
REDIS_CACHE_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="m4l"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: SMTP by default (EMAIL_URL, e.g. smtp://user:pass@host:587/?tls=True).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="More 4 Life PT <noreply@more4lifept.com>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", address) for address in env.list("ADMIN_EMAILS", default=[])]

# Celery (see cms/celery.py). Without a broker, tasks run eagerly in-process so `make run`
# works on a bare machine.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# Periodic work; each app adds its entries in its own module (see cms/celery.py).
CELERY_BEAT_SCHEDULE: dict = {}

# Wagtail
WAGTAIL_SITE_NAME = "More 4 Life Physical Therapy"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "cms.CustomImage"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp", "avif": "avif"}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": env.str("SEARCH_BACKEND", default="wagtail.search.backends.database"),
        **({"URLS": env.list("SEARCH_URLS")} if env.str("SEARCH_URLS", default="") else {}),
    }
}
WAGTAILFRONTENDCACHE = {}
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
    }

# Whole-page cache for anonymous visitors, in seconds; 0 turns it off. Invalidated on publish
# (cms/signals.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)

# The clinic's scheduling inbox when the site setting is empty.
SCHEDULING_INBOX_EMAIL = env.str("SCHEDULING_INBOX_EMAIL", default="frontdesk@more4lifept.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# == leads (appointment requests; see docs/leads.md) ==
LEADS_EMAIL_INCLUDE_HEALTH_DETAILS = env.bool("LEADS_EMAIL_INCLUDE_HEALTH_DETAILS", default=False)
LEADS_WEBHOOK_URL = env.str("LEADS_WEBHOOK_URL", default="")
LEADS_WEBHOOK_SECRET = env.str("LEADS_WEBHOOK_SECRET", default="")
LEADS_WEBHOOK_INCLUDE_HEALTH_DETAILS = env.bool("LEADS_WEBHOOK_INCLUDE_HEALTH_DETAILS", default=False)
LEADS_WEBHOOK_TIMEOUT_SECONDS = env.float("LEADS_WEBHOOK_TIMEOUT_SECONDS", default=10)
LEADS_MIN_FILL_SECONDS = env.float("LEADS_MIN_FILL_SECONDS", default=3)
LEADS_FORM_MAX_AGE_SECONDS = env.int("LEADS_FORM_MAX_AGE_SECONDS", default=7 * 24 * 3600)
LEADS_RATE_LIMIT = env.int("LEADS_RATE_LIMIT", default=5)
LEADS_RATE_LIMIT_WINDOW_SECONDS = env.int("LEADS_RATE_LIMIT_WINDOW_SECONDS", default=3600)
LEADS_RATE_LIMIT_DROP_FACTOR = env.int("LEADS_RATE_LIMIT_DROP_FACTOR", default=10)
LEADS_DELIVERY_MAX_ATTEMPTS = env.int("LEADS_DELIVERY_MAX_ATTEMPTS", default=8)
LEADS_RETRY_BACKOFF_SECONDS = env.float("LEADS_RETRY_BACKOFF_SECONDS", default=30)
LEADS_RETRY_BACKOFF_MAX_SECONDS = env.float("LEADS_RETRY_BACKOFF_MAX_SECONDS", default=3600)
LEADS_BUSY_RETRY_SECONDS = env.float("LEADS_BUSY_RETRY_SECONDS", default=30)
LEADS_DELIVERY_LEASE_SECONDS = env.int("LEADS_DELIVERY_LEASE_SECONDS", default=600)
LEADS_SWEEP_INTERVAL_SECONDS = env.int("LEADS_SWEEP_INTERVAL_SECONDS", default=60)
LEADS_SWEEP_GRACE_SECONDS = env.int("LEADS_SWEEP_GRACE_SECONDS", default=60)
LEADS_SWEEP_BATCH = env.int("LEADS_SWEEP_BATCH", default=500)
LEADS_REMINDER_AFTER_BUSINESS_HOURS = env.float("LEADS_REMINDER_AFTER_BUSINESS_HOURS", default=4)
LEADS_BUSINESS_HOURS_START = env.int("LEADS_BUSINESS_HOURS_START", default=8)
LEADS_BUSINESS_HOURS_END = env.int("LEADS_BUSINESS_HOURS_END", default=17)
LEADS_BUSINESS_DAYS = [int(d) for d in env.list("LEADS_BUSINESS_DAYS", default=["0", "1", "2", "3", "4"])]
LEADS_ACTION_LINK_MAX_AGE_DAYS = env.int("LEADS_ACTION_LINK_MAX_AGE_DAYS", default=14)
LEADS_RETENTION_DAYS = env.int("LEADS_RETENTION_DAYS", default=365)  # the privacy page promises 12 months
CELERY_BEAT_SCHEDULE.update(
    {
        "leads-sweep-deliveries": {
            "task": "marketing.leads.tasks.sweep_deliveries",
            "schedule": LEADS_SWEEP_INTERVAL_SECONDS,
        },
        "leads-send-reminders": {"task": "marketing.leads.tasks.send_reminders", "schedule": 15 * 60},
        "leads-delete-expired": {"task": "marketing.leads.tasks.delete_expired_leads", "schedule": 24 * 3600},
    }
)
# == end leads ==
# == marketing (offers, tracked links, events) ==
from celery.schedules import crontab  # noqa: E402

# Buffer /go/ clicks and beacon events in Redis and write them in batches (Celery); off
# without Redis, where each event is written at once.
MARKETING_REDIS_URL = env.str("MARKETING_REDIS_URL", default=REDIS_URL)
MARKETING_EVENT_BUFFER = env.bool("MARKETING_EVENT_BUFFER", default=bool(MARKETING_REDIS_URL))
MARKETING_LINK_CACHE_SECONDS = env.int("MARKETING_LINK_CACHE_SECONDS", default=30)
MARKETING_BEACON_RATE_PER_MINUTE = env.int("MARKETING_BEACON_RATE_PER_MINUTE", default=60)
MARKETING_LINK_CHECK_TIMEOUT = env.float("MARKETING_LINK_CHECK_TIMEOUT", default=10.0)
MARKETING_DISCLOSURE_URL = env.str("MARKETING_DISCLOSURE_URL", default="/affiliate-disclosure/")
MARKETING_AMAZON_DEFAULT_TAG = env.str("MARKETING_AMAZON_DEFAULT_TAG", default="")
MARKETING_EVENT_RETENTION_DAYS = env.int("MARKETING_EVENT_RETENTION_DAYS", default=400)
CELERY_BEAT_SCHEDULE.update(
    {
        "marketing-flush-events": {"task": "marketing.tasks.flush_events", "schedule": 10.0},
        "marketing-rollup-stats": {"task": "marketing.tasks.rollup_stats", "schedule": 600.0},
        "marketing-link-health": {"task": "marketing.tasks.check_link_health", "schedule": crontab(hour=5, minute=17)},
        "marketing-delete-old-salts": {
            "task": "marketing.tasks.delete_old_visitor_salts",
            "schedule": crontab(hour=0, minute=30),
        },
        "marketing-delete-old-events": {
            "task": "marketing.tasks.delete_old_events",
            "schedule": crontab(hour=3, minute=40),
        },
    }
)
# == end marketing ==
