"""Each StreamField block renders on its own, validates like an editor expects, and the video
facade keeps the DOM contract the browser test and the analytics beacon rely on."""

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from wagtail.blocks.struct_block import StructBlockValidationError

from cms import blocks
from cms.factories import exercise_value, video_value
from cms.video import UnsupportedVideoURL, clock_duration, iso8601_duration, parse_video_url


def render(block, raw, **context) -> BeautifulSoup:
    value = block.to_python(raw)
    return BeautifulSoup(block.render(value, context=context), "html.parser")


def errors_of(block, raw) -> dict[str, str]:
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python(raw))
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


ALL_BLOCKS = [
    blocks.HeadingBlock,
    blocks.ParagraphBlock,
    blocks.CaptionedImageBlock,
    blocks.VideoBlock,
    blocks.ExerciseBlock,
    blocks.StepsBlock,
    blocks.CalloutBlock,
    blocks.AppointmentCTABlock,
]


@pytest.mark.parametrize("block_class", ALL_BLOCKS, ids=lambda c: c.__name__)
def test_every_block_is_described_for_editors(block_class):
    meta = block_class()._meta_class
    assert meta.icon and meta.group and meta.description
    assert meta.template.startswith("components/streamfield/blocks/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "block_class", [b for b in ALL_BLOCKS if b is not blocks.CaptionedImageBlock], ids=lambda c: c.__name__
)
def test_every_block_preview_renders(block_class):
    block = block_class()
    html = block.render(block.get_preview_value(), context={})
    assert len(BeautifulSoup(html, "html.parser").get_text(strip=True)) > 5


@pytest.mark.django_db
class TestRendering:
    def test_heading_anchor(self):
        soup = render(blocks.HeadingBlock(), {"text": "Why It Hurts", "level": "h2", "anchor": ""})
        assert soup.h2["id"] == "why-it-hurts" and soup.h2.get_text() == "Why It Hurts"
        soup = render(blocks.HeadingBlock(), {"text": "Sub", "level": "h3", "anchor": "custom-id"})
        assert soup.h3["id"] == "custom-id"

    def test_paragraph(self):
        soup = render(blocks.ParagraphBlock(), "<p>Hello <b>there</b></p>")
        assert soup.select_one(".rich-text p b").get_text() == "there"

    def test_image_with_caption(self, image):
        soup = render(
            blocks.CaptionedImageBlock(),
            {"image": image.pk, "alt_text": "Knee to chest", "caption": "Hold for 10 seconds", "attribution": "M4L"},
        )
        assert [s["type"] for s in soup.select("picture source")] == ["image/avif", "image/webp"]
        img = soup.img
        assert img["alt"] == "Knee to chest" and img["loading"] == "lazy"
        assert img["width"] and img["height"] and "sizes" in img.attrs
        assert soup.figcaption.get_text(" ", strip=True) == "Hold for 10 seconds M4L"

    def test_exercise_alone_is_number_one(self):
        soup = render(blocks.ExerciseBlock(), exercise_value(sets=3))
        card = soup.select_one("section.exercise")
        assert card.select_one(".exercise__number").get_text(strip=True) == "Exercise1"
        assert "3" in card.select_one(".exercise__dose").get_text()

    def test_steps(self):
        soup = render(blocks.StepsBlock(), {"title": "Getting in", "steps": ["Back up.", "Sit.", "Swivel."]})
        assert [li.get_text() for li in soup.select("ol li")] == ["Back up.", "Sit.", "Swivel."]

    @pytest.mark.parametrize(("style", "name"), [("info", "Note"), ("tip", "Tip"), ("warning", "Caution")])
    def test_callout_is_a_named_complementary_region(self, style, name):
        soup = render(blocks.CalloutBlock(), {"style": style, "title": "", "text": "<p>Careful.</p>"})
        aside = soup.select_one(f"aside.callout--{style}")
        assert aside["aria-label"] == name

    def test_appointment_cta_default_and_chosen_page(self, home_page):
        from cms.factories import StandardPageFactory

        soup = render(
            blocks.AppointmentCTABlock(),
            {"heading": "Need help?", "text": "<p>x</p>", "button_label": "Book", "page": None},
        )
        assert soup.select_one("a.button")["href"] == "/request-appointment/"
        assert soup.select_one("a[href^='tel:']").get_text() == "314-941-3970"
        contact = StandardPageFactory(parent=home_page, title="Contact")
        soup = render(
            blocks.AppointmentCTABlock(),
            {"heading": "Need help?", "text": "<p>x</p>", "button_label": "Book", "page": contact.pk},
        )
        assert soup.select_one("a.button")["href"] == "/contact/"


