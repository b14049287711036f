"""Amazon Associates rules in code.

Amazon's Operating Agreement forbids hiding an Associates link's destination (redirects,
URL shorteners, cloaking), so Amazon links go straight to Amazon carrying the tracking ID of
the article they sit in, with a "(paid link)" label. This module recognises Amazon hosts,
tags URLs, and finds the shortened or cloaked Amazon links an article must not be saved with.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Amazon's own stores; a link to one of these is an Amazon link.
_AMAZON_DOMAINS = (
    "amazon.com",
    "amazon.ca",
    "amazon.co.uk",
    "amazon.de",
    "amazon.fr",
    "amazon.it",
    "amazon.es",
    "amazon.co.jp",
    "amazon.com.au",
    "amazon.com.mx",
    "amazon.in",
    "smile.amazon.com",
)
# Shorteners that hide an Amazon destination: Amazon's own and the common generic ones people
# paste Amazon links through.
SHORT_AMAZON_HOSTS = {"amzn.to", "amzn.com", "a.co", "amzn.eu", "amzn.asia", "amzlink.to", "amzn.in"}
GENERIC_SHORTENERS = {"bit.ly", "tinyurl.com", "t.co", "ow.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "geni.us"}


def _host(host: str | None) -> str:
    return (host or "").lower().rstrip(".").removeprefix("www.")


def is_amazon_host(host: str | None) -> bool:
    host = _host(host)
    return any(host == domain or host.endswith("." + domain) for domain in _AMAZON_DOMAINS)


def is_short_amazon_host(host: str | None) -> bool:
    return _host(host) in SHORT_AMAZON_HOSTS


def with_tracking_id(url: str, tracking_id: str) -> str:
    """The Amazon URL with `tag=<tracking_id>` (replacing any tag it had)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "tag"]
    if tracking_id:
        query.append(("tag", tracking_id))
    return urlunsplit(parts._replace(query=urlencode(query)))


_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def forbidden_link_reason(url: str) -> str:
    """Why this URL may not appear in an article, or '' when it may."""
    parts = urlsplit(url.strip())
    host = _host(parts.hostname)
    if is_short_amazon_host(host):
        return (
            f"“{url}” is a shortened Amazon link. Amazon's Associates rules forbid hiding where a link "
            "leads, so paste the full amazon.com address into a tracked link (Marketing › Tracked links) "
            "and choose that link instead."
        )
    if host in GENERIC_SHORTENERS and "amzn" in url.lower():
        return f"“{url}” hides an Amazon link behind a link shortener, which Amazon's Associates rules forbid."
    if is_amazon_host(host):
        return (
            f"“{url}” is a direct Amazon link. Add it as a tracked link (Marketing › Tracked links) and "
            "choose it with the “Tracked link” button, so it carries this article's tracking ID and the "
            "“(paid link)” label."
        )
    return ""


def forbidden_links_in_html(html: str) -> list[str]:
    return [reason for url in _HREF.findall(html or "") if (reason := forbidden_link_reason(url))]
