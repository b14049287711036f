"""Demo content for `make run`: the clinic's site built from the data in `cms/demo_content/`.

`python manage.py load_demo_content` creates a `DemoContent` and calls `demo_content(demo)` in
`<app>/demo.py` for every installed app that has one, in INSTALLED_APPS order, so `cms` (this
module) builds the site first and later apps add to it. An app's hook can use:

    demo.pages["home"], demo.pages["articles"], demo.pages["article:cant-lift-leg-to-get-in-car"]
    demo.image("hip-flexion-stretch-seated")           # a CustomImage from images.json
    demo.child_page(parent, MyPage(title=..., slug=...))  # created and published once
    demo.add_block(page, "offer", {...}, key="pso-rite", after_anchor="back-problems")

Everything is found by a natural key (slug, image title, username) and created only when it is
missing; existing pages are never overwritten, so running the loader twice changes nothing and an
editor's changes survive a re-run. Hooks must follow the same rule.

Built with the model API rather than `cms/factories.py`: factory_boy is a test-only dependency,
and the loader must also work on a server installed from requirements.txt alone.
"""

import datetime
import json
import uuid
from collections.abc import Callable
from functools import cached_property
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from wagtail.models import Collection, Locale, Page, Site

from cms.demo_content.illustrations import render_illustration
from cms.models import ArticleIndexPage, ArticlePage, Author, ClinicSettings, CustomImage, HomePage, StandardPage, Topic

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "more4life-demo"  # noqa: S105 - a documented local demo login

DATA_DIR = Path(__file__).resolve().parent / "demo_content"
COLLECTION_NAME = "Demo content"
MAIN_ARTICLE_SLUG = "cant-lift-leg-to-get-in-car"
HOOK_NAME = "demo_content"

# Block ids are derived from the page and position, so the same data gives the same JSON.
_BLOCK_NAMESPACE = uuid.UUID("5b0d6f1e-8f7a-4c59-9a53-1f4d2e6c7a10")


_DRAWN: dict[str, bytes] = {}


def _drawn(key: str, spec: dict) -> bytes:
    # Drawing all images takes about a second; tests load the site several times per process.
    if key not in _DRAWN:
        _DRAWN[key] = render_illustration(spec)
    return _DRAWN[key]


