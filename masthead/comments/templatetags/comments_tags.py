from django import template

from masthead.comments import selectors

register = template.Library()


@register.simple_tag
def comment_count(article):
    """The article's visible comment count (one query; listings use story.comment_thread)."""
    return selectors.comment_count(article_id=article.pk)
