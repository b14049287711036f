from wagtail import hooks

from .viewsets import LeadViewSet


@hooks.register("register_admin_viewset")
def register_lead_viewset():
    return LeadViewSet()
