from django.apps import AppConfig


class LeadsConfig(AppConfig):
    # A sub-app of marketing with its own label and migrations, so lead capture (health
    # information, front-desk permissions) stays separate from offers and links.
    name = "marketing.leads"
    label = "leads"
    verbose_name = "Appointment requests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
