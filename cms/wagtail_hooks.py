from wagtail.snippets.models import register_snippet

from .viewsets import ContentSnippetGroup

register_snippet(ContentSnippetGroup)
