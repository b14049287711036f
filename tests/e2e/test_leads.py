"""A visitor fills the appointment form on the demo article in a real browser."""

import pytest

from marketing.leads.models import Lead

from .leads_fixtures import demo_article_with_form  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_visitor_requests_an_appointment_from_the_article(live_server, page, demo_article_with_form, settings):  # noqa: F811
    settings.LEADS_MIN_FILL_SECONDS = 0  # the browser types faster than a person
    page.goto(f"{live_server.url}{demo_article_with_form.url}?utm_source=facebook&utm_campaign=hip-video")
    form = page.locator("form[data-lead-form]")
    form.get_by_label("Your name").fill("Jane Doe")
    form.get_by_role("textbox", name="Phone").fill("314-555-0134")
    form.get_by_label("Mornings").check()
    form.get_by_label("What hurts? (optional)").fill("Right hip")
    form.get_by_label("You may contact me").check()
    form.get_by_role("button", name="Send my request").click()

    confirmation = page.locator("[data-lead-confirmation]")
    confirmation.wait_for(timeout=10_000)
    assert "we have your request" in confirmation.inner_text()
    assert page.url.endswith("utm_campaign=hip-video")  # submitted in place, no page load

    lead = Lead.objects.get()
    assert (lead.name, lead.phone, lead.preferred_times) == ("Jane Doe", "314-555-0134", ["morning"])
    assert lead.touch.page_id == demo_article_with_form.pk
    assert (lead.touch.source, lead.touch.campaign) == ("facebook", "hip-video")
