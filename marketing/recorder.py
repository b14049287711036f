"""Recording events: built from a request in the web process, written now or buffered.

With `MARKETING_EVENT_BUFFER` on (the default when Redis is configured) the request only
appends the event to a Redis list; `flush_buffer()` (a Celery task every few seconds) writes
them to the database in batches. Nothing is lost on the way:

- a flush first renames the list atomically to a private "processing" key, so clicks that
  arrive meanwhile go to a fresh list;
- it deletes the processing key only after the batch is committed; a flush that dies midway
  leaves the key behind and the next flush picks it up;
- every event carries a uuid made by the request, written with ignore_conflicts, so a batch
  written twice (the flush died after committing but before deleting) adds nothing;
- if Redis is unreachable when the click happens, the event is written straight away.
"""

import atexit
import json
import logging
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from .attribution import _clean, _path, page_for_path, source_of
from .models import Event
from .visitors import device_class, is_bot, visitor_key

logger = logging.getLogger(__name__)

BUFFER_KEY = "marketing:events"
PROCESSING_PREFIX = "marketing:events:processing:"
FLUSH_CHUNK = 2000

_client: redis.Redis | None = None
_client_url = ""


def redis_client() -> redis.Redis:
    global _client, _client_url
    url = settings.MARKETING_REDIS_URL
    if _client is None or _client_url != url:
        _client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        _client_url = url
    return _client


def buffering() -> bool:
    return bool(settings.MARKETING_EVENT_BUFFER and settings.MARKETING_REDIS_URL)


