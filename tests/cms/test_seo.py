"""Search and sharing: meta tags, JSON-LD, sitemap, robots.txt and the Atom feed."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cms.factories import ArticlePageFactory, ImageFactory, StandardPageFactory, video_value
from cms.seo import json_ld_script

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 - our own server's output, in a test


def soup_for(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(soup) -> list[dict]:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def node(graph, type_name) -> dict:
    found = [n for n in graph if type_name == n["@type"] or type_name in n["@type"]]
    assert len(found) == 1, [n["@type"] for n in graph]
    return found[0]


def meta(soup, **attrs) -> str:
    tag = soup.find("meta", attrs=attrs)
    assert tag is not None, attrs
    return tag["content"]


@pytest.mark.django_db
class TestMetaTags:
    def test_article_title_description_canonical(self, client, article):
        soup = soup_for(client, article.url)
        assert soup.title.string == "Can't Lift Leg To Get In Car? | More 4 Life Physical Therapy"
        assert meta(soup, name="description") == article.summary
        assert soup.find("link", rel="canonical")["href"] == "http://localhost/articles/cant-lift-leg-to-get-in-car/"

    def test_seo_title_and_search_description_win(self, client, article):
        article.seo_title = "Hip Pain Getting Into The Car: 3 Stretches"
        article.search_description = "Three stretches from a St. Louis physical therapist."
        article.save_revision().publish()
        soup = soup_for(client, article.url)
        assert soup.title.string.startswith("Hip Pain Getting Into The Car: 3 Stretches |")
        assert meta(soup, name="description") == "Three stretches from a St. Louis physical therapist."
        assert meta(soup, property="og:title") == "Hip Pain Getting Into The Car: 3 Stretches"

    def test_canonical_url_honoured(self, client, article):
        article.canonical_url = "https://more4lifept.com/blog/cant-lift-leg/"
        article.save_revision().publish()
        soup = soup_for(client, article.url)
        assert soup.find("link", rel="canonical")["href"] == "https://more4lifept.com/blog/cant-lift-leg/"
        assert meta(soup, property="og:url") == "https://more4lifept.com/blog/cant-lift-leg/"

    def test_open_graph_and_twitter(self, client, article):
        soup = soup_for(client, article.url)
        assert meta(soup, property="og:type") == "article"
        assert meta(soup, property="og:title") == "Can't Lift Leg To Get In Car?"
        assert meta(soup, property="og:description") == article.summary
        assert meta(soup, property="og:site_name") == "More 4 Life Physical Therapy"
        image = meta(soup, property="og:image")
        assert image.startswith("http://localhost/media/images/") and "fill-1200x630" in image
        assert int(meta(soup, property="og:image:width")) > 0
        assert meta(soup, property="og:image:alt") == article.hero_image_alt
        assert meta(soup, property="article:published_time") == "2024-03-12"
        assert meta(soup, name="twitter:card") == "summary_large_image"
        assert meta(soup, name="twitter:image") == image

    def test_the_og_image_file_exists(self, client, article):
        soup = soup_for(client, article.url)
        from django.conf import settings

        path = meta(soup, property="og:image").removeprefix("http://localhost" + settings.MEDIA_URL)
        assert (Path(str(settings.MEDIA_ROOT)) / path).is_file()

    def test_social_image_overrides_hero(self, client, article):
        article.social_image = ImageFactory(title="Share card")
        article.save_revision().publish()
        soup = soup_for(client, article.url)
        assert meta(soup, property="og:image:alt") == "Share card"

    def test_page_without_image_gets_summary_card(self, client, home_page):
        page = StandardPageFactory(parent=home_page, title="Privacy", search_description="How we treat your data.")
        soup = soup_for(client, page.url)
        assert meta(soup, property="og:type") == "website"
        assert meta(soup, name="twitter:card") == "summary"
        assert soup.find("meta", property="og:image") is None
        assert meta(soup, name="description") == "How we treat your data."


@pytest.mark.django_db
class TestJsonLd:
    def test_article_graph(self, client, article):
        graph = json_ld(soup_for(client, article.url))
        data = node(graph, "Article")
        assert data["headline"] == "Can't Lift Leg To Get In Car?"
        assert data["author"] == {"@type": "Person", "name": "Dr. Dave Candy", "honorificSuffix": "PT, DPT"}
        assert data["datePublished"] == "2024-03-12"
        assert data["dateModified"]
        assert data["image"][0].startswith("http://localhost/media/")
        clinic = node(graph, "MedicalBusiness")
        assert data["publisher"] == {"@id": clinic["@id"]}
        assert sorted(data["keywords"]) == ["Back pain", "Hip pain"]

    def test_video_object(self, client, article):
        graph = json_ld(soup_for(client, article.url))
        video = node(graph, "VideoObject")
        assert video == {
            "@type": "VideoObject",
            "name": "7 Simple Tips To Get Rid Of Hip Pain",
            "description": video_value()["description"],
            "embedUrl": "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
            "contentUrl": "https://www.youtube.com/watch?v=M7lc1UVf-VE",
            "uploadDate": "2024-03-12",
            "duration": "PT6M12S",
        }

    def test_video_poster_is_a_local_thumbnail(self, client, article_index, image):
        page = ArticlePageFactory(
            parent=article_index, body=[{"type": "video", "value": video_value(poster=image.pk, upload_date=None)}]
        )
        video = node(json_ld(soup_for(client, page.url)), "VideoObject")
        assert video["thumbnailUrl"].startswith("http://localhost/media/images/")
        assert video["uploadDate"] == page.publish_date.isoformat()  # falls back to the article's date

    def test_clinic_on_every_page(self, client, home_page, article):
        from wagtail.models import Site

        from cms.models import ClinicSettings

        clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        clinic.street_address = "123 Main St"
        clinic.postal_code = "63141"
        clinic.facebook_url = "https://www.facebook.com/more4lifept"
        clinic.save()
        for url in ("/", article.url, "/articles/"):
            business = node(json_ld(soup_for(client, url)), "Physiotherapy")
            assert business["name"] == "More 4 Life Physical Therapy"
            assert business["telephone"] == "+13149413970"
            assert business["url"] == "http://localhost/"
            assert business["address"] == {
                "@type": "PostalAddress",
                "streetAddress": "123 Main St",
                "addressLocality": "St. Louis",
                "addressRegion": "MO",
                "postalCode": "63141",
                "addressCountry": "US",
            }
            assert business["sameAs"] == ["https://www.facebook.com/more4lifept"]

    def test_breadcrumbs(self, client, article):
        crumbs = node(json_ld(soup_for(client, article.url)), "BreadcrumbList")
        assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
            (1, "More 4 Life Physical Therapy", "http://localhost/"),
            (2, "Articles", "http://localhost/articles/"),
            (3, "Can't Lift Leg To Get In Car?", "http://localhost/articles/cant-lift-leg-to-get-in-car/"),
        ]
        home_graph = json_ld(soup_for(client, "/"))
        assert not [n for n in home_graph if n["@type"] == "BreadcrumbList"]

    def test_home_page_describes_the_website_and_its_search(self, client, home_page):
        website = node(json_ld(soup_for(client, "/")), "WebSite")
        assert website["url"] == "http://localhost/"
        target = website["potentialAction"]["target"]["urlTemplate"]
        assert target == "http://localhost/search/?query={search_term_string}"

    def test_title_cannot_break_out_of_the_script(self, client, article_index):
        title = "</script><script>alert(1)</script> & <!-- hip"
        page = ArticlePageFactory(parent=article_index, title=title, slug="tricky")
        response = client.get(page.url)
        assert b"<script>alert(1)" not in response.content
        # The parser ends a script at the first "</script": the JSON only parses if it was escaped.
        soup = BeautifulSoup(response.content, "html.parser")
        assert node(json_ld(soup), "Article")["headline"] == title

    def test_json_ld_script_escapes(self):
        out = str(json_ld_script({"a": "</script>&<!--"}))
        assert "</script>&" not in out and "<!--" not in out.removeprefix('<script type="application/ld+json">')
        assert json.loads(out.removeprefix('<script type="application/ld+json">').removesuffix("</script>")) == {
            "a": "</script>&<!--"
        }


@pytest.mark.django_db
class TestSitemapRobotsFeed:
    def test_sitemap_lists_live_pages_only(self, client, article, article_index, home_page):
        draft = ArticlePageFactory(parent=article_index, title="Draft", live=False)
        moved = ArticlePageFactory(parent=article_index, title="Moved", canonical_url="https://example.org/x/")
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        root = parse_xml(response.content)
        locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
        assert "http://localhost/" in locations
        assert "http://localhost/articles/" in locations
        assert "http://localhost/articles/cant-lift-leg-to-get-in-car/" in locations
        assert draft.get_full_url() not in locations
        assert moved.get_full_url() not in locations

    def test_robots(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines

    def test_atom_feed(self, client, article, article_index):
        older = ArticlePageFactory(parent=article_index, title="Older", publish_date="2023-01-02")
        response = client.get("/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = parse_xml(response.content)
        assert feed.findtext(f"{ATOM}title") == "More 4 Life Physical Therapy: articles"
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed/"
        entries = feed.findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == [article.title, older.title]
        first = entries[0]
        assert first.find(f"{ATOM}link").get("href") == "http://localhost/articles/cant-lift-leg-to-get-in-car/"
        assert first.findtext(f"{ATOM}summary") == article.summary
        assert first.findtext(f"{ATOM}author/{ATOM}name") == "Dr. Dave Candy"
        assert first.findtext(f"{ATOM}published").startswith("2024-03-12")
        assert sorted(c.get("term") for c in first.findall(f"{ATOM}category")) == ["Back pain", "Hip pain"]

    def test_feed_leaves_out_drafts(self, client, article_index):
        ArticlePageFactory(parent=article_index, title="Draft", live=False)
        feed = parse_xml(client.get("/feed/").content)
        assert feed.findall(f"{ATOM}entry") == []