def load_json(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


class DemoContent:
    """Shared helpers and the registry of what has been built, handed to every app's hook."""

    def __init__(self, log: Callable[[str], None] = lambda message: None):
        self.log = log
        self.pages: dict[str, Page] = {}
        self.created: list[str] = []

    def note(self, what: str) -> None:
        self.created.append(what)
        self.log(f"  created {what}")

    @property
    def stdout(self):
        """A file-like `write()` for apps whose loaders report what they create as lines of text:
        each line counts as one created item."""
        demo = self

        class _Notes:
            def write(self, message: str) -> None:
                if message.strip():
                    demo.note(message.strip())

        return _Notes()

    # Images ------------------------------------------------------------------------------------

    @cached_property
    def image_specs(self) -> dict[str, dict]:
        return {spec["key"]: spec for spec in load_json("images.json")}

    @cached_property
    def collection(self) -> Collection:
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        existing = root.get_children().filter(name=COLLECTION_NAME).first()
        return existing or root.add_child(name=COLLECTION_NAME)

    def image(self, key: str):
        """The demo image `key` from images.json, drawn and stored the first time it is asked for."""
        spec = self.image_specs[key]
        image = CustomImage.objects.filter(collection=self.collection, title=spec["title"]).first()
        if image is None:
            image = CustomImage(title=spec["title"], description=spec["alt"], collection=self.collection)
            image.file = ContentFile(_drawn(key, spec), name=f"demo-{key}.jpg")
            image._set_image_file_metadata()
            image.save()
            self.note(f"image {spec['title']!r}")
        return image

    # Pages -------------------------------------------------------------------------------------

    def child_page(self, parent: Page, page: Page, *, name: str | None = None, published_at=None) -> Page:
        """Add `page` under `parent` and publish it, unless a child with its slug exists already."""
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing is not None:
            page = existing.specific
        else:
            if published_at:
                page.first_published_at = published_at
            parent.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            self.note(f"page {page.url_path}")
        self.pages[name or page.slug] = page
        return page

    def stream(self, items: list, *, key: str) -> list[dict]:
        """Turn the compact body notation of the data files into StreamField JSON.

        `["h2", {...}]`, `["p", "<p>..</p>"]`, `["image", {"image": "<image key>", ...}]`; any other
        block type is passed through as is, so other apps' blocks can appear in data files too.
        """
        return [self._block(kind, value, f"{key}:{i}") for i, (kind, value) in enumerate(items)]

    def _block(self, kind: str, value, key: str) -> dict:
        image_id = self._image_id
        if kind in {"h2", "h3"}:
            block_type, value = "heading", {"text": value["text"], "level": kind, "anchor": value.get("anchor", "")}
        elif kind == "p":
            block_type = "paragraph"
        elif kind == "image":
            block_type = "image"
            value = {
                "image": image_id(value["image"]),
                "alt_text": value["alt_text"],
                "caption": value.get("caption", ""),
                "attribution": value.get("attribution", ""),
            }
        elif kind == "video":
            block_type = "video"
            value = {
                "url": value["url"],
                "title": value["title"],
                "poster": image_id(value.get("poster")),
                "duration_seconds": value.get("duration_seconds"),
                "description": value.get("description", ""),
                "upload_date": value.get("upload_date"),
            }
        elif kind == "exercise":
            block_type = "exercise"
            value = {
                "name": value["name"],
                "instructions": value["instructions"],
                "image": image_id(value.get("image")),
                "image_alt_text": value.get("image_alt_text", ""),
                **{
                    field: value.get(field)
                    for field in ("hold_seconds", "hold_seconds_max", "repetitions", "repetitions_max", "sets")
                },
                "safety_note": value.get("safety_note", ""),
            }
        elif kind == "steps":
            block_type = "steps"
            value = {
                "title": value.get("title", ""),
                "steps": [
                    {"type": "item", "value": step, "id": self.block_id(f"{key}:{n}")}
                    for n, step in enumerate(value["steps"])
                ],
            }
        elif kind == "callout":
            block_type = "callout"
            value = {"style": value.get("style", "info"), "title": value.get("title", ""), "text": value["text"]}
        elif kind == "cta":
            block_type = "appointment_cta"
            value = {
                "heading": value["heading"],
                "text": value["text"],
                "button_label": value.get("button_label", "Request an appointment"),
                "page": value.get("page"),
            }
        else:
            block_type = kind
        return {"type": block_type, "value": value, "id": self.block_id(key)}

    def _image_id(self, key: str | None) -> int | None:
        return self.image(key).pk if key else None

    @staticmethod
    def block_id(key: str) -> str:
        return str(uuid.uuid5(_BLOCK_NAMESPACE, key))

    def add_block(
        self,
        page: Page,
        block_type: str,
        value,
        *,
        key: str,
        after_anchor: str | None = None,
        field: str = "body",
    ) -> bool:
        """Insert one block into a published page (after the heading `after_anchor`, or at the
        end) and publish a new revision. `key` names the block: a page that already has it is left
        alone, so hooks can call this on every run. Returns whether the page changed."""
        page = page.specific
        block_id = self.block_id(f"{page.slug}:{key}")
        raw = list(getattr(page, field).raw_data)
        if any(block.get("id") == block_id for block in raw):
            return False
        position = len(raw)
        if after_anchor:
            for i, block in enumerate(raw):
                if block["type"] == "heading" and block["value"].get("anchor") == after_anchor:
                    position = i + 1
                    break
            else:
                raise ValueError(f"{page.title!r} has no heading with the anchor {after_anchor!r}")
        raw.insert(position, {"type": block_type, "value": value, "id": block_id})
        setattr(page, field, raw)
        validate_stream(page, field)
        page.save_revision(log_action=True).publish()
        self.note(f"{block_type} block {key!r} on {page.url_path}")
        return True


def validate_stream(page: Page, field: str = "body") -> None:
    """Run the block validation editors get (required alt text, exercise doses...) on demo data,
    so a mistake in a data file fails the loader instead of producing a page editors cannot save."""
    stream_field = page._meta.get_field(field)
    stream_field.stream_block.clean(getattr(page, field))


# The core site ---------------------------------------------------------------------------------


def demo_content(demo: DemoContent) -> None:
    """Build the clinic's site: home, articles, standard pages, snippets, settings."""
    data = load_json("site.json")
    home, home_created = _home_page(demo, data["home"])
    site = _default_site(home, data["clinic"]["name"])

    clinic = ClinicSettings.for_site(site)
    changed = False
    for field, value in data["clinic"].items():
        if value and not getattr(clinic, field):
            setattr(clinic, field, value)
            changed = True
    if changed:
        clinic.save()
        demo.note("clinic settings")

    for spec in data["topics"]:
        _, created = Topic.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        if created:
            demo.note(f"topic {spec['name']!r}")
    for spec in data["authors"]:
        if not Author.objects.filter(slug=spec["slug"]).exists():
            Author.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                credentials=spec["credentials"],
                bio=spec["bio"],
                photo=demo.image(spec["photo"]),
            )
            demo.note(f"author {spec['name']!r}")

    index_data = data["article_index"]
    index = demo.child_page(
        home,
        ArticleIndexPage(
            title=index_data["title"],
            slug=index_data["slug"],
            intro=index_data["intro"],
            search_description=index_data["search_description"],
            show_in_menus=True,
        ),
        name="articles",
    )

    for spec in data["standard_pages"]:
        page = StandardPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            search_description=spec["search_description"],
            show_in_menus=spec["show_in_menus"],
        )
        page.body = demo.stream(spec["body"], key=spec["slug"])
        validate_stream(page)
        demo.child_page(home, page)

    featured = []
    for path in sorted((DATA_DIR / "articles").glob("*.json")):
        specs = json.loads(path.read_text(encoding="utf-8"))
        for spec in specs if isinstance(specs, list) else [specs]:
            article = _article(demo, index, spec)
            if spec.get("featured"):
                featured.append(article)

    if home_created:
        # The home page exists before the articles it features, so they are added in a second
        # revision, on the run that created it only: an editor may clear the list on purpose.
        home.featured_articles.set(featured)
        home.save_revision(log_action=True).publish()


