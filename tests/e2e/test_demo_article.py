"""The demo article in a real browser: table of contents, exercise cards, and the video that
loads its player only when asked, with no third-party request before that."""

import re

import pytest

from cms.demo import MAIN_ARTICLE_SLUG

pytestmark = pytest.mark.e2e

ARTICLE_PATH = f"/articles/{MAIN_ARTICLE_SLUG}/"
VIDEO_TITLE = "7 Simple Tips To Get Rid Of Hip Pain"


def test_demo_article_contents_exercises_and_click_to_load_video(demo_site, page, blocked_requests, console_errors):
    from playwright.sync_api import expect

    response = page.goto(demo_site.url(ARTICLE_PATH), wait_until="load")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Can't Lift Leg To Get In Car?")

    # Table of contents: every entry points at an element on the page, and following one lands there.
    toc = page.locator('nav.toc a[href^="#"]')
    hrefs = toc.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) >= 4
    for href in hrefs:
        assert page.locator(f'[id="{href[1:]}"]').count() == 1, f"{href} points at nothing"
    toc.filter(has_text="Conclusion").click()
    expect(page).to_have_url(re.compile(r"#conclusion$"))
    expect(page.locator('[id="conclusion"]')).to_be_in_viewport()

    # Exercise cards, numbered in order, with their doses.
    cards = page.locator("section.exercise")
    expect(cards).to_have_count(3)
    numbers = [re.sub(r"\D", "", text) for text in cards.locator(".exercise__number").all_text_contents()]
    assert numbers == ["1", "2", "3"]
    expect(cards.nth(0)).to_contain_text("Hip Flexion Stretch")
    expect(cards.nth(0).locator(".exercise__dose")).to_contain_text("10 seconds")
    expect(cards.nth(0).locator(".exercise__dose")).to_contain_text("10 times")
    expect(cards.nth(0)).to_contain_text("Only go as far as you can without pain.")
    expect(cards.nth(1).locator(".exercise__dose")).to_contain_text("1\u20132 minutes")
    expect(cards.nth(2).locator(".exercise__dose")).to_contain_text("5\u201310 times")

    # Nothing has gone to another host so far: no fonts, scripts, pixels or video player.
    page.wait_for_load_state("networkidle")
    assert blocked_requests == []
    assert console_errors == []

    # The video: a facade link named after the video; clicking swaps in the nocookie player.
    figure = page.locator("figure.video[data-video-player]")
    facade = figure.locator("a.video__facade")
    expect(facade).to_have_attribute("aria-label", re.compile(rf"^Play video: {re.escape(VIDEO_TITLE)}"))
    expect(figure.locator("iframe")).to_have_count(0)
    # The player's request is the first request to another host; the test context aborts it.
    with page.expect_event("requestfailed", lambda request: "youtube-nocookie.com" in request.url):
        facade.click()
    player = figure.locator("iframe")
    expect(player).to_have_count(1)
    expect(player).to_have_attribute("title", VIDEO_TITLE)
    expect(player).to_have_attribute("src", re.compile(r"^https://www\.youtube-nocookie\.com/embed/[\w-]{11}\?"))
    expect(facade).to_have_count(0)
    assert blocked_requests and all(url.startswith("https://www.youtube-nocookie.com/") for url in blocked_requests)
