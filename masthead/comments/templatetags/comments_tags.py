from django import template

from masthead.comments import selectors

register = template.Library()


@register.simple_tag
def comment_count(article):
    """The article's visible comment count: from the thread fetched with the article
    (ArticlePage.serving_queryset), else one query."""
    return selectors.comment_count(article_id=article.pk, article=article)
