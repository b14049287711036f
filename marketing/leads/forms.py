"""The appointment request form, its spam checks and its hidden attribution fields.

Spam checks need no third party: a honeypot field people never see, a minimum fill time
carried in a signed timestamp (so a bot can't forge it), and a per-visitor rate limit (see
services.rate_limited). A submission that fails them is still saved, flagged as spam.
"""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from marketing.attribution import ATTRIBUTION_FIELDS

from .models import Lead

TIMESTAMP_SALT = "leads.form-timestamp"
PHONE_RE = re.compile(r"^[0-9+().\-\s]{7,30}$")


def sign_timestamp(now: float | None = None) -> str:
    return signing.dumps(round(now if now is not None else time.time(), 3), salt=TIMESTAMP_SALT, compress=False)


class AppointmentRequestForm(forms.Form):
    name = forms.CharField(max_length=120, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        max_length=30,
        required=False,
        label="Phone",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        max_length=254, required=False, label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    preferred_days = forms.MultipleChoiceField(
        choices=Lead.Day.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Preferred days"
    )
    preferred_times = forms.MultipleChoiceField(
        choices=Lead.Time.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Preferred times"
    )
    concern = forms.CharField(
        max_length=1000,
        required=False,
        label="What hurts? (optional)",
        help_text="A few words are enough, e.g. 'right hip, hard to get into the car'.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    heard_about = forms.ChoiceField(
        choices=[("", "Choose one (optional)"), *Lead.HeardAbout.choices],
        required=False,
        label="How did you hear about us?",
    )
    consent = forms.BooleanField(
        required=True,
        label="You may contact me by phone or email about this request.",
        error_messages={"required": "Please agree that we may contact you, or call us instead."},
    )
    # The honeypot: hidden from people by CSS and aria-hidden, named so that bots fill it in.
    website = forms.CharField(required=False, max_length=200, label="Leave this empty")
    ts = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ATTRIBUTION_FIELDS:
            self.fields[name] = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    @property
    def attribution_fields(self):
        return [self[name] for name in ATTRIBUTION_FIELDS]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Please tell us your name.")
        return name

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and (not PHONE_RE.match(phone) or sum(ch.isdigit() for ch in phone) < 7):
            raise forms.ValidationError("Enter a phone number with its area code, e.g. 314-941-3970.")
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not {"phone", "email"} & set(self.errors):
            raise forms.ValidationError(
                "Please give a phone number or an email address so we can reach you.", code="no_contact"
            )
        return cleaned

    def spam_reason(self) -> str:
        """Why this (otherwise valid) submission looks like a bot, or '' if it doesn't."""
        if self.cleaned_data.get("website"):
            return "honeypot filled"
        try:
            started = float(
                signing.loads(
                    self.cleaned_data.get("ts") or "", salt=TIMESTAMP_SALT, max_age=settings.LEADS_FORM_MAX_AGE_SECONDS
                )
            )
        except signing.SignatureExpired:
            return "form older than allowed"
        except (signing.BadSignature, TypeError, ValueError):
            return "missing or forged form timestamp"
        if time.time() - started < settings.LEADS_MIN_FILL_SECONDS:
            return "filled in too fast"
        return ""


def blank_form(request: HttpRequest, page_path: str = "") -> AppointmentRequestForm:
    """A fresh form for a page: the timestamp is signed now, and the attribution fields carry
    the page and the campaign of this request, so attribution works without JavaScript (the
    offers script refines them from sessionStorage when it runs)."""
    initial = {"ts": sign_timestamp(), "page": page_path or request.path}
    initial.update({k: request.GET[k][:100] for k in ATTRIBUTION_FIELDS if k != "page" and request.GET.get(k)})
    return AppointmentRequestForm(initial=initial, auto_id="lead-%s")
