"""Link health: does each tracked link's destination still answer? Checked periodically (never
while a visitor waits) with the standard library, a short timeout and no cookies."""

import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import timezone

from .models import TrackedLink

logger = logging.getLogger(__name__)
USER_AGENT = "More4LifePT-LinkCheck/1.0 (+link health check)"


def check_url(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, error) for a URL: HEAD first, GET when the server refuses HEAD."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) URLs validated on save
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return error.code, f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return None, str(reason)[:255] or error.__class__.__name__
    return None, "no answer"


def check_links(links=None, timeout: float | None = None) -> int:
    """Check each link's live destination and store the result. Returns how many were checked."""
    links = list(links if links is not None else TrackedLink.objects.select_related("offer"))
    timeout = timeout or settings.MARKETING_LINK_CHECK_TIMEOUT

    def one(link):
        status, error = check_url(link.live_url(), timeout)
        return link, status, error

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, links))
    now = timezone.now()
    for link, status, error in results:
        TrackedLink.objects.filter(pk=link.pk).update(health_checked_at=now, health_status=status, health_error=error)
        if error:
            logger.warning("Tracked link %s is broken: %s", link.slug, error)
    return len(results)
