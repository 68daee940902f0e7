"""Builders shared by the sending tests: a list with subscribers and an edition of stories."""

from masthead.newsletter.models import Edition, EditionArticle
from tests import factories


def edition_with_readers(
    *, readers=3, stories=2, subject="Morning briefing", images=True, **fields
):
    newsletter = factories.newsletter_list(name="Daily briefing")
    subscriptions = [
        factories.subscription(newsletter, factories.member(email=f"reader{i}@example.org"))
        for i in range(readers)
    ]
    edition = Edition.objects.create(
        newsletter=newsletter, subject=subject, intro="Good morning.\n\nHere is the news.", **fields
    )
    section = factories.section()
    for i in range(stories):
        EditionArticle.objects.create(
            edition=edition,
            article=factories.article(section, lead_image=factories.image() if images else None),
            sort_order=i,
        )
    return edition, subscriptions
