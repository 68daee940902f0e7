"""Delivery: the anonymous page cache, purges on publish, and per-reader state endpoints.

Views add what they show to the cached copy with `tag_response(response, *tags)`, and
may put `content_generation()` in validators of their own.
"""


def tag_response(response, *tags):
    from masthead.delivery.cache import tag_response as _tag_response

    return _tag_response(response, *tags)


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
