"""What marketing adds around a page being served: the current page for rich text, the
"(paid link)" labels after Amazon links, and which affiliate disclosure a page needs."""

import re
from collections.abc import Iterator

from wagtail.fields import StreamField
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from .models import Offer, TrackedLink
from .rich_text import current_page

PAID_LABEL = '<span class="paid-link">(paid link)</span>'
# An Amazon link rendered from rich text, not yet followed by its label. Links never nest, so
# the first </a> closes it.
_UNLABELLED = re.compile(r"(<a\b[^>]*\bdata-paid-link\b[^>]*>.*?</a>)(?!\s*<span class=\"paid-link\">)", re.DOTALL)


def label_paid_links(html: str) -> str:
    return _UNLABELLED.sub(lambda match: f"{match.group(1)} {PAID_LABEL}", html)


def serve_with_marketing(next_serve):
    """An on_serve_page hook: renders the page with `current_page` set, then labels its Amazon
    links. Rich text only knows its own HTML, so the label is added once the page is whole."""

    def serve(page, request, args, kwargs):
        token = current_page.set(page)
        try:
            response = next_serve(page, request, args, kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        finally:
            current_page.reset(token)
        if (
            getattr(response, "streaming", False) is False
            and response.get("Content-Type", "").startswith("text/html")
            and b"data-paid-link" in response.content
        ):
            response.content = label_paid_links(response.content.decode(response.charset)).encode(response.charset)
        return response

    return serve


def _walk(value) -> Iterator:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _walk(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _walk(child)
    else:
        yield value


def affiliate_content(page) -> dict[str, bool]:
    """Which disclosures this page needs: {'affiliate': any paid link or offer, 'amazon': any
    Amazon link}. Read from the page's StreamFields, so an editor cannot forget it."""
    link_ids, offer_ids = set(), set()
    specific = getattr(page, "specific", page)
    for field in specific._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        stream = getattr(specific, field.name, None)
        raw = getattr(stream, "raw_data", None)
        if raw is None:
            continue
        for item in _walk(list(raw)):
            if isinstance(item, dict) and item.get("type") == "offer" and isinstance(item.get("value"), dict):
                if str(item["value"].get("offer", "")).isdigit():
                    offer_ids.add(int(item["value"]["offer"]))
                if str(item["value"].get("link", "")).isdigit():
                    link_ids.add(int(item["value"]["link"]))
            elif isinstance(item, str | RichText) and 'linktype="tracked"' in str(getattr(item, "source", item)):
                for match in FIND_A_TAG.finditer(str(getattr(item, "source", item))):
                    attrs = extract_attrs(match.group(1))
                    if attrs.get("linktype") == "tracked" and str(attrs.get("id", "")).isdigit():
                        link_ids.add(int(attrs["id"]))
    result = {"affiliate": False, "amazon": False}
    if offer_ids:
        result["affiliate"] = True
        result["amazon"] = Offer.objects.filter(pk__in=offer_ids, kind=Offer.AMAZON).exists()
    for link in TrackedLink.objects.filter(pk__in=link_ids).select_related("offer"):
        if link.is_affiliate:
            result["affiliate"] = True
        if link.is_amazon:
            result["affiliate"] = result["amazon"] = True
    return result
