"""The demo loader (`manage.py load_demo_content`): what it builds, and that a second run changes
nothing. The site is loaded once per class (setUpTestData) because drawing the images and
publishing ~20 pages takes a few seconds."""

import shutil
import tempfile
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Locale, Page, Revision, Site

from cms.demo import DEMO_PASSWORD, DEMO_USERNAME, MAIN_ARTICLE_SLUG, DemoContent
from cms.models import ArticleIndexPage, ArticlePage, Author, ClinicSettings, CustomImage, HomePage, StandardPage, Topic

ARTICLE_URL = f"/articles/{MAIN_ARTICLE_SLUG}/"


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything a re-run could change: counts, and which revision each page is live on."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "live_revisions": dict(Page.objects.values_list("pk", "live_revision_id")),
        "images": CustomImage.objects.count(),
        "image_files": sorted(CustomImage.objects.values_list("file", flat=True)),
        "authors": Author.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "clinic": list(ClinicSettings.objects.values()),
        "sites": list(Site.objects.values()),
    }


class MediaInTempDir:
    """Demo images go to a throwaway MEDIA_ROOT, not the developer's var/."""

    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="m4l-demo-media-")
        cls._media_override = override_settings(MEDIA_ROOT=cls._media)
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)


class DemoSiteTests(MediaInTempDir, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load()

    def article(self) -> ArticlePage:
        return ArticlePage.objects.get(slug=MAIN_ARTICLE_SLUG)

    def blocks(self, block_type: str) -> list:
        return [block.value for block in self.article().body if block.block_type == block_type]

    def test_second_run_changes_nothing(self):
        before = snapshot()
        output = load("--with-demo-login")  # the login is the one thing the first run skipped
        get_user_model().objects.filter(username=DEMO_USERNAME).delete()
        self.assertEqual(snapshot(), before)
        self.assertIn("nothing changed", load())
        self.assertEqual(snapshot(), before)
        self.assertIn("created", self.first_output)
        self.assertIn("created 1 item (from cms, ", output)  # the login; every app is asked

    def test_home_page_replaces_wagtails_welcome_page_as_site_root(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)
        self.assertFalse(Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists())
        self.assertEqual(HomePage.objects.count(), 1)
        home = HomePage.objects.get()
        self.assertIn(MAIN_ARTICLE_SLUG, home.featured_articles.values_list("slug", flat=True))

    def test_pages_are_published_with_revisions(self):
        for page in Page.objects.filter(depth__gt=1).specific():
            with self.subTest(page=page.url_path):
                self.assertTrue(page.live)
                self.assertIsNotNone(page.live_revision_id)
                self.assertEqual(page.latest_revision_id, page.live_revision_id)

    def test_pages_answer_at_the_expected_urls(self):
        for url in (
            "/",
            "/articles/",
            ARTICLE_URL,
            "/about/",
            "/contact/",
            "/affiliate-disclosure/",
            "/privacy/",
            "/articles/?topic=hip-pain",
            "/articles/?page=2",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_enough_articles_and_topics_for_listing_filter_and_pagination(self):
        self.assertGreaterEqual(ArticlePage.objects.live().count(), ArticleIndexPage.per_page + 1)
        self.assertTrue({"hip-pain", "back-pain", "knee-pain"} <= set(Topic.objects.values_list("slug", flat=True)))
        page_two = self.client.get("/articles/?page=2")
        self.assertEqual(page_two.context["articles"].number, 2)
        hip = self.client.get("/articles/?topic=hip-pain")
        listed = {article.slug for article in hip.context["articles"]}
        self.assertIn(MAIN_ARTICLE_SLUG, listed)
        self.assertNotIn("knee-pain-going-down-stairs", listed)

    def test_article_has_the_exercises_with_their_doses(self):
        exercises = {value["name"]: value for value in self.blocks("exercise")}
        self.assertEqual(
            list(exercises), ["Hip Flexion Stretch", "Piriformis Stretch", "Seated Hip Flexor Strengthening"]
        )
        flexion = exercises["Hip Flexion Stretch"]
        self.assertEqual((flexion["hold_seconds"], flexion["repetitions"]), (10, 10))
        self.assertEqual(flexion["safety_note"], "Only go as far as you can without pain.")
        piriformis = exercises["Piriformis Stretch"]
        self.assertEqual((piriformis["hold_seconds"], piriformis["hold_seconds_max"]), (60, 120))
        self.assertEqual(piriformis.hold_display, "1\u20132 minutes")
        strength = exercises["Seated Hip Flexor Strengthening"]
        self.assertEqual((strength["hold_seconds"], strength["repetitions"], strength["repetitions_max"]), (10, 5, 10))
        for value in exercises.values():
            self.assertTrue(value["image"] and value["image_alt_text"], value["name"])

    def test_article_has_sections_list_steps_and_call_to_action(self):
        article = self.article()
        self.assertEqual(
            [item["anchor"] for item in article.table_of_contents],
            ["what-is-wrong", "exercises", "getting-in-the-car", "conclusion"],
        )
        html = "".join(str(value) for value in self.blocks("paragraph"))
        self.assertIn("Stiffness in the muscles in the back of the hip", html)
        self.assertEqual(html.count("<li>"), 4)  # the muscle-imbalance list
        steps = self.blocks("steps")
        self.assertEqual([value["title"] for value in steps], ["Knee first", "Bottom first"])
        self.assertIn("Back up to the seat", steps[1]["steps"][0])
        (cta,) = self.blocks("appointment_cta")
        self.assertEqual(cta["heading"], "Have Problems Lifting Your Leg?")
        self.assertEqual(str(article.author), "Dr. Dave Candy, PT, DPT")
        self.assertEqual(set(article.topics.values_list("slug", flat=True)), {"hip-pain", "back-pain"})
        self.assertTrue(article.hero_image and article.hero_image_alt)

    def test_article_video_is_a_click_to_load_facade(self):
        (video,) = self.blocks("video")
        self.assertEqual(video["title"], "7 Simple Tips To Get Rid Of Hip Pain")
        self.assertEqual(video.video.provider, "youtube")
        self.assertEqual(len(video.video.video_id), 11)
        self.assertTrue(video["poster"] and video["duration_seconds"] and video["description"])
        self.assertIn("Dr. Dave Candy", video["description"])

        html = self.client.get(ARTICLE_URL).content.decode()
        self.assertIn('aria-label="Play video: 7 Simple Tips To Get Rid Of Hip Pain', html)
        self.assertNotIn("<iframe", html)

    def test_images_are_generated_with_alt_text(self):
        images = CustomImage.objects.all()
        self.assertGreaterEqual(images.count(), 10)
        for image in images:
            with self.subTest(image=image.title):
                self.assertTrue(image.description)
                self.assertLess(image.file_size, 60_000)
                self.assertGreater(image.width, 0)

    def test_standard_pages_say_what_they_must(self):
        disclosure = self.client.get("/affiliate-disclosure/").content.decode()
        self.assertIn("As an Amazon Associate I earn from qualifying purchases", disclosure)
        privacy = StandardPage.objects.get(slug="privacy")
        text = " ".join(str(block.value) for block in privacy.body)
        for phrase in ("without cookies", "IP address itself is never stored", "12 months", "youtube-nocookie"):
            self.assertIn(phrase, text)

    def test_clinic_settings_are_filled(self):
        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        self.assertEqual((clinic.phone, clinic.locality, clinic.region), ("314-941-3970", "St. Louis", "MO"))
        self.assertTrue(clinic.hours)

    def test_no_demo_login_when_debug_is_off(self):
        self.assertFalse(get_user_model().objects.filter(username=DEMO_USERNAME).exists())
        self.assertIn("Demo login not created", self.first_output)

    def test_add_block_hook_helper_inserts_once_after_a_heading(self):
        demo = DemoContent()
        value = {"style": "info", "title": "Offer", "text": "<p>Save with code M4LPT</p>"}
        article = self.article()
        self.assertTrue(demo.add_block(article, "callout", value, key="offer", after_anchor="back-problems"))
        self.assertFalse(demo.add_block(article, "callout", value, key="offer", after_anchor="back-problems"))
        body = list(self.article().body)
        position = next(
            i
            for i, block in enumerate(body)
            if block.block_type == "heading" and block.value["anchor"] == "back-problems"
        )
        self.assertEqual(body[position + 1].value["title"], "Offer")
        self.assertEqual(
            sum(1 for block in body if block.block_type == "callout" and block.value["title"] == "Offer"), 1
        )
        with self.assertRaisesMessage(ValueError, "no heading with the anchor 'nope'"):
            demo.add_block(article, "callout", value, key="other", after_anchor="nope")


class DemoLoginTests(MediaInTempDir, TestCase):
    """The documented demo password is only created where it is safe to."""

    def test_created_under_debug_or_when_asked_explicitly(self):
        with override_settings(DEBUG=True):
            output = load()
        user = get_user_model().objects.get(username=DEMO_USERNAME)
        self.assertTrue(user.is_superuser and user.check_password(DEMO_PASSWORD))
        self.assertIn(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}", output)

        user.delete()
        load()  # DEBUG is off in tests
        self.assertFalse(get_user_model().objects.filter(username=DEMO_USERNAME).exists())
        load("--with-demo-login")
        self.assertTrue(get_user_model().objects.filter(username=DEMO_USERNAME, is_superuser=True).exists())

    def test_loads_into_an_empty_tree(self):
        # What a flushed database looks like (e.g. after a transactional test): no root page,
        # no site, no locale.
        Site.objects.all().delete()
        Page.objects.all().delete()
        Locale.objects.all().delete()
        load()
        self.assertEqual(self.client.get(ARTICLE_URL).status_code, 200)


def test_env_example_lists_every_variable_the_settings_read():
    # `.env.example` is the reference `make run` users copy; keep it in step with the settings.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read = set()
    for path in (root / "cms" / "settings").glob("*.py"):
        read |= set(re.findall(r"""env(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", path.read_text()))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (root / ".env.example").read_text(), flags=re.M))
    assert read, "no env() calls found: the pattern is out of date"
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_each_apps_demo_hook_runs_after_the_core_site(monkeypatch):
    """The extension point: `<app>/demo.py` with `demo_content(demo)`, called in INSTALLED_APPS
    order, so an app's hook finds the pages cms built (here both hooks are stand-ins)."""
    import sys
    import types

    import cms.demo
    from cms.demo import run_hooks

    calls = []

    def core(demo):
        calls.append("cms")
        demo.pages["home"] = "the home page"

    marketing_demo = types.ModuleType("marketing.demo")
    marketing_demo.demo_content = lambda demo: calls.append(("marketing", demo.pages["home"]))
    monkeypatch.setattr(cms.demo, "demo_content", core)
    monkeypatch.setitem(sys.modules, "marketing.demo", marketing_demo)
    # Only these apps (auth: a third-party app, never searched), so hooks other teams add later
    # do not run here without a database.
    from django.apps import apps

    only = [apps.get_app_config(label) for label in ("cms", "auth", "marketing")]
    monkeypatch.setattr(cms.demo.apps, "get_app_configs", lambda: only)

    assert run_hooks(DemoContent()) == ["cms", "marketing"]
    assert calls == ["cms", ("marketing", "the home page")]