@pytest.mark.django_db
class TestVideoFacade:
    def test_dom_contract(self):
        soup = render(blocks.VideoBlock(), video_value())
        figure = soup.select_one("figure.video")
        assert figure["data-video-player"] == (
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1&rel=0&modestbranding=1"
        )
        link = figure.select_one("a.video__facade")
        assert link["href"] == "https://www.youtube.com/watch?v=M7lc1UVf-VE"
        assert link["aria-label"] == "Play video: 7 Simple Tips To Get Rid Of Hip Pain 6:12"
        # WCAG 2.5.3 label in name: the spoken name contains the words shown.
        assert " ".join(link.get_text().split()) in link["aria-label"]
        assert link.select_one(".video__title").get_text() == "7 Simple Tips To Get Rid Of Hip Pain"
        assert link.select_one(".video__duration").get_text() == "6:12"
        assert link.select_one(".video__play svg")
        assert link.select_one(".video__poster--placeholder")
        assert soup.find("iframe") is None  # the player loads only on click

    def test_never_a_provider_thumbnail(self, image):
        soup = render(blocks.VideoBlock(), video_value(poster=image.pk))
        urls = []
        for tag in soup.find_all(["img", "source"]):
            urls += [tag["src"]] if tag.get("src") else []
            urls += [entry.split()[0] for entry in tag.get("srcset", "").split(",") if entry.strip()]
        assert urls and all(url.startswith("/media/images/") for url in urls), urls
        assert soup.select_one("a.video__facade img")["alt"] == ""  # the link's label names it

    def test_vimeo(self):
        soup = render(blocks.VideoBlock(), video_value(url="https://vimeo.com/76979871", duration_seconds=None))
        figure = soup.select_one("figure.video")
        assert figure["data-video-player"] == "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"
        assert figure.a["aria-label"] == "Play video: 7 Simple Tips To Get Rid Of Hip Pain"
        assert figure.select_one(".video__duration") is None

    def test_stored_bad_url_renders_nothing_rather_than_failing(self):
        soup = render(blocks.VideoBlock(), video_value(url="https://example.com/x"))
        assert soup.select_one("figure.video") is None


class TestValidation:
    def test_image_needs_alt_text(self, db, image):
        errors = errors_of(
            blocks.CaptionedImageBlock(), {"image": image.pk, "alt_text": "  ", "caption": "", "attribution": ""}
        )
        assert errors == {
            "alt_text": "Describe the image for visitors who use a screen reader. "
            "Say what it shows, e.g. 'Patient pulling knee toward chest'."
        }

    def test_exercise_needs_a_dose(self):
        errors = errors_of(blocks.ExerciseBlock(), exercise_value(hold_seconds=None, repetitions=None))
        assert errors == {
            "hold_seconds": "Give a hold time, a number of repetitions, or both, so patients know how much to do."
        }

    def test_exercise_upper_without_lower(self):
        errors = errors_of(blocks.ExerciseBlock(), exercise_value(hold_seconds=None, hold_seconds_max=30))
        assert errors["hold_seconds"] == "Fill in the lower hold time before the upper one."

    @given(low=st.integers(1, 500), high=st.integers(1, 500))
    def test_repetition_ranges(self, low, high):
        block = blocks.ExerciseBlock()
        value = block.to_python(exercise_value(repetitions=low, repetitions_max=high))
        if high < low:
            with pytest.raises(StructBlockValidationError) as caught:
                block.clean(value)
            assert set(caught.value.block_errors) == {"repetitions_max"}
        else:
            cleaned = block.clean(value)
            expected = f"{low} time" + ("" if low == 1 else "s") if high == low else f"{low}\u2013{high} times"
            assert cleaned.repetitions_display == expected

    def test_exercise_requires_name_and_instructions(self):
        errors = errors_of(blocks.ExerciseBlock(), exercise_value(name="", instructions=""))
        assert set(errors) == {"name", "instructions"}

    def test_heading_anchor_must_be_a_slug(self):
        errors = errors_of(blocks.HeadingBlock(), {"text": "Why", "level": "h2", "anchor": "Why It Hurts!"})
        assert errors == {"anchor": "Use lowercase letters, numbers and hyphens only, e.g. 'why-it-hurts'."}

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("https://example.com/video.mp4", "Only YouTube and Vimeo videos can be embedded."),
            ("https://www.youtube.com/watch?v=short", "This YouTube address has no valid video id."),
            ("https://vimeo.com/channels/staffpicks", "This Vimeo address has no video number."),
        ],
    )
    def test_video_url_messages(self, url, message):
        errors = errors_of(blocks.VideoBlock(), video_value(url=url))
        assert errors["url"].startswith(message)


