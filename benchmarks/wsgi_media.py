"""The production WSGI app plus uploaded media, for the page-weight and Lighthouse runs only.

In production a web server in front of gunicorn serves /media/; here nothing is in front, and
the images must load for "bytes on first view, images included" to mean anything. autorefresh
lets WhiteNoise find renditions made after start-up (too slow for the throughput runs, which
use cms.wsgi directly).
"""

from django.conf import settings
from whitenoise import WhiteNoise

from cms.wsgi import application as site

application = WhiteNoise(site, root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL, autorefresh=True)
