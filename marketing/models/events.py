"""First-party, cookieless events and their daily rollups.

No IP address is stored anywhere: a visitor is only a keyed hash whose salt rotates daily
(marketing.visitors). Bots are stored and flagged, never counted.
"""

from django.db import models


class Event(models.Model):
    PAGEVIEW = "pageview"
    VIDEO_PLAY = "video_play"
    LINK_CLICK = "link_click"
    AMAZON_CLICK = "amazon_click"
    CODE_COPY = "code_copy"
    TYPE_CHOICES = [
        (PAGEVIEW, "Page view"),
        (VIDEO_PLAY, "Video play"),
        (LINK_CLICK, "Tracked link click"),
        (AMAZON_CLICK, "Amazon link click"),
        (CODE_COPY, "Discount code copied"),
    ]
    CLICK_TYPES = (LINK_CLICK, AMAZON_CLICK)

    # Made by the request that saw the event; buffered events are written with
    # ignore_conflicts, so a batch written twice adds nothing.
    uid = models.UUIDField(unique=True)
    type = models.CharField(max_length=20, choices=TYPE_CHOICES)
    created_at = models.DateTimeField(db_index=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    page_path = models.CharField(max_length=255, blank=True)
    # No single-column indexes on link and offer: the (link, created_at) and (offer, created_at)
    # indexes below serve those lookups, and every index costs each buffered batch.
    link = models.ForeignKey(
        "marketing.TrackedLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        db_index=False,
    )
    offer = models.ForeignKey(
        "marketing.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="events", db_index=False
    )
    slug = models.CharField(max_length=80, blank=True, help_text="The /go/ slug asked for (kept for unknown ones).")
    video = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=100, blank=True)
    medium = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=100, blank=True)
    term = models.CharField(max_length=100, blank=True)
    content = models.CharField(max_length=100, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    visitor_key = models.CharField(max_length=32)
    device = models.CharField(max_length=10)
    is_bot = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["type", "created_at"]),
            models.Index(fields=["link", "created_at"]),
            models.Index(fields=["offer", "created_at"]),
        ]

    def __str__(self):
        return f"{self.get_type_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class DailyStat(models.Model):
    """Clicks, unique clicks and code copies per day for one link or one offer, rebuilt from
    events by marketing.rollups (bots left out). Unique clicks are distinct visitor keys in
    the day: keys rotate daily, so a day is the widest window uniqueness can mean, and daily
    uniques add up exactly over a period."""

    LINK = "link"
    OFFER = "offer"

    day = models.DateField()
    kind = models.CharField(max_length=5, choices=[(LINK, "Link"), (OFFER, "Offer")])
    object_id = models.PositiveBigIntegerField()
    clicks = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)
    copies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "object_id"], name="one_stat_per_day")]
        indexes = [models.Index(fields=["kind", "object_id", "day"])]

    def __str__(self):
        return f"{self.kind} {self.object_id} on {self.day}"
