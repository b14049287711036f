"""StreamField blocks for articles and pages.

One shared body (`ArticleBodyBlock`); every block has an icon, a template, a group, a
description and a preview value so editors see what they pick. Validation that spans
fields lives in `clean()` and speaks to editors, not developers.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from marketing.blocks import OfferBlock
from marketing.leads.blocks import AppointmentFormBlock

from .video import UnsupportedVideoURL, clock_duration, iso8601_duration, parse_video_url

TEXT, MEDIA, EXERCISES, CTA = "Text", "Media", "Exercises", "Calls to action"

RICH_TEXT_FEATURES = ["bold", "italic", "link", "tracked-link", "ol", "ul", "h3", "h4", "document-link"]


class HeadingValue(blocks.StructValue):
    # Named anchor_id, not anchor: templates look up dict keys before attributes, and the
    # block's own (often empty) "anchor" field would win.
    @property
    def anchor_id(self) -> str:
        return self.get("anchor") or slugify(self.get("text") or "") or "section"


class HeadingBlock(blocks.StructBlock):
    """A section heading. Level-2 headings feed the article's table of contents."""

    text = blocks.CharBlock(max_length=160)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")],
        default="h2",
        help_text="Sections appear in the table of contents.",
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link name for #links; made from the heading when empty.",
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("anchor") and slugify(value["anchor"]) != value["anchor"]:
            raise StructBlockValidationError(
                block_errors={
                    "anchor": ValidationError(
                        f"Use lowercase letters, numbers and hyphens only, e.g. '{slugify(value['anchor'])}'."
                    )
                }
            )
        return value

    class Meta:
        icon = "title"
        group = TEXT
        template = "components/streamfield/blocks/heading_block.html"
        value_class = HeadingValue
        description = "A section heading; sections are listed in the table of contents."
        preview_value = {"text": "Exercises To Improve Your Hip Mobility", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        # RichTextBlock takes its features as an argument; a Meta attribute would be ignored.
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        group = TEXT
        template = "components/streamfield/blocks/paragraph_block.html"
        description = "Text with bold, italics, links and lists."
        preview_value = (
            "<p>If you can't lift your leg to get in the car, you're not alone. Many people with "
            "hip or back pain have difficulty lifting their leg.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        label="Alt text",
        help_text="What the image shows, for visitors who can't see it, e.g. 'Patient pulling knee to chest'.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)
    attribution = blocks.CharBlock(required=False, max_length=120)

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        "Describe the image for visitors who use a screen reader. "
                        "Say what it shows, e.g. 'Patient pulling knee toward chest'."
                    )
                }
            )
        return value

    class Meta:
        icon = "image"
        group = MEDIA
        template = "components/streamfield/blocks/image_block.html"
        description = "An image with a caption and alt text."


