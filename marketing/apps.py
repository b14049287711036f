from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = "Marketing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.admin.forms import WagtailAdminPageForm
        from wagtail.models import get_page_models

        from .forms import AffiliateLinkPageForm
        from .links import clear_cache
        from .models import Offer, TrackedLink

        for model in (TrackedLink, Offer):
            post_save.connect(clear_cache, sender=model, dispatch_uid=f"marketing-clear-{model.__name__}")
            post_delete.connect(clear_cache, sender=model, dispatch_uid=f"marketing-clear-del-{model.__name__}")

        # Every page type with a body gets the Amazon-link check on save, unless it already has
        # a form of its own (then it should mix in AffiliateLinkPageForm itself). Done here so
        # the content models need not know about marketing.
        for page_model in get_page_models():
            if page_model._meta.app_label != "wagtailcore" and getattr(page_model, "base_form_class", None) in (
                None,
                WagtailAdminPageForm,
            ):
                page_model.base_form_class = AffiliateLinkPageForm
