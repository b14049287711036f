"""The site's URLs plus /bench/bare-redirect/: the same redirect /go/bench/ answers, without
looking up the link or recording the click. The baseline /go/ is measured against."""

from django.http import HttpResponseRedirect
from django.urls import path

from cms.urls import handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as site_urlpatterns

DESTINATION = "https://pso-rite.example/products/pso-rite?utm_source=more4lifept&utm_medium=referral&utm_campaign=bench"


def bare_redirect(request):
    response = HttpResponseRedirect(DESTINATION)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [path("bench/bare-redirect/", bare_redirect), *site_urlpatterns]
