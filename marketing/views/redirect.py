"""/go/<slug>/: the tracked outbound redirect. Kept lean: it runs on every outbound click."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from ..attribution import SOURCE_FIELDS
from ..links import target_for_slug
from ..models import Event
from ..recorder import build_event, record


@require_safe
def go(request: HttpRequest, slug: str) -> HttpResponse:
    target = target_for_slug(slug)
    # The visitor's source travels in the query string (the page's script adds what it stored
    # at landing; a printed QR code carries ?qr=1). It is recorded, never forwarded: the
    # destination comes only from the database.
    data, page_param = {}, ""
    if request.META.get("QUERY_STRING"):  # parsing an empty query string still costs
        data = {name: request.GET[name] for name in SOURCE_FIELDS if name in request.GET}
        page_param = request.GET.get("page", "")
    record(
        build_event(
            request,
            Event.LINK_CLICK,
            data=data,
            page_path=page_param,
            link_id=target.id if target else None,
            offer_id=target.offer_id if target else None,
            slug=slug,
        )
    )
    if target is None:
        raise Http404("No such link")
    response = HttpResponseRedirect(target.url_now())
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
