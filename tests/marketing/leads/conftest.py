"""Fixtures for appointment requests: pages with the form, form data, and the real services
(an aiosmtpd server, a webhook receiver, a Celery worker subprocess on Redis).

The worker is started once per session and reads the Django test database, so the tests that
use it need PostgreSQL and `transactional_db`; on any other database they fail with a clear
message rather than skip."""

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

SMTP_PORT = int(os.environ.get("LEADS_TEST_SMTP_PORT", "8131"))
WEBHOOK_PORT = int(os.environ.get("LEADS_TEST_WEBHOOK_PORT", "8132"))
CLOSED_PORT = int(os.environ.get("LEADS_TEST_CLOSED_PORT", "8149"))  # nothing listens here
BROKER_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
WEBHOOK_SECRET = "test-webhook-secret"
INBOX = "frontdesk@example.test"
ALERTS = "alerts@example.test"
ROOT = Path(__file__).resolve().parents[3]


def wait_for(predicate, timeout: float = 20, interval: float = 0.05, message: str = "condition"):
    """Poll until predicate() is truthy (returns its value) or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


# --- Page and form fixtures -----------------------------------------------------------------


@pytest.fixture
def article_with_form(article_index):
    from cms.models import ArticlePage

    article = ArticlePage(
        title="Can't Lift Leg To Get In Car?",
        slug="cant-lift-leg-to-get-in-car",
        summary="Why lifting your leg into the car hurts, and what helps.",
        body=[
            ("paragraph", "<p>Many people with hip pain find it hard to lift their leg.</p>"),
            ("appointment_form", {"heading": "Request an appointment"}),
        ],
    )
    article_index.add_child(instance=article)
    article.save_revision().publish()
    return article


@pytest.fixture
def request_page(home_page):
    from marketing.leads.models import AppointmentRequestPage

    page = home_page.add_child(
        instance=AppointmentRequestPage(title="Request an appointment", slug="request-appointment")
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def form_data():
    """Valid POST data as a visitor who took a minute to fill the form would send it."""
    from marketing.leads.forms import sign_timestamp

    def make(**overrides):
        data = {
            "name": "Jane Doe",
            "phone": "314-555-0134",
            "email": "jane@example.test",
            "preferred_days": ["mon", "wed"],
            "preferred_times": ["morning"],
            "concern": "Right hip, hard to get into the car",
            "heard_about": "article",
            "consent": "on",
            "website": "",
            "ts": sign_timestamp(time.time() - 60),
            "page": "/articles/cant-lift-leg-to-get-in-car/",
            "utm_source": "newsletter",
            "utm_medium": "email",
            "utm_campaign": "hip-pain-spring",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    # Only the rate-limit keys: flushing the whole Redis database would also drop the broker's
    # queue bindings that the worker declared at start.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("leads:rate:*")
    else:
        cache.clear()
    yield


# --- SMTP server ----------------------------------------------------------------------------


class RecordingInbox:
    """An aiosmtpd handler that records messages and can be told to fail or stall."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.messages = []
        self.fail_next = 0
        self.stall_next = 0
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            stall = self.stall_next > 0
            self.stall_next -= 1 if stall else 0
        if stall:
            import asyncio

            self.stalled.set()
            # Hold the SMTP transaction open (the delivery is "in the middle") until released.
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 Mailbox temporarily unavailable"
            self.messages.append(
                (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=email.policy.default))
            )
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for rcpts, message in self.messages if address in rcpts]


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = RecordingInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


# --- Webhook receiver -----------------------------------------------------------------------


class WebhookLog:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = []
        self.statuses = []  # planned answers, then 200

    def next_status(self):
        return self.statuses.pop(0) if self.statuses else 200


@pytest.fixture(scope="session")
def webhook_receiver():
    log = WebhookLog()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = log.next_status()
            log.requests.append({"headers": dict(self.headers), "body": body, "status": status})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", WEBHOOK_PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield log
    server.shutdown()
    server.server_close()


# --- Celery worker --------------------------------------------------------------------------


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail(
            "The appointment-request delivery tests run a real Celery worker that must read the test "
            "database, which needs PostgreSQL: set DATABASE_URL=postgres://... (SQLite's test database "
            "lives in the test process's memory)."
        )


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`, dropping pooled connections to the old one."""
    from cms.celery import app

    app.conf.broker_url = url
    app.conf.broker_write_url = None
    # kombu keeps one pool per broker URL; dropping the app's references makes the next publish
    # look up the pool for the new URL (closing them would poison kombu's registry).
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return Path(self.log_path).read_text(errors="replace")[-6000:]


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, smtp_server, webhook_receiver, tmp_path_factory):
    _require_postgresql()
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.marketing.leads.worker_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": BROKER_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "EMAIL_TIMEOUT": "20",
        "SCHEDULING_INBOX_EMAIL": INBOX,
        "ADMIN_EMAILS": ALERTS,
        "LEADS_WEBHOOK_URL": f"http://127.0.0.1:{WEBHOOK_PORT}/hooks/leads",
        "LEADS_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LEADS_RETRY_BACKOFF_SECONDS": "0.2",
        "LEADS_RETRY_BACKOFF_MAX_SECONDS": "1",
        "LEADS_BUSY_RETRY_SECONDS": "0.3",
        "LEADS_DELIVERY_MAX_ATTEMPTS": "4",
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    log_file = open(log_path, "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=prefork", "--concurrency=2",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", f"leads-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = Worker(process, log_path)
    wait_for(
        lambda: process.poll() is not None or " ready." in worker.log(),
        timeout=60,
        message="the Celery worker to start",
    )
    if process.poll() is not None:
        pytest.fail(f"The Celery worker exited at start:\n{worker.log()}")
    yield worker
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log_file.close()


@pytest.fixture
def live_delivery(celery_worker, transactional_db, smtp_server, webhook_receiver, settings):
    """This process enqueues to the real broker (not eagerly) for one test; the session's worker
    delivers to the test SMTP server and webhook receiver."""
    from cms.celery import app

    settings.SCHEDULING_INBOX_EMAIL = INBOX
    app.conf.task_always_eager = False
    _use_broker(BROKER_URL)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    smtp_server.reset()
    webhook_receiver.reset()
    yield celery_worker
    smtp_server.release.set()
    app.conf.task_always_eager = True


@pytest.fixture
def use_broker():
    return _use_broker


def parse_webhook(request) -> dict:
    return json.loads(request["body"])
