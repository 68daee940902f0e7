"""Fixed-window attempt counters in the shared cache, for forms that send mail."""

from django.core.cache import cache

WINDOW = 3600  # seconds


def attempt_allowed(key, limit, window=WINDOW):
    """Count one attempt against `key`; False once more than `limit` fall in the window."""
    key = f"throttle:{key}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window)
        count = 1
    # None: the shared cache is down (its errors are ignored; masthead.core.redis logs it).
    # Readers are let through rather than refused: the limit is a brake, not a lock.
    return count is None or count <= limit
