"""Receivers: discovery settings saved (feeds and robots.txt change for every reader); a
page moved (search filters by section must follow it and everything under it); a topic
renamed (its stories' search entries hold its name)."""


def discovery_settings_saved(sender, instance, **kwargs):
    from masthead.delivery.services import page_cache_purge

    page_cache_purge(tags={"feeds", "sitemaps", "path:/robots.txt"})


def page_moved(sender, instance, parent_page_after=None, **kwargs):
    from masthead.discovery.search_backend import recency_paths_follow

    recency_paths_follow(under=parent_page_after or instance)


def topic_saved(sender, instance, created=False, **kwargs):
    from masthead.discovery.tasks import topic_stories_reindex

    # Queued in the rename's transaction (the database queue), as Wagtail queues indexing.
    if not created:
        topic_stories_reindex.enqueue(instance.pk)
