"""The appointment form as a StreamField block, for articles and standard pages."""

from wagtail import blocks

from .forms import AppointmentRequestForm, sign_timestamp


class AppointmentFormBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Request an appointment")
    text = blocks.RichTextBlock(
        features=["bold", "italic"],
        required=False,
        default="<p>Leave your details and the front desk will call you back within one business day.</p>",
    )

    def get_context(self, value, parent_context=None):
        from .forms import blank_form

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        page = (parent_context or {}).get("page")
        if request is not None:
            page_path = page.get_url(request) if page is not None and hasattr(page, "get_url") else request.path
            context["lead_form"] = blank_form(request, page_path=page_path or request.path)
        else:  # the block picker's preview has no request
            context["lead_form"] = AppointmentRequestForm(initial={"ts": sign_timestamp()}, auto_id="lead-%s")
        return context

    class Meta:
        icon = "form"
        group = "Calls to action"
        template = "leads/blocks/appointment_form_block.html"
        description = "The appointment request form, with the clinic's phone number beside it."
        preview_value = {"heading": "Request an appointment"}
