"""What the templates call for comments."""

from jinja2.ext import Extension

from masthead.comments import selectors


def comment_count(article):
    """The article's visible comment count: from the thread fetched with the article
    (ArticlePage.serving_queryset), else one query."""
    return selectors.comment_count(article_id=article.pk, article=article)


class CommentsExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["comment_count"] = comment_count
