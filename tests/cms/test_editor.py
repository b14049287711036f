"""Editors work in the Wagtail admin: they can create an article with every block, and the
admin refuses missing alt text or exercise doses with messages an editor understands."""

import html
import socket

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.factories import ArticleIndexPageFactory, AuthorFactory, HomePageFactory, ImageFactory, TopicFactory
from cms.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
from cms.roles import ADMINISTRATORS, ALL_ROLES, EDITORS, FRONT_DESK, MARKETING, SHOP_STAFF

LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


def video(**overrides):
    return {
        "url": "https://youtu.be/M7lc1UVf-VE",
        "title": "7 Simple Tips To Get Rid Of Hip Pain",
        "poster": "",
        "duration_seconds": "372",
        "description": "Dr. Dave Candy shows seven ways to ease hip pain.",
        "upload_date": "2024-03-12",
        **overrides,
    }


def exercise(**overrides):
    return {
        "name": "Hip Flexion Stretch",
        "instructions": rich_text("<p>Pull your knee toward your chest.</p>"),
        "image": "",
        "image_alt_text": "",
        "hold_seconds": "10",
        "hold_seconds_max": "",
        "repetitions": "10",
        "repetitions_max": "",
        "sets": "",
        "safety_note": "Only go as far as you can without pain.",
        **overrides,
    }


def list_block(values):
    data = {str(i): {"value": value, "deleted": "", "order": str(i), "id": ""} for i, value in enumerate(values)}
    data["count"] = str(len(values))
    return data


def article_form(author, topics, image, body_items, **fields):
    data = {
        "title": "Can't Lift Leg To Get In Car?",
        "slug": "cant-lift-leg-to-get-in-car",
        "summary": "Stretches that make getting into the car easier.",
        "hero_image": str(image.pk),
        "hero_image_alt": "Patient lifting her leg into a car",
        "author": str(author.pk),
        "topics": [str(t.pk) for t in topics],
        "publish_date": "2024-03-12",
        "body": streamfield(body_items),
        "seo_title": "",
        "search_description": "",
        "canonical_url": "",
        "social_image": "",
        **fields,
    }
    form = nested_form_data(data)
    form["topics"] = [str(t.pk) for t in topics]  # a multiple-choice field posts one value per id
    for key in [k for k in form if k.startswith("topics-")]:
        del form[key]
    return form


