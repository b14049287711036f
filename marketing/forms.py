"""Refusing to save a page with a shortened, cloaked or untracked Amazon link."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue
from wagtail.blocks.list_block import ListValue
from wagtail.rich_text import RichText

from .amazon import forbidden_link_reason, forbidden_links_in_html


def _strings(value):
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, str):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _strings(child.value)
    elif isinstance(value, dict):  # StructValue
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list | tuple | ListValue):
        for child in value:
            yield from _strings(getattr(child, "value", child))


def amazon_link_problems(value) -> list[str]:
    problems = []
    for text in _strings(value):
        if "<a" in text:
            problems += forbidden_links_in_html(text)
        elif text.startswith(("http://", "https://")) and (reason := forbidden_link_reason(text)):
            problems.append(reason)
    return list(dict.fromkeys(problems))


class AffiliateLinkPageForm(WagtailAdminPageForm):
    """Checks every StreamField of the page: Amazon links must be tracked links (which point at
    Amazon with the article's tracking ID and carry the "(paid link)" label), never pasted,
    shortened or cloaked ones."""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, StreamValue):
                for problem in amazon_link_problems(value):
                    self.add_error(name, ValidationError(problem))
        return cleaned_data
