"""The demo outlet's newsletters. Idempotent: lists that exist (by slug) are left as editors
made them, so `masthead demo` can run any number of times."""

from masthead.newsletter.models import NewsletterList

DEMO_LISTS = [
    # slug, name, description, kind, section slug
    (
        "daily-briefing",
        "Daily briefing",
        "The day's essential stories from Northgate and beyond, every weekday morning.",
        NewsletterList.Kind.DIGEST,
        None,
    ),
    (
        "breaking-news",
        "Breaking news",
        "A short alert when a major story breaks. Rarely more than a few a week.",
        NewsletterList.Kind.ALERTS,
        None,
    ),
    (
        "election-news",
        "Election News",
        "Campaigns, candidates and the count: our election desk's weekly letter.",
        NewsletterList.Kind.SECTION,
        "election-news",
    ),
]


def demo_newsletter_lists_ensure():
    """Create the demo lists that are missing; returns the names of those created."""
    from masthead.news.models import SectionPage

    created = []
    for order, (slug, name, description, kind, section_slug) in enumerate(DEMO_LISTS):
        section = SectionPage.objects.filter(slug=section_slug).first() if section_slug else None
        _, was_created = NewsletterList.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "kind": kind,
                "section": section,
                "sort_order": order,
            },
        )
        if was_created:
            created.append(name)
    return created
