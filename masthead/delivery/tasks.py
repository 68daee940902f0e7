"""Background work of delivery, run by the task worker (`masthead worker`): CDN purges
whose URLs take reading many stories (a renamed author or topic) or every URL noted (a
renamed section)."""

from django_tasks import task


@task()
def cdn_purge_author(author_id, slugs):
    """Purge from the CDN every URL that shows the author (their stories as they are now,
    after the save committed) under each of `slugs`, old and new."""
    from masthead.delivery.services import author_cdn_urls, cdn_purge_now

    cdn_purge_now(urls=author_cdn_urls(author_id=author_id, slugs=slugs))


@task()
def cdn_purge_topic(topic_id, slugs, story_ids=None):
    """Purge from the CDN every URL that shows the topic under each of `slugs`; a deleted
    topic's former stories come as `story_ids`."""
    from masthead.delivery.services import cdn_purge_now, topic_cdn_urls

    cdn_purge_now(urls=topic_cdn_urls(topic_id=topic_id, slugs=slugs, story_ids=story_ids))


@task()
def cdn_purge_everywhere(urls):
    """Purge from the CDN `urls` and every URL it may still hold a copy of (each noted as
    it was stored here: PageCache.note_for_cdn), for a change every page shows."""
    from masthead.delivery.cache import page_cache
    from masthead.delivery.services import cdn_purge_now

    cdn_purge_now(urls=[*urls, *page_cache().cdn_urls((), everywhere=True)])


@task()
def render_published(page_id):
    """Render the just-published page `page_id`, its sections and the front page for
    readers (masthead.delivery.rendering), unless it is no longer live."""
    from wagtail.models import Page

    from masthead.delivery.rendering import reader_urls, render_for_readers

    page = Page.objects.live().filter(pk=page_id).first()
    if page is not None:
        for url in reader_urls(page):
            render_for_readers(url)
