"""The shared vocabulary of marketing data (see ../shared/DESIGN.md): source, visitor key, touch."""

from django.db import models


class VisitorSalt(models.Model):
    """The secret salt of one day's visitor keys. Rotated daily; yesterday's is kept briefly so a
    visit across midnight holds, older ones are deleted so keys can never be recomputed."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return f"salt for {self.day}"


class Touch(models.Model):
    """What led to a conversion (a lead, an order, a partner sale), captured when it happens.

    Other apps point at a Touch; the attribution service (`marketing.attribution`) makes one
    from a request and what the page handed along.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    page_path = models.CharField(max_length=255, blank=True)
    video = models.CharField(max_length=200, blank=True, help_text="The video watched on the page, if any.")
    source = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="utm_source, referrer host, 'qr' or 'direct'."
    )
    medium = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=100, blank=True, db_index=True)
    term = models.CharField(max_length=100, blank=True)
    content = models.CharField(max_length=100, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    landing_path = models.CharField(max_length=255, blank=True)
    link = models.ForeignKey(
        "marketing.TrackedLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="touches"
    )
    offer = models.ForeignKey(
        "marketing.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="touches"
    )

    class Meta:
        indexes = [models.Index(fields=["source", "campaign"])]

    def __str__(self):
        where = self.page_path or "unknown page"
        return f"{where} via {self.source or 'direct'}" + (f" / {self.campaign}" if self.campaign else "")
