"""Partners, offers (discount codes, affiliate deals), tracked links and Amazon tracking IDs."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from ..amazon import is_amazon_host, is_short_amazon_host


def _check_destination(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError("Enter a full web address starting with https://")
    if is_short_amazon_host(parts.hostname):
        raise ValidationError(
            "Short Amazon links (amzn.to, a.co ...) hide where they lead, which Amazon's Associates rules "
            "forbid. Paste the full amazon.com product address instead."
        )


class Partner(index.Indexed, models.Model):
    """A company whose products the clinic recommends: it pays commission or grants a discount."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True, help_text="Used in the postback address: /m/postback/<slug>/")
    website = models.URLField(blank=True)
    postback_secret = models.CharField(
        max_length=128,
        blank=True,
        help_text="Shared secret the partner signs postbacks with (HMAC-SHA256). Empty: postbacks refused.",
    )
    is_amazon = models.BooleanField(
        default=False, help_text="Amazon Associates: its earnings report is matched to articles by tracking ID."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("website"),
        FieldPanel("is_amazon"),
        FieldPanel("postback_secret"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfferQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(is_active=True).filter(
            models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=now),
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now),
        )


class Offer(index.Indexed, models.Model):
    PARTNER_DISCOUNT = "partner"
    AMAZON = "amazon"
    AFFILIATE = "affiliate"
    KIND_CHOICES = [
        (PARTNER_DISCOUNT, "Partner discount"),
        (AMAZON, "Amazon Associates"),
        (AFFILIATE, "Other affiliate"),
    ]

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers")
    product = models.CharField(max_length=160, help_text="e.g. 'Pso-Rite Psoas Release Tool'")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=PARTNER_DISCOUNT)
    code = models.CharField(
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", "Letters, numbers, hyphens and underscores only.")],
        help_text="The discount code visitors copy, e.g. 'M4LPT'.",
    )
    saving = models.CharField(max_length=60, blank=True, help_text="e.g. 'Save 50%'")
    description = models.TextField(blank=True, max_length=400)
    destination_url = models.URLField(max_length=1000, help_text="The product page at the partner.")
    fallback_url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Where the offer's links go once it has ended. Empty: the partner's website, else our home page.",
    )
    image = models.ForeignKey("cms.CustomImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image_alt = models.CharField(max_length=250, blank=True, help_text="Describe the product image.")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True, help_text="Untick to end the offer now.")
    disclosure = models.CharField(
        max_length=300,
        blank=True,
        default="We may earn a commission if you buy through this link, at no extra cost to you.",
        help_text="Shown beside the offer.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfferQuerySet.as_manager()

    panels = [
        MultiFieldPanel([FieldPanel("partner"), FieldPanel("product"), FieldPanel("kind")], "Offer"),
        MultiFieldPanel([FieldPanel("code"), FieldPanel("saving"), FieldPanel("description")], "The deal"),
        MultiFieldPanel([FieldPanel("destination_url"), FieldPanel("fallback_url")], "Where it goes"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], "Image"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("is_active")], "When"
        ),
        FieldPanel("disclosure"),
    ]
    search_fields = [
        index.SearchField("product"),
        index.AutocompleteField("product"),
        index.SearchField("code"),
        index.RelatedFields("partner", [index.SearchField("name")]),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["product"]
        permissions = [("view_marketing_reports", "Can view marketing reports (clicks, copies, conversions)")]

    def __str__(self):
        return f"{self.product} ({self.saving})" if self.saving else self.product

    def clean(self):
        errors = {}
        if self.destination_url:
            try:
                _check_destination(self.destination_url)
            except ValidationError as error:
                errors["destination_url"] = error
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = ValidationError("The offer must end after it starts.")
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = ValidationError("Describe the product image for visitors who use a screen reader.")
        if (
            self.kind == self.AMAZON
            and self.destination_url
            and not is_amazon_host(urlsplit(self.destination_url).hostname)
        ):
            errors["destination_url"] = ValidationError("An Amazon Associates offer must point at an amazon.com page.")
        if errors:
            raise ValidationError(errors)

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.is_active
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or self.ends_at > now)
        )

    @property
    def is_amazon(self) -> bool:
        return self.kind == self.AMAZON

    def get_fallback_url(self) -> str:
        return self.fallback_url or self.partner.website or "/"


