"""The Marketing area of the admin: offers, tracked links, partners, Amazon tracking IDs,
partner sales (import and report) and unknown /go/ links, in one menu group."""

from django.db.models import Count, Max, Q
from django.urls import path
from django.utils.functional import cached_property
from django_filters import ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import HelpPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, NumberColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet, SnippetChosenView
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .models import AmazonTrackingID, Conversion, DailyStat, Event, Offer, Partner, TrackedLink
from .stats import default_period, with_stats
from .views import admin as admin_views

REPORTS_PERMISSION = "marketing.view_marketing_reports"


def _noop(queryset, name, value):
    # The period chooses which days the stats columns add up; it filters no rows.
    return queryset


class PeriodFilterSet(WagtailFilterSet):
    period = DateFromToRangeFilter(
        label="Period for clicks and copies",
        widget=DateRangePickerWidget,
        method=_noop,
        help_text="Empty: the last 30 days.",
    )


class OfferFilterSet(PeriodFilterSet):
    kind = ChoiceFilter(choices=Offer.KIND_CHOICES)
    partner = ModelChoiceFilter(queryset=Partner.objects.all())

    class Meta:
        model = Offer
        fields = ["kind", "partner"]


class LinkFilterSet(PeriodFilterSet):
    offer = ModelChoiceFilter(queryset=Offer.objects.all())

    class Meta:
        model = TrackedLink
        fields = ["offer"]


class StatsIndexView(IndexView):
    """A snippet listing with clicks, unique clicks and copies over the chosen period, for those
    allowed to see reports (editors choose links and offers, they don't see their numbers)."""

    stats_kind = ""

    @cached_property
    def can_see_stats(self) -> bool:
        return self.request.user.has_perm(REPORTS_PERMISSION)

    @cached_property
    def period(self):
        start, end = default_period()
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("period")
            if chosen:
                start, end = (chosen.start or start), (chosen.stop or end)
        return start, end

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.can_see_stats:
            queryset = with_stats(queryset, self.stats_kind, *self.period)
        return queryset

    @cached_property
    def columns(self):
        columns = list(super().columns)
        if self.can_see_stats:
            columns += [
                NumberColumn("clicks", label="Clicks", sort_key="clicks"),
                NumberColumn("unique_clicks", label="Unique clicks", sort_key="unique_clicks"),
                NumberColumn("copies", label="Code copies", sort_key="copies"),
            ]
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.can_see_stats:
            start, end = self.period
            context["page_subtitle"] = f"Clicks and copies {start:%b %-d, %Y} – {end:%b %-d, %Y}"
        return context


class OfferIndexView(StatsIndexView):
    stats_kind = DailyStat.OFFER


class LinkIndexView(StatsIndexView):
    stats_kind = DailyStat.LINK


class OfferViewSet(SnippetViewSet):
    model = Offer
    icon = "tag"
    menu_label = "Offers"
    index_view_class = OfferIndexView
    filterset_class = OfferFilterSet
    list_display = [
        "product",
        "partner",
        Column("kind", accessor="get_kind_display", label="Kind"),
        "code",
        "saving",
        BooleanColumn("is_live", label="Live"),
    ]
    search_fields = ["product", "code"]
    list_export = ["product", "partner", "kind", "code", "saving", "destination_url", "starts_at", "ends_at"]


class ChosenWithURLMixin:
    def get_chosen_response_data(self, item):
        data = super().get_chosen_response_data(item)
        data.update(url=item.get_absolute_url(), title=item.title)
        return data


class LinkChooseView(ChosenWithURLMixin, ChooseView):
    pass


class LinkChooseResultsView(ChosenWithURLMixin, ChooseResultsView):
    pass


class LinkChosenView(ChosenWithURLMixin, SnippetChosenView):
    pass


class LinkChooserViewSet(SnippetChooserViewSet):
    choose_view_class = LinkChooseView
    choose_results_view_class = LinkChooseResultsView
    chosen_view_class = LinkChosenView


class HealthColumn(Column):
    cell_template_name = "marketing/admin/health_cell.html"


class TrackedLinkViewSet(SnippetViewSet):
    model = TrackedLink
    icon = "link-external"
    menu_label = "Tracked links"
    index_view_class = LinkIndexView
    filterset_class = LinkFilterSet
    chooser_viewset_class = LinkChooserViewSet
    list_display = [
        "title",
        Column("get_absolute_url", label="Address"),
        "offer",
        HealthColumn("health", label="Health"),
    ]
    search_fields = ["title", "slug"]
    list_export = ["title", "slug", "destination_url", "offer", "health_status", "health_checked_at"]

    panels = [
        *TrackedLink.panels,
        HelpPanel(template="marketing/admin/qr_panel.html", heading="QR code for print"),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("qr/<int:pk>.<str:fmt>", admin_views.link_qr, name="qr"),
        ]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = "Partners"
    list_display = ["name", "slug", BooleanColumn("is_amazon", label="Amazon")]
    search_fields = ["name"]


