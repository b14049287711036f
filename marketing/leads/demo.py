"""Demo content for appointment requests (called by cms's load_demo_content; idempotent)."""

from wagtail.models import Page

from .models import AppointmentRequestPage

DEMO_ARTICLE_SLUG = "cant-lift-leg-to-get-in-car"


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def load_demo(home_page: Page, stdout=None) -> None:
    """The "Request an appointment" page at /request-appointment/, and the form at the end of
    the demo article."""
    page = AppointmentRequestPage.objects.filter(slug="request-appointment").first()
    if page is None:
        page = home_page.add_child(
            instance=AppointmentRequestPage(
                title="Request an appointment", slug="request-appointment", show_in_menus=True
            )
        )
        page.save_revision().publish()
        _say(stdout, "Created the 'Request an appointment' page")

    from cms.models import ArticlePage

    article = ArticlePage.objects.filter(slug=DEMO_ARTICLE_SLUG).first()
    if article is None or any(block.block_type == "appointment_form" for block in article.body):
        return
    article.body.append(("appointment_form", {"heading": "Request an appointment"}))
    revision = article.save_revision()
    if article.live:
        revision.publish()
    _say(stdout, f"Added the appointment form to '{article.title}'")


def demo_content(demo) -> None:
    """The foundation's load_demo_content hook (cms/demo.py)."""
    load_demo(demo.pages["home"], stdout=demo.stdout)
