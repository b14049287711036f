"""Tracked links in rich text: a "Tracked link" button in the editor (Draftail entity
TRACKED_LINK) stored as <a linktype="tracked" id="N">, rendered as /go/<slug>/ or, for Amazon,
straight to Amazon with the page's tracking ID."""

from contextvars import ContextVar

from django.utils.html import escape
from draftjs_exporter.dom import DOM
from wagtail.admin.rich_text.converters.html_to_contentstate import LinkElementHandler
from wagtail.rich_text import LinkHandler

from .models import TrackedLink

# The page being served, so rich text (which is rendered without a context) can give Amazon
# links the page's tracking ID. Set around page.serve() by the on_serve_page hook.
current_page: ContextVar = ContextVar("marketing_current_page", default=None)


def link_opening_tag(link: TrackedLink | None, page=None, css_class: str = "", label_after: bool = True) -> str:
    """The opening <a> of a tracked link. Amazon links point straight at Amazon; those that
    `label_after` get "(paid link)" added after them (see hooks.label_paid_links)."""
    from .links import amazon_url

    if link is None:
        return "<a>"
    rel = "sponsored noopener" if link.is_affiliate else "noopener"
    klass = f' class="{escape(css_class)}"' if css_class else ""
    if link.is_amazon:
        marker = " data-paid-link" if label_after else ""
        return f'<a href="{escape(amazon_url(link, page))}" rel="{rel}"{klass} data-amazon-link="{link.pk}" data-link-slug="{escape(link.slug)}"{marker}>'
    return f'<a href="{escape(link.get_absolute_url())}" rel="{rel}"{klass} data-link-slug="{escape(link.slug)}">'


class TrackedLinkHandler(LinkHandler):
    identifier = "tracked"

    @staticmethod
    def get_model():
        return TrackedLink

    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        links = TrackedLink.objects.select_related("offer").in_bulk([i for i in ids if str(i).isdigit()])
        return [links.get(int(i)) if str(i).isdigit() else None for i in ids]

    @classmethod
    def expand_db_attributes(cls, attrs: dict) -> str:
        return cls.expand_db_attributes_many([attrs])[0]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        page = current_page.get()
        return [link_opening_tag(link, page) for link in cls.get_many(attrs_list)]

    @classmethod
    def extract_references(cls, attrs):
        yield TrackedLink, attrs["id"], "", ""


class TrackedLinkElementHandler(LinkElementHandler):
    """Database HTML → editor: what the editor shows for a stored tracked link."""

    def get_attribute_data(self, attrs):
        try:
            link = TrackedLink.objects.get(pk=int(attrs["id"]))
        except (KeyError, ValueError, TrackedLink.DoesNotExist):
            return {}
        return {"id": link.pk, "url": link.get_absolute_url(), "title": link.title}


def tracked_link_entity(props):
    """Editor → database HTML."""
    return DOM.create_element("a", {"linktype": "tracked", "id": props.get("id")}, props["children"])


CONTENTSTATE_RULE = {
    "from_database_format": {'a[linktype="tracked"]': TrackedLinkElementHandler("TRACKED_LINK")},
    "to_database_format": {"entity_decorators": {"TRACKED_LINK": tracked_link_entity}},
}
