"""Factories for tests (factory_boy is a test requirement)."""

import factory

from .models import AmazonTrackingID, Offer, Partner, TrackedLink


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    website = "https://partner.example/"
    postback_secret = "s3cret-postback-key"  # noqa: S105 - test data

    class Meta:
        model = Partner
        django_get_or_create = ("slug",)


class OfferFactory(factory.django.DjangoModelFactory):
    partner = factory.SubFactory(PartnerFactory)
    product = "Pso-Rite Psoas Release Tool"
    kind = Offer.PARTNER_DISCOUNT
    code = "M4LPT"
    saving = "Save 50%"
    destination_url = "https://pso-rite.example/products/pso-rite?ref=clinic"

    class Meta:
        model = Offer


class TrackedLinkFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"link-{n}")
    title = factory.Sequence(lambda n: f"Link {n}")
    offer = factory.SubFactory(OfferFactory)
    destination_url = ""

    class Meta:
        model = TrackedLink


class AmazonTrackingIDFactory(factory.django.DjangoModelFactory):
    tracking_id = factory.Sequence(lambda n: f"m4l-article{n}-20")

    class Meta:
        model = AmazonTrackingID
