"""The site's URLs plus uploaded media, for the browser tests.

Test settings run with DEBUG off, where `cms.urls` leaves media to the web server (as in
production). The live server has no web server in front, so images would 404 in the browser.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from cms import urls as site_urls


def media(request, path):
    # MEDIA_ROOT is read per request: each test gets its own temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    *site_urls.urlpatterns,
]

handler404 = site_urls.handler404
handler500 = site_urls.handler500
