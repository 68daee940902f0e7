"""Delivery: the anonymous page cache, purges on publish, and per-reader state endpoints.

Views add what they show to the cached copy with `tag_response(response, *tags)`.
"""


def tag_response(response, *tags):
    from masthead.delivery.cache import tag_response as _tag_response

    return _tag_response(response, *tags)
