"""Events the comments app announces. Receivers are connected in their AppConfig.ready().

comment_was_posted(sender, comment, request)
    A member's comment was stored (visible or waiting for review). Sent after commit.

comment_was_approved(sender, comment, article_id)
    A comment became visible to readers: posted under post-moderation, or approved by a
    moderator. Sent after commit.

comment_thread_changed(sender, article_id, urls)
    What readers see of an article's comments changed: a comment appeared, was edited,
    deleted, hidden, rejected or picked, or the thread was closed or reopened. `urls` are
    the cacheable paths that show comments (the thread fragment); the article page itself
    does not need purging. This is the page cache's hook: purge exactly `urls`.
    Sent after commit, once per change (a bulk action sends once per article).
"""

from django.dispatch import Signal

comment_was_posted = Signal()
comment_was_approved = Signal()
comment_thread_changed = Signal()