class VideoValue(blocks.StructValue):
    @property
    def video(self):
        try:
            return parse_video_url(self.get("url") or "")
        except UnsupportedVideoURL:
            return None

    @property
    def duration_clock(self) -> str:
        return clock_duration(self.get("duration_seconds"))

    @property
    def duration_iso(self) -> str:
        return iso8601_duration(self.get("duration_seconds"))


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video behind a click-to-load facade.

    Nothing is fetched from the provider when the page is saved or viewed: the player
    (youtube-nocookie / Vimeo with dnt) loads only when the visitor presses play.
    """

    url = blocks.URLBlock(label="Video address", help_text="The YouTube or Vimeo page address of the video.")
    title = blocks.CharBlock(max_length=200, help_text="Shown on the play button and read by screen readers.")
    poster = ImageChooserBlock(
        required=False, help_text="Shown before the video plays. No image is fetched from YouTube."
    )
    duration_seconds = blocks.IntegerBlock(required=False, min_value=1, label="Duration (seconds)")
    description = blocks.TextBlock(required=False, max_length=500, help_text="Used by search engines.")
    upload_date = blocks.DateBlock(required=False, help_text="When the video was published.")

    def clean(self, value):
        value = super().clean(value)
        try:
            parse_video_url(value.get("url") or "")
        except UnsupportedVideoURL as error:
            raise StructBlockValidationError(block_errors={"url": ValidationError(str(error))}) from error
        return value

    class Meta:
        icon = "media"
        group = MEDIA
        template = "components/streamfield/blocks/video_block.html"
        value_class = VideoValue
        description = "A YouTube or Vimeo video that loads only when the visitor presses play."
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "7 Simple Tips To Get Rid Of Hip Pain",
            "duration_seconds": 372,
        }


class ExerciseValue(blocks.StructValue):
    @staticmethod
    def _span(low, high, unit_one, unit_many):
        if not low:
            return ""
        if high and high != low:
            return f"{low}\u2013{high} {unit_many}"
        return f"{low} {unit_one if low == 1 else unit_many}"

    @property
    def hold_display(self) -> str:
        low, high = self.get("hold_seconds"), self.get("hold_seconds_max")
        if low and low % 60 == 0 and (not high or high % 60 == 0):
            return self._span(low // 60, (high or 0) // 60, "minute", "minutes")
        return self._span(low, high, "second", "seconds")

    @property
    def repetitions_display(self) -> str:
        return self._span(self.get("repetitions"), self.get("repetitions_max"), "time", "times")


class ExerciseBlock(blocks.StructBlock):
    """A numbered exercise card. Numbers follow the order of exercises on the page."""

    name = blocks.CharBlock(max_length=120)
    instructions = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link"])
    image = ImageChooserBlock(required=False)
    image_alt_text = blocks.CharBlock(required=False, max_length=250, label="Image alt text")
    hold_seconds = blocks.IntegerBlock(
        required=False, min_value=1, max_value=3600, help_text="How long to hold, in seconds."
    )
    hold_seconds_max = blocks.IntegerBlock(
        required=False, min_value=1, max_value=3600, help_text="Upper end of a range, e.g. 120 for '1-2 minutes'."
    )
    repetitions = blocks.IntegerBlock(required=False, min_value=1, max_value=500)
    repetitions_max = blocks.IntegerBlock(
        required=False, min_value=1, max_value=500, help_text="Upper end of a range, e.g. 10 for '5-10 times'."
    )
    sets = blocks.IntegerBlock(required=False, min_value=1, max_value=20)
    safety_note = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="e.g. 'Only go as far as you can without pain.'",
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("hold_seconds") and not value.get("repetitions"):
            errors["hold_seconds"] = ValidationError(
                "Give a hold time, a number of repetitions, or both, so patients know how much to do."
            )
        for low, high, what in (
            ("hold_seconds", "hold_seconds_max", "hold time"),
            ("repetitions", "repetitions_max", "repetitions"),
        ):
            if value.get(high) and not value.get(low):
                errors[low] = ValidationError(f"Fill in the lower {what} before the upper one.")
            elif value.get(high) and value[high] < value[low]:
                errors[high] = ValidationError(f"The upper {what} must be larger than the lower one.")
        if value.get("image") and not (value.get("image_alt_text") or "").strip():
            errors["image_alt_text"] = ValidationError(
                "Describe the exercise image for visitors who use a screen reader."
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "pick"
        group = EXERCISES
        template = "components/streamfield/blocks/exercise_block.html"
        value_class = ExerciseValue
        description = "A numbered exercise with hold time, repetitions and a safety note."
        preview_value = {
            "name": "Hip Flexion Stretch",
            "instructions": "<p>Use your hands to pull your knee up toward your chest as far as you can.</p>",
            "hold_seconds": 10,
            "repetitions": 10,
            "safety_note": "Only go as far as you can without pain.",
        }


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=160)
    steps = blocks.ListBlock(blocks.CharBlock(max_length=500, label="Step"), min_num=1)

    class Meta:
        icon = "list-ol"
        group = EXERCISES
        template = "components/streamfield/blocks/steps_block.html"
        description = "Ordered steps, e.g. how to get into the car."
        preview_value = {
            "title": "Getting in the car",
            "steps": ["Back up to the seat.", "Sit down.", "Lift your legs in."],
        }


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(choices=[("info", "Note"), ("tip", "Tip"), ("warning", "Caution")], default="info")
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        group = TEXT
        template = "components/streamfield/blocks/callout_block.html"
        description = "A highlighted note, tip or caution."
        preview_value = {"style": "tip", "title": "Tip", "text": "<p>You can also do this exercise lying down.</p>"}


class AppointmentCTABlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Have problems lifting your leg?")
    text = blocks.RichTextBlock(
        features=["bold", "italic"],
        default=(
            "<p>If you live in the St. Louis area and need more help, we'd be happy to help. Tap "
            "the button below to request an appointment with one of our specialist physical "
            "therapists.</p>"
        ),
    )
    button_label = blocks.CharBlock(max_length=60, default="Request an appointment")
    page = blocks.PageChooserBlock(
        required=False, help_text="Where the button goes. Empty: the 'Request an appointment' page."
    )

    class Meta:
        icon = "date"
        group = CTA
        template = "components/streamfield/blocks/appointment_cta_block.html"
        description = "A call to action to request an appointment, with the clinic's phone number."
        preview_value = {"heading": "Have problems lifting your leg?", "button_label": "Request an appointment"}


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    exercise = ExerciseBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    appointment_cta = AppointmentCTABlock()
    appointment_form = AppointmentFormBlock()
    offer = OfferBlock()

    class Meta:
        template = "components/streamfield/body.html"


class PageBodyBlock(blocks.StreamBlock):
    """Body of standard pages (about, contact, disclosure, privacy)."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    appointment_cta = AppointmentCTABlock()
    appointment_form = AppointmentFormBlock()

    class Meta:
        template = "components/streamfield/body.html"


def outline(stream) -> list[tuple]:
    """Pair each block of a body with what depends on its place in the page.

    Returns (block, extra) where extra holds `number` for exercises (1, 2, 3 in page order)
    and a unique `anchor` for headings, so that the table of contents and the heading ids
    always agree, even when two headings share a text.
    """
    result = []
    seen: dict[str, int] = {}
    number = 0
    for block in stream or ():
        extra: dict = {}
        if block.block_type == "exercise":
            number += 1
            extra["number"] = number
        elif block.block_type == "heading":
            anchor = block.value.anchor_id
            seen[anchor] = seen.get(anchor, 0) + 1
            extra["anchor"] = anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"
        result.append((block, extra))
    return result
