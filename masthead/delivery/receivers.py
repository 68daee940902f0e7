"""Signal receivers: each publishing event becomes a purge (thin; the work is in services)."""

from masthead.delivery.services import (
    NAVIGATION_BEFORE_ATTR,
    NAVIGATION_FIELDS,
    SLUG_BEFORE_ATTR,
    STORY_IDS_ATTR,
    author_cdn_purge,
    author_purge_tags,
    cdn_configured,
    changed_pages_cdn_urls,
    holds_pages,
    image_pages,
    navigation_before_save,
    navigation_changed,
    page_cache_purge,
    page_purge_tags,
    published_page_render,
    slug_before_save,
    topic_cdn_purge,
    topic_story_ids,
)


def page_changed(sender, instance, **kwargs):
    """page_published / page_unpublished (publishing a correction is a publish too; Wagtail
    unpublishes a live page just before deleting it, so a deletion purges here too)."""
    page_cache_purge(
        tags=page_purge_tags(page=instance),
        cdn_urls=changed_pages_cdn_urls(pages=[instance]),
        cdn_everywhere=navigation_changed(page=instance),
    )


def page_published(sender, instance, **kwargs):
    """After page_changed's purge: the worker renders the page again for readers."""
    published_page_render(page=instance)


def navigation_will_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of a front page or section: what the navigation showed of it, for the CDN
    purge after a publish to compare with (here every page is purged anyway). Publishing
    and unpublishing save every field; a draft's save (update_fields) changes none of it."""
    if raw or not cdn_configured():
        return
    if update_fields is not None and not set(update_fields) & set(NAVIGATION_FIELDS):
        return
    setattr(instance, NAVIGATION_BEFORE_ATTR, navigation_before_save(page=instance))


def page_moved(sender, instance, url_path_before=None, parent_page_before=None, **kwargs):
    old_path = parent_page_before.path + "0000" if parent_page_before is not None else None
    old_url = None
    if url_path_before and parent_page_before is not None:
        parent_url = parent_page_before.full_url
        if parent_url:
            old_url = parent_url + url_path_before.rstrip("/").rsplit("/", 1)[-1] + "/"
    page_cache_purge(
        tags=page_purge_tags(page=instance, old_path=old_path),
        cdn_urls=changed_pages_cdn_urls(
            pages=[instance], old_url=old_url, old_parent=parent_page_before
        ),
        # A moved section takes its stories' URLs and every page's breadcrumbs below it.
        cdn_everywhere=holds_pages(instance),
    )


def page_deleted(sender, instance, **kwargs):
    """The CDN heard of a live page's deletion from page_unpublished; a page that was not
    live showed nowhere."""
    page_cache_purge(tags=page_purge_tags(page=instance))


def slug_will_change(sender, instance, raw=False, **kwargs):
    """pre_save of an author or a topic: a new slug moves their page, and the page under
    the old one must leave the CDN too."""
    if not raw and cdn_configured():
        setattr(instance, SLUG_BEFORE_ATTR, slug_before_save(instance=instance))


def author_changed(sender, instance, created=False, **kwargs):
    """A new author shows nowhere until a story of theirs is published, which purges."""
    if not created:
        page_cache_purge(tags=author_purge_tags(author=instance))
        author_cdn_purge(author=instance)


def topic_will_be_deleted(sender, instance, **kwargs):
    """pre_delete of a topic: its stories are found through its taggings, which the delete
    takes with it; the CDN purge after the commit needs them."""
    if cdn_configured():
        setattr(instance, STORY_IDS_ATTR, topic_story_ids(topic=instance))


def topic_changed(sender, instance, created=False, **kwargs):
    """A topic's name shows on its stories, its page and in every feed listing them; its
    slug in their links and the sitemap (topic pages are tagged by path only, so all go).
    A new topic shows nowhere until a story with it is published, which purges."""
    if not created:
        page_cache_purge(tags={f"topic:{instance.pk}", "topics", "sitemaps"})
        topic_cdn_purge(topic=instance, story_ids=getattr(instance, STORY_IDS_ATTR, None))


def image_changed(sender, instance, **kwargs):
    """Alt text, caption and credit show wherever the image does: on the stories that use
    it (lead or body) and on every listing that shows those stories' cards. Wagtail's own
    bookkeeping saves (a file's size or hash filled in while rendering) show nothing new."""
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"file_size", "file_hash"}:
        return
    pages = image_pages(image=instance)
    page_cache_purge(
        tags=set().union(*(page_purge_tags(page=page) for page in pages)),
        cdn_urls=changed_pages_cdn_urls(pages=pages),
    )


def site_structure_changed(sender, **kwargs):
    """A view restriction or a site changed: which pages anonymous readers may see, and
    where, changes across the tree (rare: a full purge, in the CDN too; site-wide memory
    goes with it)."""
    page_cache_purge(tags={"all"}, cdn_everywhere=True)


def comment_approved(sender, comment=None, article_id=None, **kwargs):
    """The story's page shows its comment count."""
    page_cache_purge(tags={f"comments:{article_id}"})


def comment_thread_changed(sender, article_id=None, urls=(), **kwargs):
    """Exactly what shows the comments: the thread fragment(s) and the story's count."""
    page_cache_purge(tags={f"comments:{article_id}", *(f"path:{url}" for url in urls)})


def settings_changed(setting, **kwargs):
    if setting.startswith(("MASTHEAD_PAGE_CACHE", "MASTHEAD_FRONT")) or setting in (
        "CACHES",
        "VAR_DIR",
        "WAGTAILFRONTENDCACHE",
    ):
        from masthead.delivery.cache import reset_page_cache
        from masthead.delivery.memo import forget

        reset_page_cache()
        forget()
