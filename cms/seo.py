"""Search and sharing metadata: Open Graph / Twitter values and schema.org JSON-LD.

JSON-LD is built as Python data and serialised with json.dumps, never by templating strings,
so a title with quotes or `</script>` in it cannot break out of the script element.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Site

SOCIAL_IMAGE_FILTER = "fill-1200x630|format-jpeg|jpegquality-80"
VIDEO_THUMBNAIL_FILTER = "fill-1280x720|format-jpeg|jpegquality-80"

# The characters that could end a <script> element or open a comment inside it. Same idea as
# django.utils.html.json_script, which we can't use: it writes type="application/json".
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: Any) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - the JSON is escaped for a script element just above
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )


def _site(page=None, request=None):
    # The request's site is looked up once per request; page.get_site() would query again.
    site = Site.find_for_request(request) if request is not None else None
    if site is None and page is not None:
        site = page.get_site()
    return site


def site_base_url(page=None, request=None) -> str:
    """Root URL ('https://example.com') of the site serving the page."""
    site = _site(page, request)
    if site is not None:
        return site.root_url
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def page_trail(page, request=None) -> list:
    """The site's home page down to this page (plain Page objects), fetched once per page."""
    if getattr(page, "_seo_trail", None) is None:
        site = _site(page, request)
        ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gt=1))
        root_ids = [crumb.pk for crumb in ancestors]
        if site is not None and site.root_page_id in root_ids:
            ancestors = ancestors[root_ids.index(site.root_page_id) :]
        page._seo_trail = ancestors
    return page._seo_trail


def absolute(url: str, base: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return base + url


def canonical_url(page, request=None) -> str:
    return getattr(page, "canonical_url", "") or page.get_full_url(request)


def social_image(page, base: str) -> dict | None:
    getter = getattr(page, "get_social_image", None)
    image = getter() if getter else None
    if image is None:
        return None
    rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
    alt = getattr(page, "hero_image_alt", "") if image == getattr(page, "hero_image", None) else ""
    return {
        "url": absolute(rendition.url, base),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.title,
    }


def page_meta(page, request=None) -> dict:
    """What the <head> needs for search engines and link previews."""
    base = site_base_url(page, request)
    specific = page.specific
    description = specific.get_meta_description() if hasattr(specific, "get_meta_description") else ""
    return {
        "title": specific.seo_title or specific.title,
        "description": strip_tags(description or "").strip(),
        "canonical": canonical_url(specific, request),
        "image": social_image(specific, base),
        "type": "article" if specific._meta.model_name == "articlepage" else "website",
        "published": getattr(specific, "publish_date", None),
        "modified": specific.last_published_at,
    }


def clinic_data(clinic, base: str) -> dict:
    """The clinic as a schema.org Physiotherapy (a kind of MedicalBusiness)."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": clinic.street_address,
        "addressLocality": clinic.locality,
        "addressRegion": clinic.region,
        "postalCode": clinic.postal_code,
        "addressCountry": "US",
    }
    data = {
        "@type": ["MedicalBusiness", "Physiotherapy"],
        "@id": f"{base}/#clinic",
        "name": clinic.name,
        "url": f"{base}/",
        "telephone": clinic.phone_tel,
        "address": {key: value for key, value in address.items() if value},
    }
    if clinic.tagline:
        data["description"] = clinic.tagline
    if clinic.social_links:
        data["sameAs"] = clinic.social_links
    return data


def breadcrumb_data(page, request=None) -> dict | None:
    """Home > ... > page, from the site's root page down; None on the home page itself."""
    trail = page_trail(page, request)
    if len(trail) < 2:
        return None
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.title, "item": crumb.get_full_url(request)}
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def video_data(video_value, page, base: str) -> dict | None:
    video = video_value.video
    if video is None:
        return None
    description = video_value.get("description") or getattr(page, "summary", "") or video_value["title"]
    # Search engines require an upload date; the article's date is the best we know when the
    # editor gave none.
    upload_date = video_value.get("upload_date") or getattr(page, "publish_date", None)
    data = {
        "@type": "VideoObject",
        "name": video_value["title"],
        "description": description,
        "embedUrl": video.embed_url,
        "contentUrl": video.watch_url,
    }
    if upload_date:
        data["uploadDate"] = upload_date.isoformat()
    if video_value.duration_iso:
        data["duration"] = video_value.duration_iso
    if video_value.get("poster"):
        data["thumbnailUrl"] = absolute(video_value["poster"].get_rendition(VIDEO_THUMBNAIL_FILTER).url, base)
    return data


def article_data(page, base: str, clinic_id: str, request=None) -> dict:
    data = {
        "@type": "Article",
        "headline": page.title[:110],
        "description": page.get_meta_description(),
        "mainEntityOfPage": canonical_url(page, request),
        "datePublished": page.publish_date.isoformat(),
        "publisher": {"@id": clinic_id},
    }
    modified = page.last_published_at or page.latest_revision_created_at
    data["dateModified"] = modified.isoformat() if modified else page.publish_date.isoformat()
    if page.author:
        author = {"@type": "Person", "name": page.author.name}
        if page.author.credentials:
            author["honorificSuffix"] = page.author.credentials
        data["author"] = author
    else:
        data["author"] = {"@id": clinic_id}
    image = social_image(page, base)
    if image:
        data["image"] = [image["url"]]
    if topics := [topic.name for topic in page.topic_list]:
        data["keywords"] = topics
    return data


def website_data(clinic_node: dict, base: str) -> dict:
    """The site itself, with its search (on the home page only, where search engines look)."""
    return {
        "@type": "WebSite",
        "@id": f"{base}/#website",
        "name": clinic_node["name"],
        "url": f"{base}/",
        "publisher": {"@id": clinic_node["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{base}{reverse('search')}?query={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def page_graph(page, clinic, request=None) -> dict:
    """Everything schema.org knows about a page, as one JSON-LD @graph."""
    base = site_base_url(page, request)
    clinic_node = clinic_data(clinic, base)
    graph: list[dict] = [clinic_node]
    if page is not None:
        specific = page.specific
        if specific._meta.model_name == "articlepage":
            graph.append(article_data(specific, base, clinic_node["@id"], request))
        for value in getattr(specific, "video_blocks", ()):
            if data := video_data(value, specific, base):
                graph.append(data)
        if crumbs := breadcrumb_data(specific, request):
            graph.append(crumbs)
        elif specific._meta.model_name == "homepage":
            graph.append(website_data(clinic_node, base))
    return {"@context": "https://schema.org", "@graph": graph}
