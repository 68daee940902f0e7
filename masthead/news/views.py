from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from taggit.models import Tag

from masthead.news.models import Author, paginate
from masthead.news.selectors import author_articles, topic_articles


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page = paginate(request, author_articles(author=author))
    if not page.object_list:
        # An author with drafts only, or none yet, has no page readers can see (as a topic).
        return render(request, "404.html", status=404)
    # A TemplateResponse: the page cache tags the copy with each story listed.
    return TemplateResponse(
        request,
        "news/author_page.html",
        {"author": author, "page_obj": page, "stories": page.object_list},
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Tag, slug=slug)
    page = paginate(request, topic_articles(slug=topic.slug))
    if not page.object_list:
        # A tag used only by drafts or images is not a topic readers can see.
        return render(request, "404.html", status=404)
    return TemplateResponse(
        request,
        "news/topic_page.html",
        {"topic": topic, "page_obj": page, "stories": page.object_list},
    )