def _article(demo: DemoContent, index: Page, spec: dict) -> Page:
    existing = index.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        demo.pages[f"article:{spec['slug']}"] = existing.specific
        return existing.specific
    publish_date = datetime.date.fromisoformat(spec["publish_date"])
    article = ArticlePage(
        title=spec["title"],
        slug=spec["slug"],
        seo_title=spec.get("seo_title", ""),
        summary=spec["summary"],
        search_description=spec.get("search_description", ""),
        hero_image=demo.image(spec["hero_image"]),
        hero_image_alt=spec["hero_image_alt"],
        author=Author.objects.filter(slug=spec.get("author", "dave-candy")).first(),
        publish_date=publish_date,
    )
    article.body = demo.stream(spec["body"], key=spec["slug"])
    validate_stream(article)
    article.topics = list(Topic.objects.filter(slug__in=spec["topics"]))
    published_at = timezone.make_aware(datetime.datetime.combine(publish_date, datetime.time(9)))
    return demo.child_page(index, article, name=f"article:{spec['slug']}", published_at=published_at)


def _home_page(demo: DemoContent, data: dict):
    """The HomePage at the top of the tree, replacing the welcome page Wagtail installs."""
    home = HomePage.objects.first()
    if home is not None:
        demo.pages["home"] = home
        return home, False

    root = Page.get_first_root_node()
    if root is None:  # a flushed database (e.g. after a transactional test): no tree at all
        Locale.objects.get_or_create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    welcome = root.get_children().filter(slug="home", content_type=ContentType.objects.get_for_model(Page)).first()
    if welcome is not None and welcome.is_leaf():
        welcome.delete()
        demo.log("  removed Wagtail's welcome page")
        root.refresh_from_db()

    slug = "home" if not root.get_children().filter(slug="home").exists() else "clinic-home"
    home = HomePage(
        title=data["title"],
        slug=slug,
        seo_title=data["seo_title"],
        search_description=data["search_description"],
        intro=data["intro"],
        hero_image=demo.image(data["hero_image"]),
        cta_heading=data["cta_heading"],
        cta_text=data["cta_text"],
    )
    return demo.child_page(root, home, name="home"), True


def _default_site(home: Page, name: str) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=name)
    if site.root_page_id != home.pk or not site.site_name:
        site.root_page = home
        site.site_name = site.site_name or name
        site.save()
    return site


def ensure_demo_login(demo: DemoContent) -> None:
    """A superuser with the documented demo password, for local use only (see the command)."""
    user_model = get_user_model()
    if user_model.objects.filter(username=DEMO_USERNAME).exists():
        return
    user_model.objects.create_superuser(DEMO_USERNAME, "admin@example.com", DEMO_PASSWORD)
    demo.note(f"demo login {DEMO_USERNAME!r}")


def run_hooks(demo: DemoContent) -> list[str]:
    """Call `demo_content(demo)` in each installed app's `demo` module; return the apps called."""
    called = []
    for app_config in apps.get_app_configs():
        # Only the project's own apps: third-party packages may have unrelated `demo` modules.
        if not Path(app_config.path).resolve().is_relative_to(settings.BASE_DIR):
            continue
        module_name = f"{app_config.name}.demo"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        hook = getattr(module, HOOK_NAME, None)
        if callable(hook):
            hook(demo)
            called.append(app_config.label)
    return called
