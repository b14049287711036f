"""Abstract page building blocks shared by every app's page types.

Kept apart from cms/models.py (which imports the StreamField blocks, some of which come from
other apps) so that any app can build its pages on BasePage without a circular import.
"""

from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


class SocialFields(models.Model):
    """Sharing and search metadata. Wagtail's own `seo_title` and `search_description`
    supply the title and meta description."""

    social_image = models.ForeignKey(
        "cms.CustomImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared. Defaults to the page's main image.",
    )
    canonical_url = models.URLField(blank=True, help_text="Only if this page's content lives at another address.")

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("canonical_url"),
            ],
            "Search engines",
        ),
        MultiFieldPanel([FieldPanel("social_image")], "Sharing"),
        MultiFieldPanel([FieldPanel("show_in_menus")], "Menus"),
    ]

    class Meta:
        abstract = True


class BasePage(SocialFields, Page):
    promote_panels = SocialFields.promote_panels

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        # Every page gets a description (search engines and link previews show it): the
        # editor's own, else the page's introduction.
        intro = strip_tags(str(getattr(self, "intro", "") or "")).strip()
        return self.search_description or intro

    def get_social_image(self):
        return self.social_image or getattr(self, "hero_image", None)

    def get_sitemap_urls(self, request=None):
        # A page whose content lives at another address is not ours to list.
        if self.canonical_url:
            return []
        return super().get_sitemap_urls(request)

    def serve(self, request, *args, **kwargs):
        # Wagtail's privacy checks ran before serve(): reaching here means this visitor may see
        # the page, so the page cache (cms/page_cache.py) may keep the response.
        request.page_cache_allowed = True
        return super().serve(request, *args, **kwargs)

    @cached_property
    def video_blocks(self) -> list:
        """Values of the page's video blocks, in order (for JSON-LD and listings)."""
        body = getattr(self, "body", None)
        if not body:
            return []
        # Look at the raw JSON first: converting the whole body to Python (image lookups for every
        # exercise and figure) just to find the video made listings of many articles slow.
        positions = [i for i, item in enumerate(body.raw_data) if item["type"] == "video"]
        values = [body[i].value for i in positions]
        return [value for value in values if value.video]

    @property
    def video_block(self):
        return self.video_blocks[0] if self.video_blocks else None
