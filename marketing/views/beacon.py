"""The beacon: page views, video plays, Amazon clicks and code copies sent by the page's
script with navigator.sendBeacon. No cookie is read or set; the body is small JSON:

    {"t": "code_copy", "p": "/articles/cant-lift-leg/", "o": 3,
     "l": 5, "v": "video title", "s": {"utm_source": "...", "qr": "1", "ref": "host"}}

It is CSRF-exempt (a beacon carries no token, and it changes nothing but a counter), so it is
strict instead: a known event type for a known page of this site, ids that exist, a size
limit, a per-visitor rate limit. Anything else is a 400, never a 500.
"""

import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..attribution import SOURCE_FIELDS, _path, page_for_path
from ..models import Event, Offer, TrackedLink
from ..recorder import build_event, record
from ..visitors import visitor_key

MAX_BODY = 2048
# Bumped to forget every cached page lookup and rate-limit window at once (tests do).
CACHE_VERSION = 1
BEACON_TYPES = {Event.PAGEVIEW, Event.VIDEO_PLAY, Event.AMAZON_CLICK, Event.CODE_COPY}


class BadBeacon(ValueError):
    pass


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadBeacon("id must be a number")
    if isinstance(value, str) and not value.isdigit():
        raise BadBeacon("id must be a number")
    number = int(value)
    if not 0 < number < 2**62:
        raise BadBeacon("id out of range")
    return number


def _str(value, max_len: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_len:
        raise BadBeacon("bad string")
    return value


def known_page_id(path: str) -> int | None:
    """The live page at this path, cached: beacons arrive on every page view."""
    key = "marketing:page-id:" + hashlib.sha256(path.encode()).hexdigest()[:32]
    page_id = cache.get(key, version=CACHE_VERSION)
    if page_id is None:
        page = page_for_path(path)
        page_id = page.pk if page is not None and page.live else 0
        # Unknown paths are remembered briefly: a page published a moment later is counted soon.
        cache.set(key, page_id, 300 if page_id else 30, version=CACHE_VERSION)
    return page_id or None


def _rate_limited(request: HttpRequest) -> bool:
    key = f"marketing:beacon-rate:{visitor_key(request)}"
    # add() then incr() is atomic enough on Redis and locmem; a window per minute.
    if cache.add(key, 1, 60, version=CACHE_VERSION):
        return False
    try:
        count = cache.incr(key, version=CACHE_VERSION)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60, version=CACHE_VERSION)
        return False
    return count > settings.MARKETING_BEACON_RATE_PER_MINUTE


def parse(request: HttpRequest) -> dict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as error:
        raise BadBeacon("bad length") from error
    if length > MAX_BODY:
        raise BadBeacon("too large")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise BadBeacon("too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadBeacon("not JSON") from error
    if not isinstance(data, dict):
        raise BadBeacon("not an object")
    event_type = data.get("t")
    if not isinstance(event_type, str) or event_type not in BEACON_TYPES:
        raise BadBeacon("unknown event type")
    path = _path(_str(data.get("p"), 255))
    if not path:
        raise BadBeacon("no page")
    page_id = known_page_id(path)
    if page_id is None:
        raise BadBeacon("unknown page")
    source = data.get("s") or {}
    if not isinstance(source, dict):
        raise BadBeacon("bad source")
    event = {
        "type": event_type,
        "page_path": path,
        "page_id": page_id,
        "source": {key: _str(source.get(key), 255) for key in SOURCE_FIELDS if source.get(key) is not None},
        "link_id": None,
        "offer_id": None,
        "video": "",
    }
    if event_type == Event.AMAZON_CLICK:
        link = TrackedLink.objects.filter(pk=_int(data.get("l"))).select_related("offer").first()
        if link is None or not link.is_amazon:
            raise BadBeacon("unknown Amazon link")
        event["link_id"], event["offer_id"] = link.pk, link.offer_id
    elif event_type == Event.CODE_COPY:
        offer = Offer.objects.filter(pk=_int(data.get("o"))).exclude(code="").first()
        if offer is None:
            raise BadBeacon("unknown offer")
        event["offer_id"] = offer.pk
        if data.get("l") is not None:
            event["link_id"] = (
                TrackedLink.objects.filter(pk=_int(data["l"]), offer=offer).values_list("pk", flat=True).first()
            )
    elif event_type == Event.VIDEO_PLAY:
        event["video"] = _str(data.get("v"), 200).strip()
        if not event["video"]:
            raise BadBeacon("no video title")
    return event


def _foreign_origin(request: HttpRequest) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if not origin:
        return False
    return (urlsplit(origin).hostname or "") != request.get_host().split(":")[0]


@csrf_exempt
@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    if _foreign_origin(request):
        return HttpResponse("Foreign origin", status=403, content_type="text/plain")
    try:
        event = parse(request)
    except BadBeacon as error:
        return HttpResponse(f"Bad beacon: {error}", status=400, content_type="text/plain")
    if _rate_limited(request):
        return HttpResponse("Too many events", status=429, content_type="text/plain")
    record(
        build_event(
            request,
            event["type"],
            data=event["source"],
            page_path=event["page_path"],
            page_id=event["page_id"],
            link_id=event["link_id"],
            offer_id=event["offer_id"],
            video=event["video"],
        )
    )
    return HttpResponse(status=204)
