"""Every page type renders through the public surface, with the parts an article promises."""

import pytest
from bs4 import BeautifulSoup

from cms.factories import (
    ArticlePageFactory,
    ImageFactory,
    StandardPageFactory,
    TopicFactory,
    article_body,
    exercise_value,
)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def get_ok(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return soup_of(response)


@pytest.mark.django_db
class TestLayout:
    def test_landmarks_skip_link_and_phone(self, client, home_page):
        soup = get_ok(client, "/")
        skip = soup.select_one("a.skip-link")
        assert skip["href"] == "#main"
        assert soup.select_one("main#main")
        assert soup.select_one("header.site-header") and soup.select_one("footer.site-footer")
        call = soup.select_one("header a.call")
        assert call.get_text(strip=True) == "Call To Schedule 314-941-3970"
        assert call["href"] == "tel:+13149413970"
        assert soup.html["lang"] == "en"

    def test_phone_comes_from_clinic_settings(self, client, home_page):
        from wagtail.models import Site

        from cms.models import ClinicSettings

        settings = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
        settings.phone = "314-555-0100"
        settings.save()
        soup = get_ok(client, "/")
        call = soup.select_one("header a.call")
        assert call.get_text(strip=True) == "Call To Schedule 314-555-0100"
        assert call["href"] == "tel:+13145550100"

    def test_menu_lists_pages_marked_for_menus(self, client, home_page):
        StandardPageFactory(parent=home_page, title="About us", show_in_menus=True)
        StandardPageFactory(parent=home_page, title="Privacy", show_in_menus=False)
        soup = get_ok(client, "/about-us/")
        links = {a.get_text(strip=True): a for a in soup.select("nav[aria-label=Main] a")}
        assert "About us" in links and "Privacy" not in links
        assert links["About us"]["aria-current"] == "page"

    def test_only_one_h1_and_no_skipped_heading_levels(self, client, article):
        soup = get_ok(client, article.url)
        assert len(soup.find_all("h1")) == 1
        levels = [int(tag.name[1]) for tag in soup.find_all(["h1", "h2", "h3", "h4"])]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels

    def test_script_is_deferred_and_first_party(self, client, article):
        soup = get_ok(client, article.url)
        scripts = [s for s in soup.find_all("script") if s.get("src")]
        assert scripts and all(s["src"].startswith("/static/") and s.has_attr("defer") for s in scripts)
        # Nothing on first view may come from another host.
        for tag, attr in (("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "srcset")):
            for node in soup.find_all(tag):
                value = node.get(attr, "")
                if tag == "link" and node.get("rel") in (["canonical"], ["alternate"]):
                    continue
                assert not value.startswith(("http://", "https://", "//")), (tag, value)


@pytest.mark.django_db
class TestArticlePage:
    def test_title_byline_date_reading_time_and_topics(self, client, article):
        soup = get_ok(client, article.url)
        assert soup.h1.get_text(strip=True) == "Can't Lift Leg To Get In Car?"
        byline = soup.select_one(".byline").get_text(" ", strip=True)
        assert "Dr. Dave Candy" in byline and "PT, DPT" in byline
        assert soup.select_one(".byline time")["datetime"] == "2024-03-12"
        assert f"{article.reading_time} min read" in byline
        topics = [a.get_text(strip=True) for a in soup.select(".article__header .chip")]
        assert sorted(topics) == ["Back pain", "Hip pain"]
        assert soup.select_one(".article__header .chip")["href"].startswith("/articles/?topic=")

    def test_hero_image_is_responsive_and_loaded_first(self, client, article):
        soup = get_ok(client, article.url)
        picture = soup.select_one(".article__hero picture")
        types = [source["type"] for source in picture.find_all("source")]
        assert types == ["image/avif", "image/webp"]
        img = picture.img
        assert img["alt"] == "Physical therapist helping a patient lift her leg into a car"
        assert img["loading"] == "eager" and img["fetchpriority"] == "high"
        assert img["width"] and img["height"] and img["sizes"] and img["srcset"]

    def test_table_of_contents_links_to_every_h2_section(self, client, article):
        soup = get_ok(client, article.url)
        links = soup.select("nav.toc a[href^='#']")
        assert [a.get_text(strip=True) for a in links] == [
            "Why Is It Hard To Lift Your Leg?",
            "Exercises To Improve Your Hip Mobility",
            "Getting Into The Car",
        ]
        for link in links:
            target = soup.find(id=link["href"][1:])
            assert target is not None and target.name == "h2"

    def test_duplicate_headings_get_distinct_anchors(self, client, article_index):
        body = [
            {"type": "heading", "value": {"text": "Stretch", "level": "h2", "anchor": ""}},
            {"type": "heading", "value": {"text": "Stretch", "level": "h2", "anchor": ""}},
        ]
        page = ArticlePageFactory(parent=article_index, body=body)
        soup = get_ok(client, page.url)
        hrefs = [a["href"] for a in soup.select("nav.toc a")]
        assert hrefs == ["#stretch", "#stretch-2"]
        assert soup.find(id="stretch-2").name == "h2"

    def test_exercise_cards_are_numbered_in_page_order(self, client, article_index):
        body = [
            {"type": "exercise", "value": exercise_value(name="Hip Flexion Stretch")},
            {"type": "paragraph", "value": "<p>Then:</p>"},
            {
                "type": "exercise",
                "value": exercise_value(name="Piriformis Stretch", hold_seconds=60, hold_seconds_max=120),
            },
            {
                "type": "exercise",
                "value": exercise_value(
                    name="Hip Flexor Strengthening", repetitions=5, repetitions_max=10, sets=2, safety_note=""
                ),
            },
        ]
        page = ArticlePageFactory(parent=article_index, body=body)
        soup = get_ok(client, page.url)
        cards = soup.select("section.exercise")
        numbers = [card.select_one(".exercise__number").get_text(" ", strip=True) for card in cards]
        assert numbers == ["Exercise 1", "Exercise 2", "Exercise 3"]
        doses = [
            {
                dt.get_text(strip=True): dd.get_text(strip=True)
                for dt, dd in zip(c.find_all("dt"), c.find_all("dd"), strict=True)
            }
            for c in cards
        ]
        assert doses[0] == {"Hold": "10 seconds", "Repeat": "10 times"}
        assert doses[1] == {"Hold": "1\u20132 minutes", "Repeat": "10 times"}
        assert doses[2] == {"Hold": "10 seconds", "Repeat": "5\u201310 times", "Sets": "2"}
        assert "Only go as far as you can without pain." in cards[0].select_one(".exercise__safety").get_text()
        assert cards[2].select_one(".exercise__safety") is None
        # Each card is a region named by its heading.
        assert cards[1]["aria-labelledby"] == cards[1].h3["id"]

    def test_appointment_cta_is_shown_once(self, client, article, article_index):
        soup = get_ok(client, article.url)
        assert len(soup.select("section.cta")) == 1  # the body's own CTA block
        without = ArticlePageFactory(parent=article_index, body=[{"type": "paragraph", "value": "<p>Short note.</p>"}])
        soup = get_ok(client, without.url)
        cta = soup.select("section.cta")
        assert len(cta) == 1
        assert cta[0].select_one("a[href^='tel:']")["href"] == "tel:+13149413970"

    def test_reading_time_follows_body_length(self, article_index):
        long_text = "<p>" + "word " * 1000 + "</p>"
        page = ArticlePageFactory(parent=article_index, body=[{"type": "paragraph", "value": long_text}])
        assert page.reading_time == 5  # 1000 words at 220 a minute, rounded up


@pytest.mark.django_db
class TestHomePage:
    def test_featured_articles_first_then_newest_and_videos(self, client, home_page, article, article_index):
        plain = ArticlePageFactory(
            parent=article_index, title="Knee pain on stairs", body=[{"type": "paragraph", "value": "<p>x</p>"}]
        )
        home_page.featured_articles.add(plain)
        home_page.save_revision().publish()
        soup = get_ok(client, "/")
        titles = [a.get_text(strip=True) for a in soup.select(".cards .card__title a")]
        assert titles[0] == "Knee pain on stairs"
        assert article.title in titles
        assert [h.name for h in soup.select(".card__title")] == ["h3", "h3"]
        videos = soup.select(".videos figure.video")
        assert len(videos) == 1
        assert (
            videos[0]
            .select_one("a.video__facade")["aria-label"]
            .startswith("Play video: 7 Simple Tips To Get Rid Of Hip Pain")
        )
        cta = soup.select_one("section.cta")
        assert cta.h2.get_text(strip=True) == home_page.cta_heading

    def test_home_without_articles_still_renders(self, client, home_page):
        soup = get_ok(client, "/")
        assert soup.h1.get_text(strip=True) == "More 4 Life Physical Therapy"
        assert soup.select_one("section.cta")


@pytest.mark.django_db
class TestArticleIndexPage:
    @pytest.fixture
    def listing(self, article_index):
        hip, back = TopicFactory(name="Hip pain"), TopicFactory(name="Back pain")
        for n in range(5):
            ArticlePageFactory(
                parent=article_index,
                title=f"Article {n}",
                topics=[hip if n % 2 else back],
                body=[{"type": "paragraph", "value": "<p>x</p>"}],
            )
        return article_index

    @pytest.fixture(autouse=True)
    def small_pages(self, monkeypatch):
        from cms.models import ArticleIndexPage

        monkeypatch.setattr(ArticleIndexPage, "per_page", 2)

    def test_lists_articles_as_h2_cards_with_pagination(self, client, listing):
        soup = get_ok(client, listing.url)
        assert len(soup.select(".cards > li.card")) == 2
        assert all(h.name == "h2" for h in soup.select(".card__title"))
        pages = soup.select("nav.pagination a")
        assert soup.select_one("nav.pagination a[aria-current=page]").get_text(" ", strip=True) == "Page 1"
        assert any(a.get("rel") == ["next"] for a in pages)

    def test_topic_filter(self, client, listing):
        soup = get_ok(client, listing.url + "?topic=hip-pain")
        titles = sorted(a.get_text(strip=True) for a in soup.select(".card__title a"))
        assert titles == ["Article 1", "Article 3"]
        assert soup.select_one(".topics a[aria-current=page]").get_text(strip=True) == "Hip pain"

    def test_topic_links_keep_filter_across_pages(self, client, listing):
        soup = get_ok(client, listing.url + "?topic=back-pain")
        next_link = soup.select_one("nav.pagination a[rel=next]")
        assert next_link["href"] == "?topic=back-pain&page=2"
        soup = get_ok(client, listing.url + next_link["href"])
        assert [a.get_text(strip=True) for a in soup.select(".card__title a")] == ["Article 0"]

    @pytest.mark.parametrize(
        "query", ["?page=abc", "?page=-1", "?page=0", "?page=99999", "?page=1.5", "?page=%00", "?page="]
    )
    def test_bad_page_numbers_never_fail(self, client, listing, query):
        soup = get_ok(client, listing.url + query)
        assert soup.select(".cards > li.card")

    @pytest.mark.parametrize("query", ["?topic=no-such-topic", "?topic=%3Cscript%3E", "?topic=" + "x" * 500])
    def test_unknown_topic_is_404_with_layout(self, client, listing, query):
        response = client.get(listing.url + query)
        assert response.status_code == 404
        assert soup_of(response).select_one("header a.call")

    @pytest.mark.parametrize(
        ("query", "canonical"),
        [
            ("", "http://localhost/articles/"),
            ("?page=1", "http://localhost/articles/"),
            ("?page=2", "http://localhost/articles/?page=2"),
            ("?page=abc", "http://localhost/articles/"),
            ("?page=99", "http://localhost/articles/?page=3"),
            ("?topic=hip-pain&utm_source=x", "http://localhost/articles/?topic=hip-pain"),
        ],
    )
    def test_canonical_keeps_only_valid_filter_and_page(self, client, listing, query, canonical):
        soup = get_ok(client, listing.url + query)
        assert soup.find("link", rel="canonical")["href"] == canonical

    def test_empty_listing(self, client, article_index):
        soup = get_ok(client, article_index.url)
        assert "No articles yet" in soup.select_one(".cards").get_text()


@pytest.mark.django_db
def test_standard_page_renders_body(client, home_page, image):
    page = StandardPageFactory(
        parent=home_page,
        title="Affiliate disclosure",
        body=[
            {"type": "heading", "value": {"text": "How we earn", "level": "h2", "anchor": ""}},
            {"type": "paragraph", "value": "<p>We may earn a commission.</p>"},
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Our clinic", "caption": "Front desk", "attribution": ""},
            },
        ],
    )
    soup = get_ok(client, page.url)
    assert soup.h1.get_text(strip=True) == "Affiliate disclosure"
    assert soup.find("h2", id="how-we-earn")
    assert soup.select_one("figure.figure img")["alt"] == "Our clinic"


@pytest.mark.django_db
class TestErrors:
    def test_unknown_page_is_404_with_site_layout(self, client, home_page):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        soup = soup_of(response)
        assert soup.select_one("header a.call").get_text(strip=True) == "Call To Schedule 314-941-3970"
        assert soup.select_one("footer.site-footer")
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    def test_404_for_unknown_host_without_site(self, client, home_page):
        from wagtail.models import Site

        Site.objects.all().delete()
        response = client.get("/anything/")
        assert response.status_code == 404
        assert b"Call To Schedule 314-941-3970" in response.content

    def test_500_page_needs_no_database(self, rf, django_assert_num_queries):
        from cms.views import server_error

        with django_assert_num_queries(0):
            response = server_error(rf.get("/"))
        assert response.status_code == 500
        soup = soup_of(response)
        assert soup.h1.get_text(strip=True) == "Something went wrong on our side"
        assert soup.select_one("a[href='tel:+13149413970']")


@pytest.mark.django_db
def test_article_with_images_in_body_and_exercise(client, article_index):
    photo = ImageFactory()
    body = article_body()
    body.insert(
        0,
        {"type": "image", "value": {"image": photo.pk, "alt_text": "Knee to chest", "caption": "", "attribution": ""}},
    )
    body[6]["value"] = exercise_value(image=photo.pk, image_alt_text="Patient pulling knee to chest")
    page = ArticlePageFactory(parent=article_index, body=body)
    soup = get_ok(client, page.url)
    assert soup.select_one("figure.figure img")["loading"] == "lazy"
    exercise_img = soup.select_one("section.exercise .exercise__image img")
    assert exercise_img["alt"] == "Patient pulling knee to chest"
    assert exercise_img["loading"] == "lazy"
    assert exercise_img["width"] and exercise_img["height"]
