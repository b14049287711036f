from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.rich_text.editors.draftail.features import EntityFeature

from .rich_text import CONTENTSTATE_RULE, TrackedLinkHandler
from .serving import serve_with_marketing
from .viewsets import MarketingViewSetGroup


@hooks.register("register_admin_viewset")
def register_marketing_viewsets():
    return MarketingViewSetGroup()


@hooks.register("register_rich_text_features")
def register_tracked_link_feature(features):
    features.register_link_type(TrackedLinkHandler)
    features.register_editor_plugin(
        "draftail",
        "tracked-link",
        EntityFeature(
            {
                "type": "TRACKED_LINK",
                "icon": "link-external",
                "description": "Tracked link (offers, affiliate and Amazon links)",
                "chooserUrls": {
                    "trackedLinkChooser": reverse_lazy("wagtailsnippetchoosers_marketing_trackedlink:choose")
                },
            },
            js=["wagtailadmin/js/chooser-modal.js", "marketing/admin/tracked-link.js"],
        ),
    )
    features.register_converter_rule("contentstate", "tracked-link", CONTENTSTATE_RULE)
    # Like Wagtail's own document-link: on in every rich text field that uses the default features.
    features.default_features.append("tracked-link")


@hooks.register("on_serve_page")
def marketing_on_serve_page(next_serve):
    return serve_with_marketing(next_serve)