class AmazonTrackingID(models.Model):
    """One Amazon Associates tracking ID per article (or channel), so Amazon's own reports split
    by article. The one marked default is used on pages without their own."""

    tracking_id = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", "Letters, numbers and hyphens, e.g. 'm4l-hip-20'.")],
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amazon_tracking_id",
        help_text="The article this ID belongs to. Empty for a channel (newsletter, social).",
    )
    channel = models.CharField(max_length=60, blank=True, help_text="e.g. 'newsletter' when not for one article.")
    is_default = models.BooleanField(default=False, help_text="Used on pages that have no ID of their own.")

    panels = [FieldPanel("tracking_id"), FieldPanel("page"), FieldPanel("channel"), FieldPanel("is_default")]

    class Meta:
        verbose_name = "Amazon tracking ID"
        ordering = ["tracking_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_amazon_id"
            )
        ]

    def __str__(self):
        return self.tracking_id


class TrackedLink(index.Indexed, models.Model):
    """An outbound link at /go/<slug>/ (or, for Amazon, a direct link carrying the article's
    tracking ID). The destination only ever comes from here: /go/ is never an open redirect."""

    slug = models.SlugField(max_length=80, unique=True, help_text="The address: /go/<slug>/")
    title = models.CharField(max_length=160, help_text="What editors see when they choose the link.")
    destination_url = models.URLField(max_length=1000, blank=True, help_text="Empty: the offer's destination.")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="links")
    utm_source = models.CharField(max_length=60, blank=True, default="more4lifept")
    utm_medium = models.CharField(max_length=60, blank=True, default="referral")
    utm_campaign = models.CharField(max_length=100, blank=True, help_text="Empty: the link's slug.")
    is_affiliate = models.BooleanField(
        default=True, help_text="Paid or commission link: rendered rel='sponsored' with the disclosure."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Link health, written by the periodic check (marketing.tasks.check_link_health).
    health_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    health_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    health_error = models.CharField(max_length=255, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("offer"),
        FieldPanel("destination_url"),
        FieldPanel("is_affiliate"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("utm_source"), FieldPanel("utm_medium"), FieldPanel("utm_campaign")])],
            "Campaign parameters added to the destination",
        ),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("slug"),
    ]

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("marketing:go", args=[self.slug])

    def clean(self):
        if not self.destination_url and not self.offer_id:
            raise ValidationError({"destination_url": "Give a destination or choose an offer to link to."})
        url = self.destination_url or (self.offer.destination_url if self.offer_id else "")
        try:
            _check_destination(url)
        except ValidationError as error:
            raise ValidationError({"destination_url": error}) from error

    @property
    def is_amazon(self) -> bool:
        url = self.destination_url or (self.offer.destination_url if self.offer_id else "")
        return is_amazon_host(urlsplit(url).hostname)

    @property
    def is_healthy(self) -> bool | None:
        if self.health_checked_at is None:
            return None
        return bool(self.health_status and self.health_status < 400)

    def live_url(self) -> str:
        """The destination with the link's UTM parameters (what a click gets while the offer is live)."""
        url = self.destination_url or self.offer.destination_url
        return add_query(
            url,
            {
                "utm_source": self.utm_source,
                "utm_medium": self.utm_medium,
                "utm_campaign": self.utm_campaign or self.slug,
            },
        )

    def target_url(self, now=None) -> str:
        """Where a click goes now: the live URL, or the offer's fallback once it has ended."""
        if self.offer_id and not self.offer.is_live(now):
            return self.offer.get_fallback_url()
        return self.live_url()


def add_query(url: str, params: dict[str, str]) -> str:
    """Add parameters to a URL, keeping its own (the destination's own win: a partner's product
    URL may carry parameters it needs)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    query += [(key, value) for key, value in params.items() if value and key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))
