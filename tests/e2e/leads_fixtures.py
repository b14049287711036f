"""Fixtures for the appointment-request browser test."""

import pytest


@pytest.fixture
def demo_article_with_form(article_index):
    from cms.models import ArticlePage

    article = ArticlePage(
        title="Can't Lift Leg To Get In Car?",
        slug="cant-lift-leg-to-get-in-car",
        summary="Why lifting your leg into the car hurts, and what helps.",
        body=[("paragraph", "<p>Many people with hip pain find it hard to lift their leg.</p>")],
    )
    article_index.add_child(instance=article)
    article.save_revision().publish()
    from marketing.leads.demo import load_demo

    load_demo(article_index.get_parent().specific)  # adds the form to the demo article
    article.refresh_from_db()
    return article
