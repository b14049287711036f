"""The attribution service: turns a request, and what the page handed along, into a Touch.

The lead form, the checkout and the partner import all call `touch_from_request()` (or
`touch_from_data()` when there is no request). Nothing here uses a cookie: the page carries
the visitor's source forward in the form itself (hidden fields filled from the landing URL and
sessionStorage by static/js, see `ATTRIBUTION_FIELDS`).
"""

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from wagtail.models import Page, Site

from .models import Touch

# Names of the hidden form fields / query parameters that carry attribution.
# Where the visitor came from (see source_of()).
SOURCE_FIELDS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "qr",
    "ref",  # the referrer host the visitor landed with
)
ATTRIBUTION_FIELDS = (
    *SOURCE_FIELDS,
    "landing",  # the path of the page the visitor landed on
    "page",  # the path of the page the conversion came from
    "video",  # the title of a video played on that page
    "offer",  # the id of an offer whose code was copied or whose link was followed in this tab
    "link",  # the slug of the tracked link followed in this tab
)
MAX_LEN = 100


def _clean(value, max_len: int = MAX_LEN) -> str:
    if not isinstance(value, str):
        return ""
    if not value.isprintable():  # the common case skips the per-character filter (hot path of /go/)
        value = "".join(ch for ch in value if ch.isprintable())
    return value.strip()[:max_len]


def _host(value: str) -> str:
    value = _clean(value, 255)
    if "//" in value:
        value = urlsplit(value).hostname or ""
    return value.lower().removeprefix("www.")


def _path(value: str) -> str:
    value = _clean(value, 255)
    if not value:
        return ""
    parts = urlsplit(value)
    # Only our own paths: pages hand along paths, never full URLs, and query strings (which
    # may carry a visitor's search terms) are dropped.
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return ""
    return parts.path


def source_of(data: Mapping, own_host: str = "") -> dict[str, str]:
    """The source of a visit: UTM parameters win, then a QR scan, then the referrer host."""
    source = {
        "source": _clean(data.get("utm_source")),
        "medium": _clean(data.get("utm_medium")),
        "campaign": _clean(data.get("utm_campaign")),
        "term": _clean(data.get("utm_term")),
        "content": _clean(data.get("utm_content")),
        "referrer_host": _host(data.get("ref") or ""),
    }
    if source["referrer_host"] and own_host and source["referrer_host"] == own_host.removeprefix("www."):
        source["referrer_host"] = ""
    if not source["source"]:
        if _clean(data.get("qr")) in {"1", "true", "yes"}:
            source["source"], source["medium"] = "qr", source["medium"] or "print"
        elif source["referrer_host"]:
            source["source"], source["medium"] = source["referrer_host"], source["medium"] or "referral"
        else:
            source["source"] = "direct"
    return source


def page_for_path(path: str, request: HttpRequest | None = None) -> Page | None:
    if not path:
        return None
    site = Site.find_for_request(request) if request is not None else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    root = site.root_page
    try:
        route = root.specific.route(request, [bit for bit in path.split("/") if bit])
    except Exception:  # Http404 and friends: an unknown path is simply not attributed
        return None
    return route.page if route else None


def _offer_and_link(data: Mapping):
    from .models import Offer, TrackedLink

    link = None
    slug = _clean(data.get("link"), 80)
    if slug:
        link = TrackedLink.objects.filter(slug=slug).select_related("offer").first()
    offer = link.offer if link and link.offer_id else None
    offer_id = _clean(data.get("offer"), 12)
    if offer is None and offer_id.isdigit():
        offer = Offer.objects.filter(pk=int(offer_id)).first()
    return link, offer


def touch_from_data(data: Mapping, request: HttpRequest | None = None) -> Touch:
    """Build (unsaved) a Touch from what a form or page handed along."""
    own_host = request.get_host().split(":")[0] if request is not None else ""
    page_path = _path(data.get("page") or "")
    link, offer = _offer_and_link(data)
    return Touch(
        page=page_for_path(page_path, request),
        page_path=page_path,
        video=_clean(data.get("video"), 200),
        landing_path=_path(data.get("landing") or ""),
        link=link,
        offer=offer,
        **source_of(data, own_host),
    )


def touch_from_request(request: HttpRequest, data: Mapping | None = None, save: bool = True) -> Touch:
    """The touch behind this request. `data` defaults to the POST body, falling back to the
    query string and, for the page, the Referer of our own site."""
    merged: dict[str, str] = {}
    referer = request.META.get("HTTP_REFERER", "")
    if referer:
        parts = urlsplit(referer)
        own_host = request.get_host().split(":")[0]
        if (parts.hostname or "") == own_host:
            merged["page"] = parts.path
            merged.update({k: v[0] for k, v in parse_qs(parts.query).items() if k in ATTRIBUTION_FIELDS and v})
        else:
            merged["ref"] = referer
    merged.update({k: request.GET[k] for k in ATTRIBUTION_FIELDS if request.GET.get(k)})
    data = request.POST if data is None else data
    merged.update({k: data[k] for k in ATTRIBUTION_FIELDS if data.get(k)})
    touch = touch_from_data(merged, request)
    if save:
        touch.save()
    return touch
