"""Factories for tests and demo data (wagtail_factories / factory_boy).

The API is deliberately small:

    home = HomePageFactory()                      # under the tree root, made the default site's root
    index = ArticleIndexPageFactory(parent=home)
    article = ArticlePageFactory(parent=index, title="Can't Lift Leg To Get In Car?")
    article = ArticlePageFactory(parent=index, body=[("paragraph", RichText("<p>Hi</p>"))])
    ImageFactory(title="Hip stretch", file__width=1200, file__height=800, file__color="#2a6f6f")

`body` takes anything a StreamField accepts: (block_type, value) pairs or the raw JSON form
(`[{"type": "heading", "value": {...}}]`). The default body is realistic: headings (so there is
a table of contents), text, two exercises, steps, a callout, a video and the appointment CTA.
"""

import datetime

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.models import Collection, Page, Site

from . import models

YOUTUBE_URL = "https://www.youtube.com/watch?v=M7lc1UVf-VE"


def _root_collection():
    # wagtail_factories' default makes a new root collection per image; one tree is enough.
    return Collection.get_first_root_node()


class ImageFactory(wagtail_factories.ImageFactory):
    """A real (small, generated) JPEG, so renditions in AVIF/WebP can be made from it."""

    title = factory.Sequence(lambda n: f"Exercise photo {n}")
    collection = factory.LazyFunction(_root_collection)
    file = factory.django.ImageField(width=640, height=400, color="#2a6f6f", filename="photo.jpg")

    class Meta:
        model = models.CustomImage


class AuthorFactory(factory.django.DjangoModelFactory):
    name = "Dr. Dave Candy"
    credentials = "PT, DPT"
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    bio = "<p>Physical therapist and founder of More 4 Life Physical Therapy in St. Louis.</p>"

    class Meta:
        model = models.Author
        django_get_or_create = ("slug",)


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: ("Hip pain", "Back pain", "Knee pain", "Balance", "Posture")[n % 5])
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))

    class Meta:
        model = models.Topic
        django_get_or_create = ("slug",)


def _tree_root():
    return Page.get_first_root_node()


class HomePageFactory(wagtail_factories.PageFactory):
    title = "More 4 Life Physical Therapy"
    # Wagtail's own migration leaves a "Welcome" page at slug "home" under the root.
    slug = factory.Sequence(lambda n: f"home-{n}")
    parent = factory.LazyFunction(_tree_root)
    intro = "Holistic pain relief in St. Louis: exercises and advice from our physical therapists."

    class Meta:
        model = models.HomePage
        skip_postgeneration_save = True

    @factory.post_generation
    def default_site(obj, create, extracted, **kwargs):
        """Make this home page the default site's root (pass default_site=False to skip)."""
        if not create or extracted is False:
            return
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"root_page": obj, "hostname": "localhost", "port": 80, "site_name": obj.title},
        )


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Articles"
    slug = "articles"
    intro = "<p>Exercises and advice for hip, back and knee pain.</p>"

    class Meta:
        model = models.ArticleIndexPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "About us"
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    intro = "Who we are and how we help."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>We are a physical therapy clinic in St. Louis.</p>"}]
    )

    class Meta:
        model = models.StandardPage


def video_value(**overrides) -> dict:
    """Raw value of a video block (JSON form)."""
    return {
        "url": YOUTUBE_URL,
        "title": "7 Simple Tips To Get Rid Of Hip Pain",
        "poster": None,
        "duration_seconds": 372,
        "description": "Dr. Dave Candy of More 4 Life Physical Therapy shows seven simple ways to ease hip pain.",
        "upload_date": "2024-03-12",
        **overrides,
    }


def exercise_value(**overrides) -> dict:
    """Raw value of an exercise block (JSON form)."""
    return {
        "name": "Hip Flexion Stretch",
        "instructions": "<p>Lie on your back. Use your hands to pull your knee up toward your chest as far as you can.</p>",
        "image": None,
        "image_alt_text": "",
        "hold_seconds": 10,
        "hold_seconds_max": None,
        "repetitions": 10,
        "repetitions_max": None,
        "sets": None,
        "safety_note": "Only go as far as you can without pain.",
        **overrides,
    }


def article_body() -> list[dict]:
    """A realistic article body in StreamField's raw JSON form."""
    return [
        {"type": "paragraph", "value": "<p>If you can't lift your leg to get in the car, you're not alone.</p>"},
        {"type": "heading", "value": {"text": "Why Is It Hard To Lift Your Leg?", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": "<p>Often the cause is a muscle imbalance around the hip:</p>"
            "<ul><li>tight hip flexors</li><li>a tight piriformis</li><li>weak hip flexors</li></ul>",
        },
        {"type": "video", "value": video_value()},
        {"type": "heading", "value": {"text": "Exercises To Improve Your Hip Mobility", "level": "h2", "anchor": ""}},
        {"type": "exercise", "value": exercise_value()},
        {
            "type": "exercise",
            "value": exercise_value(
                name="Piriformis Stretch",
                instructions="<p>Cross one ankle over the other knee and gently pull the lower knee toward you.</p>",
                hold_seconds=60,
                hold_seconds_max=120,
                repetitions=None,
                safety_note="Stop if you feel pain in the knee.",
            ),
        },
        {
            "type": "callout",
            "value": {"style": "tip", "title": "Tip", "text": "<p>Breathe slowly while you hold a stretch.</p>"},
        },
        {"type": "heading", "value": {"text": "Getting Into The Car", "level": "h2", "anchor": ""}},
        {
            "type": "steps",
            "value": {
                "title": "The sit-and-swivel technique",
                "steps": ["Back up until the seat touches your legs.", "Sit down.", "Swivel and lift your legs in."],
            },
        },
        {
            "type": "appointment_cta",
            "value": {
                "heading": "Have problems lifting your leg?",
                "text": "<p>If you live in the St. Louis area, we'd be happy to help.</p>",
                "button_label": "Request an appointment",
                "page": None,
            },
        },
    ]


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Can't Lift Leg To Get In Car? ({n})")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    summary = "Simple stretches and techniques that make getting into the car easier when your hip hurts."
    author = factory.SubFactory(AuthorFactory)
    publish_date = factory.LazyFunction(lambda: datetime.date(2024, 3, 12))
    body = factory.LazyFunction(article_body)

    class Meta:
        model = models.ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        """`topics=[topic, ...]`; by default the article has no topics."""
        if create and extracted:
            obj.topics.set(extracted)
            obj.save()
