from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Author, Topic


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "credentials"]
    search_fields = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ContentSnippetGroup(SnippetViewSetGroup):
    menu_label = "Authors & topics"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (AuthorViewSet, TopicViewSet)
