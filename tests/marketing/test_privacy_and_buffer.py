"""No IP address stored anywhere; events buffered in Redis are written, none lost, none twice."""

import json

import pytest
import redis
from django.db import connection

from marketing import recorder
from marketing.models import Event

from .conftest import BROWSER_UA, REDIS_URL

IP = "203.0.113.77"


def test_no_ip_address_stored_anywhere(client, article, link, amazon_link, settings):
    client.get(
        "/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=IP, HTTP_REFERER=f"http://testserver{article.url}"
    )
    client.get("/go/nope/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=IP)
    client.post(
        "/m/e/",
        data=json.dumps({"t": "code_copy", "p": article.url, "o": link.offer_id}),
        content_type="text/plain",
        HTTP_USER_AGENT=BROWSER_UA,
        REMOTE_ADDR=IP,
    )
    client.post(
        "/m/e/",
        data=json.dumps({"t": "amazon_click", "p": article.url, "l": amazon_link.pk}),
        content_type="text/plain",
        HTTP_USER_AGENT=BROWSER_UA,
        REMOTE_ADDR=IP,
    )
    assert Event.objects.count() == 4
    hits = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 - names from introspection
                    f"WHERE CAST({connection.ops.quote_name(column.name)} AS TEXT) LIKE %s",
                    [f"%{IP}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    assert hits == []


@pytest.fixture
def redis_buffer(settings):
    settings.MARKETING_EVENT_BUFFER = True
    settings.MARKETING_REDIS_URL = REDIS_URL
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # a missing Redis is a failure, never a skip
    keys = [recorder.BUFFER_KEY, *client.scan_iter(match=recorder.PROCESSING_PREFIX + "*")]
    client.delete(*keys)
    yield client
    keys = [recorder.BUFFER_KEY, *client.scan_iter(match=recorder.PROCESSING_PREFIX + "*")]
    client.delete(*keys)


def test_buffered_clicks_are_written_by_the_flush(client, home_page, link, redis_buffer):
    for n in range(25):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{n}")
    assert Event.objects.count() == 0
    assert recorder.pending() == 25
    assert recorder.flush_buffer() == 25
    assert Event.objects.filter(link=link).count() == 25
    assert recorder.pending() == 0


def test_flush_that_died_midway_loses_nothing_and_writes_nothing_twice(
    client, home_page, link, redis_buffer, monkeypatch
):
    for n in range(10):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{n}")

    real_write = recorder.write_events

    def write_then_die(events):
        real_write(events)  # committed...
        raise ConnectionError("worker killed before the buffer was cleared")

    monkeypatch.setattr(recorder, "write_events", write_then_die)
    with pytest.raises(ConnectionError):
        recorder.flush_buffer()
    # More clicks arrive while the batch is stranded in its processing key.
    for n in range(10, 15):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{n}")
    monkeypatch.setattr(recorder, "write_events", real_write)
    recorder.flush_buffer()
    assert Event.objects.count() == 15
    assert recorder.pending() == 0


def test_unreachable_redis_writes_directly(client, home_page, link, settings):
    settings.MARKETING_EVENT_BUFFER = True
    settings.MARKETING_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert Event.objects.count() == 1


def test_flush_task_via_celery(client, home_page, link, redis_buffer):
    from marketing.tasks import flush_events

    client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA)
    flush_events.delay()
    assert Event.objects.count() == 1


def test_clicks_survive_a_dropped_redis_connection(client, home_page, link, redis_buffer):
    """Clicks are sent to Redis without waiting for each reply; when the connection drops
    (Redis restarted, killed client) none is lost and none is stored twice."""
    for n in range(10):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{n}")
    connection = recorder._pipe.connection
    assert connection is not None and recorder._pipe.unacked  # replies not read yet
    host, port = connection._sock.getsockname()[:2]
    assert redis_buffer.client_kill_filter(addr=f"{host}:{port}") == 1
    for n in range(10, 20):
        client.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{n}")
    recorder.flush_buffer()
    assert Event.objects.count() == 20
    assert len({event.visitor_key for event in Event.objects.all()}) == 20


def test_large_batches_written_once(home_page, link, rf):
    """Big batches take the COPY path on PostgreSQL; a batch written twice is stored once."""
    request = rf.get("/go/pso-rite/", HTTP_USER_AGENT=BROWSER_UA, HTTP_HOST="localhost")
    events = [recorder.build_event(request, Event.LINK_CLICK, link_id=link.pk, slug="pso-rite") for _ in range(150)]
    events.append({"uid": "not-a-uuid", "at": "soon"})  # dropped, never blocks the batch
    recorder.write_events(events)
    recorder.write_events(events)
    assert Event.objects.filter(link=link).count() == 150