def own_page_path(request: HttpRequest, own_host: str = "") -> str:
    """The path of our page that sent the visitor here (from the Referer), or ''."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    if (parts.hostname or "") != (own_host or request.get_host().split(":")[0]):
        return ""
    return _path(parts.path)


def build_event(
    request: HttpRequest,
    event_type: str,
    *,
    data: Mapping | None = None,
    page_path: str = "",
    page_id: int | None = None,
    link_id: int | None = None,
    offer_id: int | None = None,
    slug: str = "",
    video: str = "",
) -> dict[str, Any]:
    """A JSON-ready event for this request. `data` carries the visitor's source (utm_*, qr,
    ref), as the page's script hands it along; without it the Referer is the source. The page
    is `page_path`, else the page of this site in the Referer."""
    data = dict(data or {})
    own_host = request.get_host().split(":")[0]
    referer = request.META.get("HTTP_REFERER", "")
    referer_path = own_page_path(request, own_host) if referer else ""
    if referer and not referer_path and not data.get("ref"):
        data["ref"] = referer  # a visitor arriving from another site: that site is the source
    page_path = page_path or referer_path
    event = {
        "uid": uuid.uuid4().hex,
        "type": event_type,
        "at": time.time(),
        "page_path": _path(page_path),
        "page_id": page_id,
        "link_id": link_id,
        "offer_id": offer_id,
        "slug": _clean(slug, 80),
        "video": _clean(video, 200),
        **source_of(data, own_host),
        "visitor_key": visitor_key(request),
        "device": device_class(request),
        "is_bot": is_bot(request),
    }
    # Empty values are the model's defaults: leaving them out keeps the buffer small.
    return {key: value for key, value in event.items() if value not in ("", None)}


_KEY = BUFFER_KEY.encode()
ACK_EVERY = 64


class _Pipe:
    """RPUSHes sent to Redis without waiting for each reply: /go/ would otherwise pay a round
    trip to Redis on every click, the largest part of its cost. Replies are read every
    ACK_EVERY events, before a flush in this process, and at exit. Nothing is lost on the way:
    events stay in `unacked` until Redis has acknowledged them, and if the connection fails
    they are written straight to the database (written twice is harmless: each has a uid)."""

    def __init__(self) -> None:
        self.connection = None
        self.url = ""
        self.unacked: list[dict[str, Any]] = []

    def _connection(self):
        client = redis_client()
        if self.connection is None or self.url != _client_url:
            self.connection = client.connection_pool.make_connection()
            self.url = _client_url
        return self.connection

    def push(self, event: dict[str, Any]) -> None:
        data = json.dumps(event, separators=(",", ":")).encode()
        # The RESP command written out: packing it with the client costs more than sending it.
        command = b"*3\r\n$5\r\nRPUSH\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(_KEY), _KEY, len(data), data)
        self.unacked.append(event)
        try:
            self._connection().send_packed_command([command], check_health=False)
            if len(self.unacked) >= ACK_EVERY:
                self.collect()
        except Exception:  # a click must never fail because of its bookkeeping
            self.fail()

    def collect(self) -> None:
        """Read the replies of everything sent; on any failure, write the unacknowledged directly."""
        if not self.unacked:
            return
        try:
            while self.unacked:
                self.connection.read_response()
                self.unacked.pop(0)
        except Exception:
            self.fail()

    def fail(self) -> None:
        logger.warning("Event buffer unreachable; writing %d event(s) directly.", len(self.unacked))
        if self.connection is not None:
            self.connection.disconnect()
        self.connection = None
        pending, self.unacked = self.unacked, []
        write_events(pending)


_pipe = _Pipe()
atexit.register(_pipe.collect)


def record(event: dict[str, Any]) -> None:
    if buffering():
        _pipe.push(event)
    else:
        write_events([event])


# Column order of the rows written; strings are cut to their column's length so one odd event
# can never fail a whole batch.
_STRING_COLUMNS = {
    "type": 20,
    "page_path": 255,
    "slug": 80,
    "video": 200,
    "source": 100,
    "medium": 100,
    "campaign": 100,
    "term": 100,
    "content": 100,
    "referrer_host": 255,
    "visitor_key": 32,
    "device": 10,
}
COLUMNS = ("uid", "created_at", "page_id", "link_id", "offer_id", "is_bot", *_STRING_COLUMNS)


def _int_or_none(value) -> int | None:
    return int(value) if value is not None else None


def _rows(events: Iterable[dict[str, Any]]) -> list[tuple]:
    pages: dict[str, int | None] = {}
    rows = []
    for event in events:
        try:
            path = str(event.get("page_path") or "")[:255]
            page_id = _int_or_none(event.get("page_id"))
            if page_id is None and path:
                if path not in pages:
                    page = page_for_path(path)
                    pages[path] = page.pk if page else None
                page_id = pages[path]
            rows.append(
                (
                    uuid.UUID(event["uid"]),
                    datetime.fromtimestamp(float(event["at"]), tz=UTC),
                    page_id,
                    _int_or_none(event.get("link_id")),
                    _int_or_none(event.get("offer_id")),
                    bool(event.get("is_bot")),
                    *(str(event.get(name) or "")[:length] for name, length in _STRING_COLUMNS.items()),
                )
            )
        except (AttributeError, KeyError, TypeError, ValueError, OverflowError):
            # One unreadable event must not block the batch (and every later flush) forever.
            logger.error("Dropping a malformed event: %r", str(event)[:200])
    return rows


def _existing(model, ids: set) -> set:
    return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _copy_into_postgresql(rows: list[tuple]) -> None:
    # COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING: several times
    # cheaper than bulk_create for the tens of thousands of events a busy flush writes, and the
    # flush shares the machine with the web workers.
    table, columns = Event._meta.db_table, ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS marketing_event_load ON COMMIT DELETE ROWS "  # noqa: S608 - fixed names
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY marketing_event_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM marketing_event_load "  # noqa: S608
            "ON CONFLICT (uid) DO NOTHING"
        )


def write_events(events: Iterable[dict[str, Any]]) -> int:
    """Write events to the database; events already written (same uid) are skipped."""
    from wagtail.models import Page

    from .models import Offer, TrackedLink

    rows = _rows(events)
    if not rows:
        return 0
    with transaction.atomic():
        # Pages, links or offers deleted since the event: keep the event, drop the dangling reference.
        page_ids = _existing(Page, {row[2] for row in rows if row[2]})
        link_ids = _existing(TrackedLink, {row[3] for row in rows if row[3]})
        offer_ids = _existing(Offer, {row[4] for row in rows if row[4]})
        rows = [
            (
                row[0],
                row[1],
                row[2] if row[2] in page_ids else None,
                row[3] if row[3] in link_ids else None,
                row[4] if row[4] in offer_ids else None,
                *row[5:],
            )
            for row in rows
        ]
        if connection.vendor == "postgresql" and len(rows) >= 100:
            _copy_into_postgresql(rows)
        else:
            Event.objects.bulk_create(
                [Event(**dict(zip(COLUMNS, row, strict=True))) for row in rows], ignore_conflicts=True, batch_size=500
            )
    return len(rows)


def _drain(client: redis.Redis, key: str) -> int:
    written = 0
    start = 0
    while True:
        chunk = client.lrange(key, start, start + FLUSH_CHUNK - 1)
        if not chunk:
            break
        events = []
        for raw in chunk:
            try:
                events.append(json.loads(raw))
            except ValueError:
                logger.error("Dropping an unreadable buffered event: %r", raw[:200])
        written += write_events(events)
        start += len(chunk)
    client.delete(key)
    return written


def flush_buffer() -> int:
    """Move buffered events to the database. Returns how many were written."""
    _pipe.collect()  # this process's clicks in flight reach Redis first
    client = redis_client()
    written = 0
    # Leftovers of a flush that died midway come first.
    for key in client.scan_iter(match=PROCESSING_PREFIX + "*", count=100):
        written += _drain(client, key.decode() if isinstance(key, bytes) else key)
    processing = PROCESSING_PREFIX + uuid.uuid4().hex
    try:
        client.rename(BUFFER_KEY, processing)
    except redis.ResponseError:  # no such key: nothing buffered
        return written
    return written + _drain(client, processing)


def pending() -> int:
    _pipe.collect()
    client = redis_client()
    keys = [BUFFER_KEY, *client.scan_iter(match=PROCESSING_PREFIX + "*", count=100)]
    return sum(client.llen(key) for key in keys)