class AmazonTrackingIDViewSet(SnippetViewSet):
    model = AmazonTrackingID
    icon = "site"
    menu_label = "Amazon tracking IDs"
    list_display = ["tracking_id", "page", "channel", BooleanColumn("is_default", label="Default")]
    search_fields = ["tracking_id", "channel"]


class ConversionFilterSet(WagtailFilterSet):
    occurred_on = DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)
    origin = ChoiceFilter(choices=Conversion.ORIGIN_CHOICES)
    partner = ModelChoiceFilter(queryset=Partner.objects.all())

    class Meta:
        model = Conversion
        fields = ["occurred_on", "origin", "partner"]


class ConversionsReportView(admin_views.ReportsPermissionMixin, admin_views.ReportView):
    page_title = "Partner sales"
    header_icon = "form"
    index_url_name = "marketing_sales:index"
    index_results_url_name = "marketing_sales:index_results"
    filterset_class = ConversionFilterSet
    columns = [
        DateColumn("occurred_on", label="Date"),
        Column("partner", label="Partner"),
        Column("offer", label="Offer"),
        Column("code", label="Code"),
        Column("tracking_id", label="Tracking ID / sub-id"),
        Column("touch.page", label="Article"),
        NumberColumn("amount", label="Amount"),
        NumberColumn("commission", label="Commission"),
        Column("get_origin_display", label="From"),
    ]
    list_export = [
        "occurred_on",
        "partner",
        "offer",
        "code",
        "tracking_id",
        "product",
        "amount",
        "commission",
        "origin",
    ]

    def get_queryset(self):
        return Conversion.objects.select_related("partner", "offer", "touch__page").order_by("-occurred_on", "-pk")


class UnknownLinksReportView(admin_views.ReportsPermissionMixin, admin_views.ReportView):
    """Requests for /go/ slugs that don't exist: a misprinted flyer or a mistyped link."""

    page_title = "Unknown /go/ links"
    header_icon = "warning"
    index_url_name = "marketing_unknown_links:index"
    index_results_url_name = "marketing_unknown_links:index_results"
    columns = [
        Column("slug", label="Asked for /go/…"),
        NumberColumn("requests", label="Requests (people)"),
        NumberColumn("bots", label="Requests (bots)"),
        DateColumn("last_seen", label="Last seen"),
    ]
    list_export = ["slug", "requests", "bots", "last_seen"]

    def get_queryset(self):
        return (
            Event.objects.filter(type=Event.LINK_CLICK, link__isnull=True)
            .exclude(slug="")
            .values("slug")
            .annotate(
                requests=Count("pk", filter=~Q(is_bot=True)),
                bots=Count("pk", filter=Q(is_bot=True)),
                last_seen=Max("created_at"),
            )
            .order_by("-last_seen")
        )


class ReportsMenuMixin:
    """Menu items of report pages only for those who may open them (the views check too)."""

    @cached_property
    def menu_item_class(self):
        from wagtail.admin.menu import MenuItem

        class ReportsMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(REPORTS_PERMISSION)

        return ReportsMenuItem


class SalesViewSet(ReportsMenuMixin, ViewSet):
    name = "marketing_sales"
    icon = "form"
    menu_label = "Partner sales"
    url_prefix = "marketing/sales"

    def get_urlpatterns(self):
        return [
            path("", ConversionsReportView.as_view(), name="index"),
            path("results/", ConversionsReportView.as_view(results_only=True), name="index_results"),
            path("import/", admin_views.ImportView.as_view(), name="import"),
        ]


class UnknownLinksViewSet(ReportsMenuMixin, ViewSet):
    name = "marketing_unknown_links"
    icon = "warning"
    menu_label = "Unknown /go/ links"
    url_prefix = "marketing/unknown-links"

    def get_urlpatterns(self):
        return [
            path("", UnknownLinksReportView.as_view(), name="index"),
            path("results/", UnknownLinksReportView.as_view(results_only=True), name="index_results"),
        ]


class MarketingViewSetGroup(ViewSetGroup):
    menu_label = "Marketing"
    menu_icon = "tag"
    menu_order = 300
    items = (
        OfferViewSet,
        TrackedLinkViewSet,
        PartnerViewSet,
        AmazonTrackingIDViewSet,
        SalesViewSet,
        UnknownLinksViewSet,
    )
