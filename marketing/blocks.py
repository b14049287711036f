"""The Offer block: a product, its saving and code with a Copy button, a tracked "Get the
deal" button and the disclosure beside it."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class OfferValue(blocks.StructValue):
    @property
    def the_link(self):
        """The chosen tracked link, else the offer's first link."""
        link = self.get("link")
        if link is not None:
            return link
        offer = self.get("offer")
        return offer.links.order_by("pk").first() if offer is not None else None


class OfferBlock(blocks.StructBlock):
    offer = SnippetChooserBlock("marketing.Offer", help_text="The product, saving and code come from the offer.")
    link = SnippetChooserBlock(
        "marketing.TrackedLink",
        required=False,
        help_text="The link behind “Get the deal”. Empty: the offer's first tracked link.",
    )
    heading = blocks.CharBlock(required=False, max_length=120, help_text="Empty: the offer's product name.")
    button_label = blocks.CharBlock(max_length=40, default="Get the deal")

    def clean(self, value):
        value = super().clean(value)
        offer, link = value.get("offer"), value.get("link")
        if offer is not None and link is not None and link.offer_id not in (None, offer.pk):
            raise StructBlockValidationError(
                block_errors={
                    "link": ValidationError(f"“{link}” belongs to another offer; choose one of this offer's links.")
                }
            )
        if offer is not None and link is None and not offer.links.exists():
            raise StructBlockValidationError(
                block_errors={
                    "link": ValidationError(
                        "This offer has no tracked link yet. Create one under Marketing › Tracked links, then choose it here."
                    )
                }
            )
        return value

    class Meta:
        icon = "tag"
        group = "Calls to action"
        template = "components/streamfield/blocks/offer_block.html"
        value_class = OfferValue
        label = "Offer"
        description = "A product deal: image, saving, a discount code to copy and a tracked “Get the deal” button."
