"""Partner sales: imported from a partner's CSV or Amazon's earnings report, or posted back."""

from django.db import models


class Conversion(models.Model):
    IMPORT = "import"
    AMAZON = "amazon"
    POSTBACK = "postback"
    ORIGIN_CHOICES = [(IMPORT, "Partner CSV"), (AMAZON, "Amazon earnings report"), (POSTBACK, "Postback")]

    partner = models.ForeignKey("marketing.Partner", on_delete=models.PROTECT, related_name="conversions")
    # The partner's order id, or for Amazon (whose report has none) a hash of the row and its
    # occurrence in the file: importing a file twice must add nothing.
    external_id = models.CharField(max_length=128)
    origin = models.CharField(max_length=10, choices=ORIGIN_CHOICES)
    occurred_on = models.DateField()
    offer = models.ForeignKey(
        "marketing.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversions"
    )
    link = models.ForeignKey(
        "marketing.TrackedLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversions"
    )
    code = models.CharField(max_length=60, blank=True)
    tracking_id = models.CharField(max_length=64, blank=True, help_text="Amazon tracking ID or partner sub-id.")
    product = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    commission = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    touch = models.OneToOneField(
        "marketing.Touch", null=True, blank=True, on_delete=models.SET_NULL, related_name="partner_conversion"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["partner", "external_id"], name="one_conversion_per_order")]

    def __str__(self):
        return f"{self.partner} order {self.external_id}"
