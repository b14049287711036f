"""QR codes for printed flyers: each encodes the link's /go/ address tagged ?qr=1, so scans are
reported as their own source."""

import io

import segno
from django.conf import settings
from wagtail.models import Site

from .models import TrackedLink


def qr_url(link: TrackedLink) -> str:
    site = Site.objects.filter(is_default_site=True).first()
    base = (site.root_url if site else "") or settings.WAGTAILADMIN_BASE_URL
    return f"{base.rstrip('/')}{link.get_absolute_url()}?qr=1"


def qr_svg(link: TrackedLink) -> bytes:
    out = io.BytesIO()
    segno.make(qr_url(link), error="m").save(out, kind="svg", scale=8, border=4, title=f"QR code: {link.title}")
    return out.getvalue()


def qr_png(link: TrackedLink) -> bytes:
    out = io.BytesIO()
    segno.make(qr_url(link), error="m").save(out, kind="png", scale=12, border=4)
    return out.getvalue()
