"""Receivers connected in CommentsConfig.ready()."""


def purge_cached_article(sender, article_id, urls, **kwargs):
    """The cached article page shows the comment count, so any change to what readers see
    (not only approvals, which the delivery app already handles) makes it stale."""
    from masthead.delivery.services import page_cache_purge

    page_cache_purge(tags={f"comments:{article_id}"})