def no_external_network(monkeypatch):
    """Any connection that leaves this machine fails, as it would on a clinic's offline server."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(address, tuple) and host not in LOCAL_HOSTS:
            raise OSError(f"network disabled in this test: {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


class EditorTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory()
        cls.index = ArticleIndexPageFactory(parent=cls.home)
        cls.author = AuthorFactory()
        cls.topics = [TopicFactory(name="Hip pain"), TopicFactory(name="Back pain")]
        cls.image = ImageFactory()
        cls.editor = User.objects.create_user("editor", "editor@example.com", "pw")
        cls.editor.groups.add(Group.objects.get(name=EDITORS))

    def setUp(self):
        self.client.force_login(self.editor)

    def post_article(self, body_items, **fields):
        url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", self.index.pk])
        return self.client.post(
            url, {**article_form(self.author, self.topics, self.image, body_items, **fields), "action-publish": "1"}
        )


class TestEditorCreatesArticle(EditorTestCase):
    @pytest.fixture(autouse=True)
    def _offline(self, monkeypatch):
        no_external_network(monkeypatch)

    def test_editor_creates_article_with_every_block_offline(self):
        with pytest.raises(OSError, match="network disabled"):
            socket.create_connection(("203.0.113.1", 443), timeout=1)  # the guard is on
        body = [
            ("heading", {"text": "Why Is It Hard To Lift Your Leg?", "level": "h2", "anchor": ""}),
            ("paragraph", rich_text("<p>Often the cause is a muscle imbalance.</p>")),
            ("image", {"image": str(self.image.pk), "alt_text": "Knee to chest", "caption": "", "attribution": ""}),
            ("video", video(poster=str(self.image.pk))),
            ("exercise", exercise()),
            ("steps", {"title": "Getting in", "steps": list_block(["Back up to the seat.", "Sit down."])}),
            ("callout", {"style": "tip", "title": "Tip", "text": rich_text("<p>Breathe.</p>")}),
            (
                "appointment_cta",
                {"heading": "Need help?", "text": rich_text("<p>Call us.</p>"), "button_label": "Book", "page": ""},
            ),
        ]
        self.assertCanCreate(
            self.index,
            ArticlePage,
            article_form(self.author, self.topics, self.image, body),
        )
        page = ArticlePage.objects.get(slug="cant-lift-leg-to-get-in-car")
        assert page.live
        assert [b.block_type for b in page.body] == [
            "heading", "paragraph", "image", "video", "exercise", "steps", "callout", "appointment_cta",
        ]  # fmt: skip
        assert sorted(t.name for t in page.topics.all()) == ["Back pain", "Hip pain"]
        assert page.author == self.author

        # The page renders offline, with the facade named after the video.
        self.client.logout()
        response = self.client.get(page.url)
        assert response.status_code == 200
        assert b'aria-label="Play video: 7 Simple Tips To Get Rid Of Hip Pain 6:12"' in response.content
        assert b"youtube-nocookie.com/embed/M7lc1UVf-VE" in response.content
        assert b"i.ytimg.com" not in response.content and b"img.youtube.com" not in response.content

    def test_can_create_standard_pages_and_indexes(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(HomePage, ArticleIndexPage)
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Privacy",
                    "intro": "How we treat your data.",
                    "body": streamfield([("paragraph", rich_text("<p>No trackers.</p>"))]),
                    "seo_title": "",
                    "search_description": "",
                    "canonical_url": "",
                    "social_image": "",
                }
            ),
        )


class TestEditorPreview(EditorTestCase):
    def test_preview_of_a_new_article_renders_with_site_layout(self):
        body = [
            ("heading", {"text": "Why It Hurts", "level": "h2", "anchor": ""}),
            ("video", video()),
            ("exercise", exercise()),
        ]
        url = reverse("wagtailadmin_pages:preview_on_add", args=["cms", "articlepage", self.index.pk])
        checked = self.client.post(url, article_form(self.author, self.topics, self.image, body))
        assert checked.json() == {"is_valid": True, "is_available": True}
        response = self.client.get(url)
        assert response.status_code == 200
        assert b'<nav class="toc"' in response.content and b'href="#why-it-hurts"' in response.content
        assert b'<section class="exercise"' in response.content
        assert b"Call To Schedule 314-941-3970" in response.content
        assert not ArticlePage.objects.filter(slug="cant-lift-leg-to-get-in-car").exists()


class TestEditorFriendlyValidation(EditorTestCase):
    def assert_refused_with(self, response, message):
        assert response.status_code == 200  # the form comes back, nothing is lost
        assert not ArticlePage.objects.filter(slug="cant-lift-leg-to-get-in-car").exists()
        assert message in html.unescape(response.content.decode()).replace("\\u0027", "'")

    def test_image_without_alt_text(self):
        body = [("image", {"image": str(self.image.pk), "alt_text": " ", "caption": "", "attribution": ""})]
        self.assert_refused_with(self.post_article(body), "Describe the image for visitors who use a screen reader.")

    def test_exercise_without_hold_or_repetitions(self):
        body = [("exercise", exercise(hold_seconds="", repetitions=""))]
        self.assert_refused_with(
            self.post_article(body),
            "Give a hold time, a number of repetitions, or both, so patients know how much to do.",
        )

    def test_exercise_range_upside_down(self):
        body = [("exercise", exercise(repetitions="10", repetitions_max="5"))]
        self.assert_refused_with(self.post_article(body), "The upper repetitions must be larger than the lower one.")

    def test_exercise_image_without_alt_text(self):
        body = [("exercise", exercise(image=str(self.image.pk)))]
        self.assert_refused_with(
            self.post_article(body), "Describe the exercise image for visitors who use a screen reader."
        )

    def test_exercise_without_name(self):
        body = [("exercise", exercise(name=""))]
        self.assert_refused_with(self.post_article(body), "This field is required.")

    def test_video_from_unsupported_site(self):
        body = [("video", video(url="https://example.com/clip.mp4"))]
        self.assert_refused_with(
            self.post_article(body), "Only YouTube and Vimeo videos can be embedded. Paste the video's page address."
        )

    def test_hero_image_without_alt_text(self):
        response = self.post_article([("paragraph", rich_text("<p>x</p>"))], hero_image_alt="")
        self.assert_refused_with(response, "Describe the main image for visitors who use a screen reader.")

    def test_heading_anchor_must_be_a_slug(self):
        body = [("heading", {"text": "Why?", "level": "h2", "anchor": "Why It Hurts"})]
        self.assert_refused_with(
            self.post_article(body), "Use lowercase letters, numbers and hyphens only, e.g. 'why-it-hurts'."
        )


@pytest.mark.django_db
class TestRoles:
    def test_roles_exist(self):
        assert set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True)) == set(ALL_ROLES)

    def test_editor_reaches_the_page_editor_and_snippets(self, client, editor, article):
        client.force_login(editor)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code == 200
        assert client.get(reverse("wagtailsnippets_cms_author:list")).status_code == 200
        assert client.get(reverse("wagtailimages:index")).status_code == 200

    @pytest.mark.parametrize("role", [MARKETING, FRONT_DESK, SHOP_STAFF])
    def test_other_roles_cannot_edit_pages(self, client, article, role):
        user = User.objects.create_user(f"user-{role}", "u@example.com", "pw")
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        assert response.status_code in (302, 403)
        assert b'name="title"' not in response.content
        assert not article.permissions_for_user(user).can_edit()

    def test_editor_cannot_change_clinic_settings(self, client, editor, home_page):
        client.force_login(editor)
        url = reverse("wagtailsettings:edit", args=["cms", "clinicsettings"])
        response = client.get(url, follow=True)
        assert all("/settings/" not in hop for hop, _ in response.redirect_chain)
        assert b'name="phone"' not in response.content

    def test_administrators_can_change_clinic_settings(self, client, home_page):
        user = User.objects.create_user("boss", "b@example.com", "pw")
        user.groups.add(Group.objects.get(name=ADMINISTRATORS))
        client.force_login(user)
        url = reverse("wagtailsettings:edit", args=["cms", "clinicsettings"])
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert b'name="phone"' in response.content

    def test_anonymous_is_sent_to_login(self, client, article):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert Page.objects.filter(pk=article.pk).exists()
