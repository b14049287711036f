from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from ..attribution import ATTRIBUTION_FIELDS
from ..rich_text import link_opening_tag
from ..serving import affiliate_content

register = template.Library()


@register.simple_tag
def offer_link_tag(link, page=None):
    """The opening <a> of an Offer block's button (its "(paid link)" label is in the template)."""
    return mark_safe(link_opening_tag(link, page, css_class="button", label_after=False))  # noqa: S308 - built with escape()


@register.inclusion_tag("marketing/includes/disclosure_box.html", takes_context=True)
def affiliate_disclosure(context):
    page = context.get("page")
    needs = affiliate_content(page) if page is not None and getattr(page, "pk", None) else {}
    return {"needs": needs, "disclosure_url": settings.MARKETING_DISCLOSURE_URL}


@register.inclusion_tag("marketing/includes/attribution_fields.html", takes_context=True)
def attribution_fields(context):
    """Hidden inputs for a <form data-attribution>: filled server-side from the request (so
    the form works without JavaScript) and kept current by marketing.js."""
    request = context.get("request")
    values = {}
    if request is not None:
        values = {name: request.GET.get(name, "")[:100] for name in ATTRIBUTION_FIELDS}
        values["page"] = request.path[:255]
        if not values.get("landing"):
            values["landing"] = request.path[:255]
        referer = request.META.get("HTTP_REFERER", "")
        if referer and not values.get("ref"):
            from urllib.parse import urlsplit

            host = urlsplit(referer).hostname or ""
            if host and host != request.get_host().split(":")[0]:
                values["ref"] = host
    return {"fields": [(name, values.get(name, "")) for name in ATTRIBUTION_FIELDS]}
