"""Admin views of the Marketing area: QR codes, partner report import, report base."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.views import View
from wagtail.admin.views.reports import ReportView

from ..conversions import import_amazon_report, import_partner_csv
from ..models import Partner, TrackedLink
from ..qr import qr_png, qr_svg

REPORTS_PERMISSION = "marketing.view_marketing_reports"
MAX_UPLOAD = 5 * 1024 * 1024

__all__ = ["ImportView", "ReportView", "ReportsPermissionMixin", "link_qr"]


class ReportsPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        # Hiding the menu item protects nothing: the view checks.
        if not request.user.has_perm(REPORTS_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def link_qr(request, pk: int, fmt: str):
    if not request.user.has_perm("marketing.view_trackedlink"):
        raise PermissionDenied
    link = get_object_or_404(TrackedLink, pk=pk)
    if fmt == "svg":
        body, content_type = qr_svg(link), "image/svg+xml"
    elif fmt == "png":
        body, content_type = qr_png(link), "image/png"
    else:
        return HttpResponse("Unknown format", status=404, content_type="text/plain")
    response = HttpResponse(body, content_type=content_type)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{slugify(link.slug)}.{fmt}"'
    return response


class ImportForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), help_text="Whose report this is.")
    file = forms.FileField(
        help_text="CSV with order id, date, code (or sub-id), amount and commission; or Amazon's earnings report."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 5 MB; split it into smaller reports.")
        return upload


class ImportView(View):
    template_name = "marketing/admin/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("marketing.add_conversion"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return TemplateResponse(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            partner = form.cleaned_data["partner"]
            data = form.cleaned_data["file"].read()
            importer = import_amazon_report if partner.is_amazon else import_partner_csv
            result = importer(partner, data)
        return TemplateResponse(request, self.template_name, {"form": form, "result": result})
