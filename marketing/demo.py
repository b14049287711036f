"""Demo marketing data: the Pso-Rite offer with its code, its tracked link, an Amazon Associates
offer with a tracking ID per article, and an Offer block in the demo article.

`load_demo(home_page)` is idempotent: everything is found by a natural key (partner slug, link
slug, tracking ID, block id) and created only when missing. `demo_content(demo)` is the hook the
foundation's `load_demo_content` calls for each app.
"""

import io
import uuid

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

from cms.models import ArticlePage, CustomImage

from .models import AmazonTrackingID, Offer, Partner, TrackedLink

MAIN_ARTICLE_SLUG = "cant-lift-leg-to-get-in-car"
_BLOCK_NAMESPACE = uuid.UUID("0c7a3a52-64a4-4b0e-9f1e-6a1d5b3c2e77")
PSO_RITE_IMAGE_TITLE = "Pso-Rite Psoas Release Tool (demo)"


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"  marketing: {message}\n")


def _product_image() -> CustomImage:
    image = CustomImage.objects.filter(title=PSO_RITE_IMAGE_TITLE).first()
    if image:
        return image
    # Drawn here: nothing may be downloaded. A stylised Pso-Rite (a rounded "A" shape with knobs).
    canvas = Image.new("RGB", (480, 480), "#eef4f2")
    draw = ImageDraw.Draw(canvas)
    draw.polygon([(90, 390), (240, 110), (390, 390), (320, 390), (240, 230), (160, 390)], fill="#1f6f5c")
    for x, y in ((240, 100), (100, 395), (380, 395)):
        draw.ellipse((x - 28, y - 28, x + 28, y + 28), fill="#174f42")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return CustomImage.objects.create(
        title=PSO_RITE_IMAGE_TITLE,
        description="The Pso-Rite psoas release tool, an A-shaped massage tool with rounded knobs",
        file=ImageFile(buffer, name="pso-rite-demo.png"),
        file_size=buffer.getbuffer().nbytes,
    )


def _offers(stdout) -> tuple[TrackedLink, TrackedLink]:
    pso_rite, created = Partner.objects.get_or_create(
        slug="pso-rite", defaults={"name": "Pso-Rite", "website": "https://pso-rite.com/"}
    )
    offer = Offer.objects.filter(partner=pso_rite, code="M4LPT").first()
    if offer is None:
        offer = Offer.objects.create(
            partner=pso_rite,
            product="Pso-Rite Psoas Release Tool",
            kind=Offer.PARTNER_DISCOUNT,
            code="M4LPT",
            saving="Save 50%",
            description="Release stiff hip flexors at home: the Pso-Rite reaches the psoas the way our therapists do.",
            destination_url="https://pso-rite.com/products/pso-rite",
            image=_product_image(),
            image_alt="The Pso-Rite, an A-shaped massage tool with rounded knobs",
            disclosure="We may earn a commission if you buy with our code, at no extra cost to you.",
        )
        _say(stdout, "offer Pso-Rite M4LPT")
    link, _ = TrackedLink.objects.get_or_create(
        slug="pso-rite",
        defaults={
            "title": "Pso-Rite Psoas Release Tool (Save 50%, code M4LPT)",
            "offer": offer,
            "utm_campaign": "m4lpt",
        },
    )

    amazon, _ = Partner.objects.get_or_create(
        slug="amazon", defaults={"name": "Amazon Associates", "website": "https://www.amazon.com/", "is_amazon": True}
    )
    roller = Offer.objects.filter(partner=amazon, product="High-density foam roller").first()
    if roller is None:
        roller = Offer.objects.create(
            partner=amazon,
            product="High-density foam roller",
            kind=Offer.AMAZON,
            destination_url="https://www.amazon.com/dp/B0040EGNIU",
            disclosure="As an Amazon Associate I earn from qualifying purchases.",
        )
        _say(stdout, "Amazon offer foam roller")
    amazon_link, _ = TrackedLink.objects.get_or_create(
        slug="amazon-foam-roller", defaults={"title": "Foam roller on Amazon", "offer": roller}
    )
    return link, amazon_link


def _tracking_ids(home_page, stdout) -> None:
    AmazonTrackingID.objects.get_or_create(
        tracking_id="m4l-site-20", defaults={"channel": "website", "is_default": True}
    )
    for article in ArticlePage.objects.descendant_of(home_page):
        if AmazonTrackingID.objects.filter(page=article).exists():
            continue
        tracking_id = f"m4l-{article.slug[:40]}-20"
        if not AmazonTrackingID.objects.filter(tracking_id=tracking_id).exists():
            AmazonTrackingID.objects.create(tracking_id=tracking_id, page=article)
            _say(stdout, f"Amazon tracking ID {tracking_id}")


def _block_id(key: str) -> str:
    return str(uuid.uuid5(_BLOCK_NAMESPACE, key))


def _insert_offer(home_page, link: TrackedLink, amazon_link: TrackedLink, stdout) -> None:
    article = ArticlePage.objects.descendant_of(home_page).filter(slug=MAIN_ARTICLE_SLUG).first()
    if article is None:
        return
    article = article.get_latest_revision_as_object() if article.has_unpublished_changes else article
    raw = list(article.body.raw_data)
    offer_id, roller_id = _block_id(f"{article.slug}:pso-rite"), _block_id(f"{article.slug}:foam-roller")
    if any(block.get("id") in (offer_id, roller_id) for block in raw):
        return
    # After the paragraph that explains how the psoas compresses the low back; else at the end.
    position = len(raw)
    for index, block in enumerate(raw):
        text = str(block.get("value", "")).lower() if block["type"] == "paragraph" else ""
        if "psoas" in text and "compress" in text:
            position = index + 1
            break
    new_blocks = [
        {
            "type": "offer",
            "id": offer_id,
            "value": {
                "offer": link.offer_id,
                "link": link.pk,
                "heading": "Release tight hip flexors with the Pso-Rite Psoas Release Tool",
                "button_label": "Get the deal",
            },
        },
        {
            "type": "paragraph",
            "id": roller_id,
            "value": (
                "<p>For the stiff thighs that often come with weak hip flexors, a firm "
                f'<a linktype="tracked" id="{amazon_link.pk}">high-density foam roller</a> helps too.</p>'
            ),
        },
    ]
    raw[position:position] = new_blocks
    article.body = raw
    article.save_revision().publish()
    _say(stdout, f"Offer block in {article.title!r}")


def load_demo(home_page, stdout=None) -> None:
    link, amazon_link = _offers(stdout)
    _tracking_ids(home_page, stdout)
    _insert_offer(home_page, link, amazon_link, stdout)


def demo_content(demo) -> None:
    """The foundation's load_demo_content hook."""
    load_demo(demo.pages["home"], stdout=demo.stdout)
