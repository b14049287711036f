"""Link health against a local HTTP server (tests never reach the internet)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketing.factories import TrackedLinkFactory
from marketing.tasks import check_link_health


class Handler(BaseHTTPRequestHandler):
    def _answer(self):
        if self.path.startswith("/ok"):
            self.send_response(200)
        elif self.path.startswith("/no-head") and self.command == "HEAD":
            self.send_response(405)
        elif self.path.startswith("/no-head"):
            self.send_response(200)
        elif self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_link_health_is_checked_and_shown(server, admin_client, home_page):
    links = {
        name: TrackedLinkFactory(slug=name, offer=None, destination_url=f"{server}/{name}")
        for name in ("ok", "gone", "no-head", "moved")
    }
    links["dead"] = TrackedLinkFactory(slug="dead", offer=None, destination_url="http://127.0.0.1:1/")
    check_link_health.delay()
    for link in links.values():
        link.refresh_from_db()
    assert links["ok"].is_healthy and links["ok"].health_status == 200
    assert links["no-head"].is_healthy  # HEAD refused, GET answered
    assert links["moved"].is_healthy
    assert not links["gone"].is_healthy and links["gone"].health_error == "HTTP 404"
    assert not links["dead"].is_healthy and links["dead"].health_status is None and links["dead"].health_error

    listing = admin_client.get("/admin/snippets/marketing/trackedlink/").content.decode()
    assert "Broken: HTTP 404" in listing
    assert "OK (200)" in listing
