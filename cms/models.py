"""Content models: pages, snippets (authors, topics), site settings and the image model."""

import math

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from .blocks import ArticleBodyBlock, PageBodyBlock, outline
from .page_base import BasePage

WORDS_PER_MINUTE = 220


class CustomImage(AbstractImage):
    credit = models.CharField(max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, blank=True, help_text="e.g. 'PT, DPT'")
    slug = models.SlugField(unique=True)
    photo = models.ForeignKey("cms.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])

    panels = [FieldPanel("name"), FieldPanel("credentials"), FieldPanel("slug"), FieldPanel("photo"), FieldPanel("bio")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Topic(index.Indexed, models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    name = models.CharField(max_length=120, default="More 4 Life Physical Therapy")
    tagline = models.CharField(max_length=160, default="St. Louis Holistic Pain Relief Specialist", blank=True)
    phone = models.CharField(max_length=30, default="314-941-3970")
    street_address = models.CharField(max_length=200, blank=True)
    locality = models.CharField("City", max_length=100, default="St. Louis")
    region = models.CharField("State", max_length=50, default="MO")
    postal_code = models.CharField(max_length=20, blank=True)
    hours = models.TextField(blank=True, help_text="One line per day range, e.g. 'Mon-Fri 7am-6pm'.")
    scheduling_inbox_email = models.EmailField(
        blank=True, help_text="Appointment requests go here. Empty: the address set by the server."
    )
    facebook_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("tagline"), FieldPanel("phone")], "Clinic"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("hours"),
            ],
            "Address and hours",
        ),
        FieldPanel("scheduling_inbox_email"),
        MultiFieldPanel([FieldPanel("facebook_url"), FieldPanel("youtube_url"), FieldPanel("instagram_url")], "Social"),
    ]

    class Meta:
        verbose_name = "Clinic settings"

    @property
    def phone_tel(self) -> str:
        return "+1" + "".join(ch for ch in self.phone if ch.isdigit())[-10:]

    @property
    def social_links(self) -> list[str]:
        return [url for url in (self.facebook_url, self.youtube_url, self.instagram_url) if url]


class HomePage(BasePage):
    template = "pages/home_page.html"
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    intro = models.CharField(max_length=250, blank=True)
    hero_image = models.ForeignKey(
        "cms.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    featured_articles = ParentalManyToManyField(
        "cms.ArticlePage",
        blank=True,
        related_name="+",
        help_text="Shown first on the home page; the newest fill the rest.",
    )
    cta_heading = models.CharField(max_length=120, default="Ready to move without pain?")
    cta_text = models.CharField(max_length=250, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("featured_articles"),
        MultiFieldPanel([FieldPanel("cta_heading"), FieldPanel("cta_text")], "Appointment call to action"),
    ]

    def route(self, request, path_components):
        # Wagtail walks the tree one level at a time, two queries a level. Every page type here
        # routes the default way, so a live page below the home page is found by its url_path
        # in one lookup; a page type with routes of its own, a draft or an unknown path takes
        # Wagtail's walk (and its 404).
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = Page.objects.filter(url_path=url_path, live=True).specific().first()
            if page is not None and type(page).route is Page.route:
                return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = list(self.featured_articles.live().specific().select_related("hero_image", "author"))
        newest = (
            ArticlePage.objects.live()
            .public()
            .exclude(pk__in=[a.pk for a in featured])
            .select_related("hero_image", "author")
            .order_by("-publish_date")[: max(0, 6 - len(featured))]
        )
        context["articles"] = featured + list(newest)
        # Each featured video is shown with the article it belongs to.
        context["videos"] = [a for a in context["articles"] if a.video_block][:2]
        return context


class ArticleIndexPage(BasePage):
    template = "pages/article_index_page.html"
    subpage_types = ["cms.ArticlePage"]
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    per_page = 12

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("hero_image", "author")
            .prefetch_related("topics")
            .order_by("-publish_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        topic = None
        if slug := request.GET.get("topic"):
            # An unknown topic is a missing page, not an empty listing search engines would keep.
            topic = Topic.objects.filter(slug=slug[:50]).first()
            if topic is None:
                raise Http404("No such topic")
            articles = articles.filter(topics=topic)
        paginator = Paginator(articles, self.per_page)
        # get_page() turns a bad or out-of-range ?page= into the first or last page.
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            articles=page_obj,
            paginator=paginator,
            topic=topic,
            topics=Topic.objects.filter(articles__live=True).distinct(),
        )
        return context


class ArticlePage(BasePage):
    template = "pages/article_page.html"
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types: list[str] = []

    summary = models.TextField(max_length=300, help_text="One or two sentences shown in listings and search results.")
    hero_image = models.ForeignKey(
        "cms.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_image_alt = models.CharField(max_length=250, blank=True, help_text="Describe the main image.")
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="articles")
    publish_date = models.DateField(default=timezone.localdate)
    reading_time = models.PositiveSmallIntegerField(default=1, editable=False, help_text="Minutes, worked out on save.")
    body = StreamField(ArticleBodyBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], "Main image"),
        MultiFieldPanel([FieldPanel("author"), FieldPanel("topics"), FieldPanel("publish_date")], "About this article"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("publish_date"),
    ]

    def save(self, *args, **kwargs):
        self.reading_time = self.compute_reading_time()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": "Describe the main image for visitors who use a screen reader."})

    def compute_reading_time(self) -> int:
        text = " ".join(self._meta.get_field("body").get_searchable_content(self.body))
        words = len(strip_tags(text).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @cached_property
    def body_outline(self) -> list[tuple]:
        return outline(self.body)

    @cached_property
    def table_of_contents(self) -> list[dict]:
        return [
            {"text": block.value["text"], "anchor": extra["anchor"]}
            for block, extra in self.body_outline
            if block.block_type == "heading" and block.value["level"] == "h2"
        ]

    @cached_property
    def topic_list(self) -> list:
        return list(self.topics.all())

    def get_context(self, request, *args, **kwargs):
        from .seo import page_trail

        context = super().get_context(request, *args, **kwargs)
        trail = page_trail(self, request)
        context["parent"] = trail[-2] if len(trail) > 1 else None
        return context

    @cached_property
    def has_appointment_cta(self) -> bool:
        return any(block.block_type == "appointment_cta" for block in self.body)

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    def get_social_image(self):
        return self.social_image or self.hero_image


class StandardPage(BasePage):
    template = "pages/standard_page.html"
    intro = models.CharField(max_length=250, blank=True)
    body = StreamField(PageBodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
