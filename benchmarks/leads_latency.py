"""Latency of appointment requests: submission p50/p99 at 20 concurrent visitors against
gunicorn + PostgreSQL, and submit-to-inbox p50/p99 with a Celery worker running.

Default (open loop): each of the 20 visitors submits every --interval seconds, staggered, and
latency is measured from the moment the request was due (so a stall is not hidden by the
visitor waiting for it). --closed: each visitor submits again as soon as the last answer
arrives (a saturation test: it measures throughput, and latency is then queueing).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4l_bench_leads REDIS_URL=redis://127.0.0.1:6379/4 \
      .venv/bin/python benchmarks/leads_latency.py --visitors 20 --requests 25
"""

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
parser = argparse.ArgumentParser()
parser.add_argument("--visitors", type=int, default=20)
parser.add_argument("--requests", type=int, default=25)
parser.add_argument("--port", type=int, default=8142)
parser.add_argument("--smtp-port", type=int, default=8143)
parser.add_argument("--interval", type=float, default=1.0)
parser.add_argument("--closed", action="store_true")
args = parser.parse_args()

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "tests.marketing.leads.worker_settings",
        "EMAIL_URL": f"smtp://127.0.0.1:{args.smtp_port}",
        "SCHEDULING_INBOX_EMAIL": "frontdesk@bench.test",
        "LEADS_RATE_LIMIT": "1000000",
        "CELERY_BROKER_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    }
)
import django  # noqa: E402

django.setup()

from marketing.leads.forms import sign_timestamp  # noqa: E402
from marketing.leads.models import Lead  # noqa: E402

ACCESS_LOG = "/tmp/leads-latency-access.log"
arrived: dict[str, float] = {}
submitted: dict[str, float] = {}


# The SMTP sink runs in its own process, so the load generator's threads don't slow it down; it
# prints "<name> <arrival unix time>" per inbox email.
SMTP_SINK = r"""
import re, sys, time
from aiosmtpd.controller import Controller
class Inbox:
    async def handle_DATA(self, server, session, envelope):
        match = re.search(rb"Appointment request: (Lat\d+) T\.", envelope.content)
        if match:
            print(match.group(1).decode(), time.time(), flush=True)
        return "250 OK"
controller = Controller(Inbox(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def warm_up():
    """Wait for gunicorn and the worker, then send a few requests so every gunicorn worker has
    loaded its URLconf, templates and connections before anything is measured."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            conn.request("GET", "/appointments/request/")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)

    def hit():
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        for _ in range(5):
            conn.request("GET", "/appointments/request/")
            conn.getresponse().read()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from cms.celery import app

    while not app.control.ping(timeout=1):
        if time.monotonic() > deadline:
            raise SystemExit("the Celery worker did not start")


def main():
    Lead.objects.all().delete()
    Path(ACCESS_LOG).unlink(missing_ok=True)
    smtp = subprocess.Popen(
        [sys.executable, "-c", SMTP_SINK, str(args.smtp_port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert smtp.stdout.readline().strip() == "ready"

    def read_arrivals():
        for line in smtp.stdout:
            name, _, when = line.strip().partition(" ")
            arrived.setdefault(name, float(when))

    threading.Thread(target=read_arrivals, daemon=True).start()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open("/tmp/leads-latency.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "-w", "4", "-b", f"127.0.0.1:{args.port}", "--log-level", "warning",
         "--access-logfile", ACCESS_LOG, "--access-logformat", "%(m)s %(U)s %(D)s"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--concurrency=2", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"lat-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    warm_up()
    ts = sign_timestamp(time.time() - 60)
    latencies = []
    lock = threading.Lock()

    def visitor(v):
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        first = began + args.interval * v / args.visitors
        for r in range(args.requests):
            due = first + r * args.interval
            if not args.closed:
                time.sleep(max(0.0, due - time.monotonic()))
            key = f"Lat{v * 1000 + r}"
            body = urllib.parse.urlencode(
                {"name": f"{key} Test", "phone": "314-555-0100", "consent": "on", "ts": ts, "page": "/bench/"}
            )
            start = time.monotonic() if args.closed else due
            conn.request("POST", "/appointments/request/", body, {
                "Content-Type": "application/x-www-form-urlencoded", "User-Agent": f"Mozilla/5.0 v{v}"})  # fmt: skip
            response = conn.getresponse()
            response.read()
            elapsed = time.monotonic() - start
            assert response.status == 303, response.status
            with lock:
                latencies.append(elapsed)
                submitted[key] = time.time() - (time.monotonic() - start)

    threads = [threading.Thread(target=visitor, args=(v,)) for v in range(args.visitors)]
    began = time.monotonic() + 0.5
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - began
    deadline = time.monotonic() + 120
    while len(arrived) < len(submitted) and time.monotonic() < deadline:
        time.sleep(0.2)
    to_inbox = [arrived[k] - submitted[k] for k in submitted if k in arrived]
    n = len(latencies)
    mode = "closed loop" if args.closed else f"open loop, each every {args.interval}s"
    print(f"{n} submissions by {args.visitors} concurrent visitors ({mode}) in {took:.1f}s ({n / took:.0f}/s)")
    print(f"submission latency ms: p50 {pct(latencies, 50) * 1000:.0f}, p95 {pct(latencies, 95) * 1000:.0f}, "
          f"p99 {pct(latencies, 99) * 1000:.0f}, max {max(latencies) * 1000:.0f}")  # fmt: skip
    print(f"emails in inbox: {len(to_inbox)}/{n}; submit-to-inbox ms: p50 {pct(to_inbox, 50) * 1000:.0f}, "
          f"p99 {pct(to_inbox, 99) * 1000:.0f}")  # fmt: skip
    print(f"mean {statistics.mean(latencies) * 1000:.0f} ms")
    server = [
        int(line.split()[2]) / 1000
        for line in Path(ACCESS_LOG).read_text().splitlines()
        if line.startswith("POST /appointments/request/")
    ][-n:]
    print(f"time inside gunicorn ms: p50 {pct(server, 50):.0f}, p99 {pct(server, 99):.0f}")
    for process in (gunicorn, worker):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    smtp.stdin.close()
    smtp.wait(timeout=10)


if __name__ == "__main__":
    main()
