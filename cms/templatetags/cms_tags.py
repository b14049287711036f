"""Template tags for the site's layout: menu, SEO metadata, JSON-LD and StreamField helpers."""

from django import template
from wagtail.models import Site

from cms import seo
from cms.blocks import outline as body_outline
from cms.models import ClinicSettings

register = template.Library()


@register.filter
def outline(stream):
    """`{% for block, extra in page.body|outline %}`: exercise numbers and unique heading ids."""
    return body_outline(stream)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live pages under the site's home page marked "Show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu())


@register.simple_tag(takes_context=True)
def page_meta(context, page):
    return seo.page_meta(page, context.get("request"))


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
