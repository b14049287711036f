"""Public views: the form submission, the thank-you page and the signed action links.

The views stay thin: saving, spam and rate limits live in services and forms.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .forms import AppointmentRequestForm, blank_form
from .models import Lead

logger = logging.getLogger(__name__)

TOO_BIG = "That was more than we can accept. Please shorten what you wrote and send it again, or call us."


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _form_response(request: HttpRequest, form: AppointmentRequestForm, status: int, error: str = "") -> HttpResponse:
    context = {"lead_form": form, "form_error": error}
    if _wants_json(request):
        html = render_to_string("leads/includes/form.html", context, request=request)
        return JsonResponse({"ok": False, "html": html, "error": error}, status=status)
    return render(request, "leads/submit_page.html", context, status=status)


# The form is posted by anonymous visitors from pages that may be served from the whole-page
# cache, so a per-visitor CSRF token can't be embedded in them. A forged cross-site submission
# can do no more than a bot posting directly, which the spam checks already handle.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "leads/submit_page.html", {"lead_form": blank_form(request)})
    try:
        data = request.POST
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        # Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE; tell the visitor, don't 500.
        return _form_response(request, blank_form(request), status=400, error=TOO_BIG)
    form = AppointmentRequestForm(data, auto_id="lead-%s")
    if not form.is_valid():
        return _form_response(request, form, status=400)
    sent = services.count_request(request)
    if sent > settings.LEADS_RATE_LIMIT * settings.LEADS_RATE_LIMIT_DROP_FACTOR:
        # A flood: past this point even spam isn't stored, so a bot can't fill the database.
        response = render(request, "leads/too_many.html", status=429)
        response["Retry-After"] = str(settings.LEADS_RATE_LIMIT_WINDOW_SECONDS)
        return response
    spam_reason = form.spam_reason()
    if not spam_reason and sent > settings.LEADS_RATE_LIMIT:
        spam_reason = "too many requests from one visitor"
    lead = services.save_lead(request, form, spam_reason=spam_reason)
    if spam_reason:
        logger.info("Appointment request %s flagged as spam: %s", lead.pk, spam_reason)
    # Spam gets the same answer as a real request: a bot learns nothing from it.
    if _wants_json(request):
        html = render_to_string("leads/includes/confirmation.html", {"has_email": bool(lead.email)}, request=request)
        return JsonResponse({"ok": True, "html": html})
    return HttpResponseRedirect(reverse("leads:thanks") + ("?email=1" if lead.email else ""), status=303)


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "leads/thanks.html", {"has_email": request.GET.get("email") == "1"})


@never_cache
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from the inbox email. GET only shows a confirmation page, so mail scanners
    that follow links change nothing; the button POSTs."""
    try:
        lead, action_name = services.read_action_token(token)
    except signing.SignatureExpired:
        return _action_page(request, "leads/action_invalid.html", {"expired": True}, status=410)
    except (signing.BadSignature, Lead.DoesNotExist):
        return _action_page(request, "leads/action_invalid.html", {"expired": False}, status=404)
    context = {"lead": lead, "action": action_name, "label": services.ACTIONS[action_name].label}
    if request.method == "POST":
        context["changed"] = services.apply_action(lead, action_name)
        lead.refresh_from_db()
        return _action_page(request, "leads/action_done.html", context)
    return _action_page(request, "leads/action_confirm.html", context)


def _action_page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
