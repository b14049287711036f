"""Looking up tracked links fast, for /go/ and for rendering.

/go/ must answer in a few milliseconds, so each process keeps the few fields a redirect needs
for a short while (MARKETING_LINK_CACHE_SECONDS) instead of querying per click. Saving a
link or offer clears this process's copy at once; other processes catch up within the TTL.
"""

import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .amazon import is_amazon_host, with_tracking_id
from .models import AmazonTrackingID, TrackedLink

_MAX_ENTRIES = 2000


@dataclass(frozen=True)
class LinkTarget:
    id: int
    offer_id: int | None
    url: str  # destination with UTM parameters
    fallback_url: str
    starts_at: datetime | None
    ends_at: datetime | None
    offer_active: bool

    def url_now(self, now: datetime | None = None) -> str:
        if self.offer_id is None:
            return self.url
        now = now or timezone.now()
        live = (
            self.offer_active
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or self.ends_at > now)
        )
        return self.url if live else self.fallback_url


_cache: dict[str, tuple[float, LinkTarget | None]] = {}


def clear_cache(*args, **kwargs) -> None:
    _cache.clear()


def target_for_slug(slug: str) -> LinkTarget | None:
    now = time.monotonic()
    hit = _cache.get(slug)
    if hit and hit[0] > now:
        return hit[1]
    link = TrackedLink.objects.select_related("offer", "offer__partner").filter(slug=slug).first()
    target = None
    if link is not None:
        offer = link.offer
        target = LinkTarget(
            id=link.pk,
            offer_id=link.offer_id,
            url=link.live_url(),
            fallback_url=offer.get_fallback_url() if offer else "",
            starts_at=offer.starts_at if offer else None,
            ends_at=offer.ends_at if offer else None,
            offer_active=offer.is_active if offer else True,
        )
    if len(_cache) >= _MAX_ENTRIES:
        _cache.clear()
    _cache[slug] = (now + settings.MARKETING_LINK_CACHE_SECONDS, target)
    return target


def amazon_tracking_id(page) -> str:
    """The Amazon tracking ID for links on this page: its own, else the default one."""
    if page is not None and page.pk:
        own = AmazonTrackingID.objects.filter(page_id=page.pk).values_list("tracking_id", flat=True).first()
        if own:
            return own
    return (
        AmazonTrackingID.objects.filter(is_default=True).values_list("tracking_id", flat=True).first()
        or settings.MARKETING_AMAZON_DEFAULT_TAG
    )


def amazon_url(link: TrackedLink, page) -> str:
    """Where an Amazon link on this page points: straight at Amazon, with the page's tag."""
    url = link.destination_url or link.offer.destination_url
    if link.offer_id and not link.offer.is_live():
        url = link.offer.get_fallback_url()
    if not is_amazon_host(urlsplit(url).hostname):
        return url
    return with_tracking_id(url, amazon_tracking_id(page))
