from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Lead


@receiver(post_delete, sender=Lead)
def delete_touch_with_lead(sender, instance: Lead, **kwargs):
    # A touch made for a lead belongs to it alone: erasing or expiring the lead removes it too,
    # whichever way the lead is deleted (admin, erase, retention).
    if instance.touch_id:
        from marketing.models import Touch

        Touch.objects.filter(pk=instance.touch_id).delete()