class TestVideoURLs:
    @pytest.mark.parametrize(
        ("url", "provider", "video_id", "start"),
        [
            ("https://www.youtube.com/watch?v=M7lc1UVf-VE", "youtube", "M7lc1UVf-VE", 0),
            ("https://youtube.com/watch?v=M7lc1UVf-VE&t=90", "youtube", "M7lc1UVf-VE", 90),
            ("https://youtu.be/M7lc1UVf-VE?t=1m30s", "youtube", "M7lc1UVf-VE", 90),
            ("https://m.youtube.com/shorts/M7lc1UVf-VE", "youtube", "M7lc1UVf-VE", 0),
            ("https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=5", "youtube", "M7lc1UVf-VE", 5),
            ("http://www.youtube.com/live/M7lc1UVf-VE", "youtube", "M7lc1UVf-VE", 0),
            ("https://vimeo.com/76979871", "vimeo", "76979871", 0),
            ("https://player.vimeo.com/video/76979871", "vimeo", "76979871", 0),
        ],
    )
    def test_recognised(self, url, provider, video_id, start):
        video = parse_video_url(url)
        assert (video.provider, video.video_id, video.start) == (provider, video_id, start)

    def test_player_urls_are_privacy_enhanced(self):
        youtube = parse_video_url("https://youtu.be/M7lc1UVf-VE?t=10")
        assert youtube.player_url.startswith("https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?")
        assert "start=10" in youtube.player_url and "autoplay=1" in youtube.player_url
        assert youtube.watch_url == "https://www.youtube.com/watch?v=M7lc1UVf-VE&t=10s"
        assert "dnt=1" in parse_video_url("https://vimeo.com/1").player_url

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "youtube.com/watch?v=M7lc1UVf-VE",
            "ftp://youtube.com/watch?v=M7lc1UVf-VE",
            "https://youtu.be/",
            "javascript:alert(1)",
        ],
    )
    def test_rejected(self, url):
        with pytest.raises(UnsupportedVideoURL):
            parse_video_url(url)

    @given(st.text(max_size=200))
    def test_any_text_is_either_a_video_or_a_clear_error(self, text):
        try:
            video = parse_video_url(text)
        except UnsupportedVideoURL as error:
            assert str(error)
        else:
            assert video.provider in {"youtube", "vimeo"}

    @given(st.integers(1, 100_000))
    def test_durations(self, seconds):
        iso = iso8601_duration(seconds)
        match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", iso)
        hours, minutes, secs = (int(part or 0) for part in match.groups())
        assert hours * 3600 + minutes * 60 + secs == seconds
        parts = [int(p) for p in clock_duration(seconds).split(":")]
        assert sum(p * 60**i for i, p in enumerate(reversed(parts))) == seconds

    def test_no_duration(self):
        assert iso8601_duration(None) == "" and clock_duration(0) == ""


def test_outline_numbers_exercises_and_dedupes_anchors():
    stream = blocks.ArticleBodyBlock().to_python(
        [
            {"type": "heading", "value": {"text": "Stretches", "level": "h2", "anchor": ""}},
            {"type": "exercise", "value": exercise_value()},
            {"type": "heading", "value": {"text": "Stretches", "level": "h3", "anchor": ""}},
            {"type": "paragraph", "value": "<p>x</p>"},
            {"type": "exercise", "value": exercise_value()},
        ]
    )
    extras = [extra for _, extra in blocks.outline(stream)]
    assert extras == [{"anchor": "stretches"}, {"number": 1}, {"anchor": "stretches-2"}, {}, {"number": 2}]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["heading", "paragraph", "video", "exercise", "steps", "callout", "appointment_cta"])
def test_block_picker_preview_uses_site_styles(admin_client, home_page, name):
    from django.urls import reverse

    from cms.models import ArticlePage

    block = ArticlePage._meta.get_field("body").stream_block.child_blocks[name]
    response = admin_client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("link", rel="stylesheet")["href"].endswith("css/site.css")
    assert soup.select_one(f"main .wrap .block-{name}").get_text(strip=True)
