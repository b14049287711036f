from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = "Marketing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.admin.forms import WagtailAdminPageForm
        from wagtail.models import get_page_models

        from cms.signals import bump_page_cache_version

        from .forms import AffiliateLinkPageForm
        from .links import clear_cache
        from .models import AmazonTrackingID, Offer, TrackedLink

        for model in (TrackedLink, Offer, AmazonTrackingID):
            for signal in (post_save, post_delete):
                # /go/ targets are cached per process; whole pages may be cached with an offer's
                # code or a link's address in them.
                signal.connect(clear_cache, sender=model, dispatch_uid=f"marketing-links-{model.__name__}-{signal}")
                signal.connect(
                    bump_page_cache_version, sender=model, dispatch_uid=f"marketing-pages-{model.__name__}-{signal}"
                )

        # Every page type with a body gets the Amazon-link check on save, unless it already has
        # a form of its own (then it should mix in AffiliateLinkPageForm itself). Done here so
        # the content models need not know about marketing.
        for page_model in get_page_models():
            if page_model._meta.app_label != "wagtailcore" and getattr(page_model, "base_form_class", None) in (
                None,
                WagtailAdminPageForm,
            ):
                page_model.base_form_class = AffiliateLinkPageForm
