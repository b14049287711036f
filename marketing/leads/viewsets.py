"""The scheduling inbox in the admin. Only the front desk and administrators hold lead
permissions (migrations/0002_roles.py); every view checks them in dispatch(), so an editor who
guesses a URL gets a 403, not just a missing menu item."""

import json

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy

from cms.roles import ADMINISTRATORS, FRONT_DESK

from . import services
from .models import Lead

policy = ModelPermissionPolicy(Lead)


def staff_choices():
    User = get_user_model()
    return User.objects.filter(Q(groups__name__in=[FRONT_DESK, ADMINISTRATORS]) | Q(is_superuser=True)).distinct()


class LeadPermissionMixin:
    """Answer 403 when the user lacks the lead permission for this view. Checked here, in
    dispatch, because Wagtail turns a raised PermissionDenied into a redirect to the dashboard;
    a plain 403 is clearer and is what the tests hold us to."""

    lead_permission = "view"

    def dispatch(self, request, *args, **kwargs):
        needed = ["view", "change", "delete"] if self.lead_permission == "view" else [self.lead_permission]
        if not policy.user_has_any_permission(request.user, needed):
            return HttpResponseForbidden("Appointment requests are only shown to the front desk and administrators.")
        return super().dispatch(request, *args, **kwargs)


class LeadIndexView(LeadPermissionMixin, generic.IndexView):
    pass


class LeadCreateView(LeadPermissionMixin, generic.CreateView):
    # Leads come from the website; nobody is granted add_lead, so this is for superusers only.
    lead_permission = "add"


class LeadDeleteView(LeadPermissionMixin, generic.DeleteView):
    lead_permission = "delete"


class LeadHistoryView(LeadPermissionMixin, HistoryView):
    pass


class LeadUsageView(LeadPermissionMixin, UsageView):
    pass


class LeadEditView(LeadPermissionMixin, generic.EditView):
    lead_permission = "change"

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "assignee" in form.fields:
            form.fields["assignee"].queryset = staff_choices()
        return form

    def save_instance(self):
        before = Lead.objects.get(pk=self.object.pk).status
        instance = super().save_instance()
        if before != instance.status:
            instance.events.create(
                kind="status",
                message=f"Status changed to {instance.get_status_display().lower()} in the admin.",
                user=self.request.user,
            )
            if before == Lead.Status.SPAM and instance.status == Lead.Status.NEW:
                services.release_from_spam(instance, user=self.request.user)
        return instance


class LeadInspectView(LeadPermissionMixin, generic.InspectView):
    template_name = "leads/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Lead.objects.select_related("touch", "touch__page", "assignee"), pk=self.pk)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                "Export (JSON)",
                url=reverse("leads_lead:export", args=[self.object.pk]),
                icon_name="download",
                priority=30,
            )
        )
        return buttons

    def get_time_to_first_contact_display_value(self):
        delta = self.object.time_to_first_contact
        if delta is None:
            return "-"
        hours, rest = divmod(int(delta.total_seconds()), 3600)
        return f"{hours} h {rest // 60} min"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliveries"] = self.object.deliveries.all()
        context["events"] = self.object.events.select_related("user")
        context["touch"] = self.object.touch
        return context


class ExportLeadView(LeadPermissionMixin, View):
    """All we hold about one request, as JSON, for a patient who asks."""

    def get(self, request, pk):
        lead = get_object_or_404(Lead.objects.select_related("touch"), pk=pk)
        response = HttpResponse(
            json.dumps(services.export_lead(lead), indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="appointment-request-{lead.uuid}.json"'
        response["Cache-Control"] = "no-store"
        return response


class LeadViewSet(ModelViewSet):
    model = Lead
    icon = "date"
    menu_label = "Scheduling inbox"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "leads/lead"
    name = "leads_lead"
    copy_view_enabled = False
    # Leads reference nothing editors manage; indexing them would cost every submission a
    # savepoint, a SELECT and an INSERT in wagtailcore_referenceindex.
    add_to_reference_index = False
    inspect_view_enabled = True
    inspect_view_class = LeadInspectView
    edit_view_class = LeadEditView
    index_view_class = LeadIndexView
    add_view_class = LeadCreateView
    delete_view_class = LeadDeleteView
    history_view_class = LeadHistoryView
    usage_view_class = LeadUsageView
    inspect_view_fields = [
        "name",
        "phone",
        "email",
        "preferred_days_display",
        "preferred_times_display",
        "concern",
        "heard_about",
        "status",
        "delivery_status",
        "spam_reason",
        "assignee",
        "notes",
        "created_at",
        "first_contacted_at",
        "time_to_first_contact",
        "scheduled_at",
    ]
    form_fields = ["status", "assignee", "notes"]
    list_display = [
        "name",
        StatusTagColumn(
            "status", label="Status", accessor="get_status_display", primary=lambda lead: lead.status == "new"
        ),
        Column("delivery_status", label="Delivery", accessor="get_delivery_status_display"),
        Column("preference_summary", label="Preference"),
        Column("source_page", label="Source page", accessor=lambda lead: lead.touch.page_path if lead.touch else ""),
        Column("campaign", label="Campaign", accessor=lambda lead: lead.touch.campaign if lead.touch else ""),
        "assignee",
        DateColumn("created_at", label="Received"),
    ]
    list_filter = ["status", "delivery_status", "assignee", "created_at"]
    search_fields = ["name", "email", "phone", "notes"]
    search_backend_name = None
    list_export = ["name", "phone", "email", "status", "delivery_status", "created_at", "first_contacted_at"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return Lead.objects.select_related("touch", "assignee")

    def get_urlpatterns(self):
        from django.urls import path

        return [*super().get_urlpatterns(), path("export/<int:pk>/", ExportLeadView.as_view(), name="export")]
