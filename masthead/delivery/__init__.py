"""Delivery: the anonymous page cache, purges on publish, and per-reader state endpoints.

Views add what they show to the cached copy with `tag_response(response, *tags)`, and
may put `content_generation()` in validators of their own. Parts of a page that outlive
its cache entry are kept with `kept_fragment` / `keep_fragment`, and may be read with the
page itself through `with_kept_fragment` (masthead.delivery.fragments).
"""


def tag_response(response, *tags):
    from masthead.delivery.cache import tag_response as _tag_response

    return _tag_response(response, *tags)


def tag_context(context, *tags):
    from masthead.delivery.cache import tag_context as _tag_context

    return _tag_context(context, *tags)


def content_generation():
    """A token that changes with every purge (publish, unpublish, move, an author, an
    image, a topic, a setting, …), whether or not the page cache is on: what a view's own
    ETag needs to follow changes it cannot cheaply see in its data. Read anew on each call
    (one cache read, no query): read it before the data the response shows. While the
    shared store is down, a token of its own each call: no change can be followed then, so
    no earlier ETag may match."""
    import uuid

    from masthead.delivery.cache import page_cache

    return page_cache().generation_or_none() or f"unknown-{uuid.uuid4().hex}"


def kept_fragment(name, version, *, loaded_with=None):
    from masthead.delivery.fragments import kept_fragment as _kept

    return _kept(name, version, loaded_with=loaded_with)


def with_kept_fragment(queryset, prefix):
    from masthead.delivery.fragments import with_kept_fragment as _with

    return _with(queryset, prefix)


def keep_fragment(name, version, parts, *, tags):
    from masthead.delivery.fragments import keep_fragment as _keep

    return _keep(name, version, parts, tags=tags)
