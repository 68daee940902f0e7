"""A change of the discovery settings changes feeds and robots.txt for every reader."""


def discovery_settings_saved(sender, instance, **kwargs):
    from masthead.delivery.services import page_cache_purge

    page_cache_purge(tags={"feeds", "sitemaps", "path:/robots.txt"})
