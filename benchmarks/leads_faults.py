"""Fault-injection benchmark for appointment requests: submit N leads (default 1,000) while
Redis is restarted, SMTP refuses mail for a while and the Celery worker is killed once; then
count the emails that reach the inbox and the duplicates (by Message-ID).

Runs its own redis-server, aiosmtpd server and Celery worker (with beat for the sweeper) on the
ports given below, against DATABASE_URL (PostgreSQL, migrated: `manage.py migrate`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4l_bench \
      .venv/bin/python benchmarks/leads_faults.py --leads 1000
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--leads", type=int, default=1000)
parser.add_argument("--redis-port", type=int, default=8140)
parser.add_argument("--smtp-port", type=int, default=8141)
parser.add_argument("--timeout", type=float, default=600)
args = parser.parse_args()

BROKER = f"redis://127.0.0.1:{args.redis_port}/0"
INBOX = "frontdesk@bench.test"
ENV = {
    "REDIS_URL": BROKER,
    "CELERY_BROKER_URL": BROKER,
    "EMAIL_URL": f"smtp://127.0.0.1:{args.smtp_port}",
    "SCHEDULING_INBOX_EMAIL": INBOX,
    "LEADS_RETRY_BACKOFF_SECONDS": "0.5",
    "LEADS_RETRY_BACKOFF_MAX_SECONDS": "5",
    "LEADS_DELIVERY_MAX_ATTEMPTS": "30",
    "LEADS_BUSY_RETRY_SECONDS": "2",
    "LEADS_SWEEP_INTERVAL_SECONDS": "3",
    "LEADS_SWEEP_GRACE_SECONDS": "10",
    "LEADS_DELIVERY_LEASE_SECONDS": "20",
    "LEADS_RATE_LIMIT": "1000000",
    "DJANGO_SETTINGS_MODULE": "tests.marketing.leads.worker_settings",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.test import Client  # noqa: E402

from marketing.leads.forms import sign_timestamp  # noqa: E402
from marketing.leads.models import Lead  # noqa: E402


class Inbox:
    def __init__(self):
        self.ids = collections.Counter()
        self.refuse_until = 0.0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if time.monotonic() < self.refuse_until:
            self.refused += 1
            return "451 4.3.0 Try again later"
        if INBOX in envelope.rcpt_tos:
            for line in envelope.content.decode(errors="replace").splitlines():
                if line.lower().startswith("message-id:") or line.startswith(" <appointment-request-"):
                    value = line.split(":", 1)[-1].strip()
                    if value:
                        self.ids[value] += 1
        return "250 OK"


def start_redis():
    return subprocess.Popen(
        ["redis-server", "--port", str(args.redis_port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
    )


def start_worker():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--beat", "--concurrency=4", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h", "-s", "/tmp/leads-bench-beat"],
        cwd=ROOT, env=env, stdout=open("/tmp/leads-bench-worker.log", "a"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def main():
    Lead.objects.all().delete()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    redis = start_redis()
    time.sleep(0.5)
    worker = start_worker()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    events = []
    started = time.monotonic()
    ts = sign_timestamp(time.time() - 60)
    n = args.leads
    for i in range(n):
        if i == n // 5:
            events.append(f"{time.monotonic() - started:.1f}s: SMTP refuses mail for 10 s")
            inbox.refuse_until = time.monotonic() + 10
        if i == 2 * n // 5:
            events.append(f"{time.monotonic() - started:.1f}s: Redis stopped (queue lost), restarted 3 s later")
            redis.terminate()
            redis.wait()
            threading.Timer(3, lambda: globals().__setitem__("redis_restarted", start_redis())).start()
        if i == 3 * n // 5:
            events.append(f"{time.monotonic() - started:.1f}s: worker killed (SIGKILL), restarted 2 s later")
            children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
            os.kill(worker.pid, signal.SIGKILL)
            for child in children:
                os.kill(int(child), signal.SIGKILL)
            worker.wait()
            time.sleep(2)
            worker = start_worker()
        response = client.post(
            "/appointments/request/",
            {"name": f"Bench Patient {i}", "phone": "314-555-0100", "consent": "on", "ts": ts, "page": "/bench/"},
        )
        assert response.status_code == 303, response.status_code
    submitted = time.monotonic() - started
    deadline = time.monotonic() + args.timeout
    while len(inbox.ids) < n and time.monotonic() < deadline:
        time.sleep(0.5)
    delivered_at = time.monotonic() - started
    time.sleep(10)  # let any duplicate still in flight arrive before counting
    duplicates = sum(c - 1 for c in inbox.ids.values() if c > 1)
    print(f"leads submitted: {n} in {submitted:.1f}s")
    for line in events:
        print("  " + line)
    print(f"SMTP refusals: {inbox.refused}")
    print(f"distinct inbox emails: {len(inbox.ids)} (all in by {delivered_at:.1f}s)")
    print(f"duplicates: {duplicates}")
    print(f"leads marked delivered: {Lead.objects.filter(delivery_status='delivered').count()}")
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    globals().get("redis_restarted", redis).terminate()
    smtp.stop()
    return 0 if len(inbox.ids) == n and duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
