"""Background work of discovery, run by the task worker (`masthead worker`)."""

from django_tasks import task
from modelsearch import index


@task()
def topic_stories_reindex(topic_id):
    """A topic's name is part of its stories' search entries: index them anew after the
    topic is renamed (readers search published stories only; the rest are indexed again
    when they are published), then drop cached search pages, which may have been rendered
    from the old entries."""
    from taggit.models import Tag

    from masthead.delivery.services import page_cache_purge
    from masthead.news.selectors import topic_articles

    topic = Tag.objects.filter(pk=topic_id).first()
    if topic is None:
        return
    for story in topic_articles(slug=topic.slug).iterator(chunk_size=500):
        index.insert_or_update_object(story)
    page_cache_purge(tags={"search"})
