"""schema.org NewsArticle for an article page."""

from masthead.core.structured_data import absolute_url, publisher


def news_article(*, article, authors, topics, image_urls):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute_url(article.url)},
        "headline": article.get_seo_title()[:110],
        "description": article.get_meta_description(),
        "datePublished": article.first_published_at,
        "dateModified": article.last_published_at or article.first_published_at,
        "author": [
            {"@type": "Person", "name": a.name, "url": absolute_url(a.url), "jobTitle": a.role}
            for a in authors
        ],
        "publisher": publisher(),
        "articleSection": article.section.title if article.section else "",
        "keywords": [t.name for t in topics],
        "isAccessibleForFree": True,
    }
    if image_urls:
        data["image"] = [absolute_url(u) for u in image_urls]
    if article.source_attribution:
        data["creditText"] = article.source_attribution
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    return data
