"""Template tags for the site's layout: menu, SEO metadata, JSON-LD and StreamField helpers."""

import contextlib
from urllib.parse import urlencode

from django import template
from django.core.cache import cache
from wagtail.models import Site

from cms import seo
from cms.blocks import outline as body_outline
from cms.models import ClinicSettings
from cms.signals import cache_is_shared, page_cache_version

register = template.Library()


@register.filter
def outline(stream):
    """`{% for block, extra in page.body|outline %}`: exercise numbers and unique heading ids."""
    return body_outline(stream)


@register.simple_tag
def fragment_cache_seconds() -> int:
    """How long `{% wagtailpagecache %}` keeps fragments: a day with a shared cache (every
    publish bumps content_version anyway), 0 (off) with a per-process one."""
    return 86400 if cache_is_shared() else 0


def _content_version(request) -> int:
    # Read once per request: the header, menu and fragments all need it.
    if request is not None and hasattr(request, "_cms_content_version"):
        return request._cms_content_version
    try:
        version = page_cache_version()
    except Exception:
        # Without the cache, a version no fragment was stored under.
        version = 0
    if request is not None:
        request._cms_content_version = version
    return version


@register.simple_tag(takes_context=True)
def content_version(context) -> int:
    """`{% content_version as v %}`: changes whenever anything visitors see changes (any
    publish, unpublish or move, clinic settings, authors, topics; cms/signals.py). Template
    fragments cached with `{% wagtailpagecache ... v %}` vary on it."""
    return _content_version(context.get("request"))


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """Live pages under the site's home page marked "Show in menus".

    Kept in the cache under the page-cache version: the menu changes only when pages are
    published, moved or unpublished, which bump that version (cms/signals.py). Saves three
    queries on every page view.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    try:
        key = f"cms:menu:{_content_version(request)}:{site.pk}" if cache_is_shared() else None
        menu = cache.get(key) if key else None
    except Exception:  # a cache outage only costs the queries
        key, menu = None, None
    if menu is None:
        menu = [
            {"pk": child.pk, "title": child.title, "url": child.get_url(request), "url_path": child.url_path}
            for child in site.root_page.get_children().live().public().in_menu()
        ]
        if key:
            with contextlib.suppress(Exception):
                cache.set(key, menu, 3600)
    return menu


@register.simple_tag(takes_context=True)
def page_meta(context, page):
    meta = seo.page_meta(page, context.get("request"))
    # A filtered or later page of a listing is its own page to search engines: keep its
    # (validated) topic and page number in the canonical address.
    topic, listing = context.get("topic"), context.get("articles")
    if not getattr(page.specific, "canonical_url", "") and hasattr(listing, "number"):
        query = {}
        if topic is not None:
            query["topic"] = topic.slug
        if listing.number > 1:
            query["page"] = listing.number
        if query:
            meta["canonical"] += "?" + urlencode(query)
    return meta


def _clinic(request) -> ClinicSettings:
    # Wagtail's settings lookup would try to create a row for a missing site; a request for a
    # host no Site answers (or a bare 500 render) gets the defaults instead.
    if request is None or Site.find_for_request(request) is None:
        return ClinicSettings()
    return ClinicSettings.for_request(request)


@register.simple_tag(takes_context=True)
def clinic_settings(context):
    """`{% clinic_settings as clinic %}`: the clinic's name, phone, address for this site."""
    return _clinic(context.get("request"))


@register.simple_tag(takes_context=True)
def structured_data(context, page=None):
    request = context.get("request")
    clinic = _clinic(request)
    return seo.json_ld_script(seo.page_graph(page, clinic, request))
