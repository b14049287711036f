"""Shared setup for the benchmark scripts: a PostgreSQL database with the demo content, static
files collected, and gunicorn serving the site with production settings.

Environment (all optional):
  BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/m4l_bench (dropped and re-created)
  BENCH_REDIS_URL     default redis://127.0.0.1:6379/15 (cache; flushed before each server start)
  BENCH_PORT          default 8001
  BENCH_WORKERS       gunicorn sync workers, default 2 (as in the bakerydemo reference)
"""

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/m4l_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "8001"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
HOST = "localhost"
BASE_URL = f"http://{HOST}:{PORT}"
ARTICLE_PATH = "/articles/cant-lift-leg-to-get-in-car/"


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        # A fresh key per run: nothing signed survives, and no key is ever written down.
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="True",
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
        LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0",
    )
    env.update(extra)
    os.environ["BENCH_SECRET_KEY"] = env["SECRET_KEY"]  # the same key for every server of this run
    return env


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or environment(), check=True)


def prepare_site() -> None:
    """Re-create the benchmark database with the demo content and collect static files."""
    OUT.mkdir(exist_ok=True)
    shutil.rmtree(OUT / "media", ignore_errors=True)
    flush_cache()  # cached renditions from an earlier run would point at deleted files
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
    subprocess.run(["createdb", *admin, name], check=True)
    env = environment()
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo_content", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    # The canonical URL and sitemap use the Site's address; make it the one being measured.
    manage(
        "shell",
        "-c",
        f"from wagtail.models import Site; Site.objects.filter(is_default_site=True).update(hostname={HOST!r}, port={PORT})",
        env=env,
    )


def flush_cache() -> None:
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)


@contextmanager
def gunicorn(app: str = "cms.wsgi:application", **extra_env: str):
    """Serve the site; yields the base URL. Redis is flushed first so no page is pre-cached."""
    flush_cache()
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            # The first view of a page makes its AVIF/WebP renditions, which can take a while.
            "--timeout",
            "180",
        ],
        cwd=ROOT,
        env=environment(**extra_env),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(BASE_URL + "/robots.txt", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield BASE_URL
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=180) as response:
        return response.status, dict(response.headers), response.read()
