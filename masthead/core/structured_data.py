"""schema.org structured data shared by every page type."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.safestring import mark_safe

# Characters that could close the <script> element or open a comment inside JSON-LD.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(path_or_url):
    if not path_or_url or "://" in path_or_url:
        return path_or_url
    return settings.MASTHEAD_BASE_URL + path_or_url


def ld_json_script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def publisher():
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.MASTHEAD_PUBLICATION_NAME,
        "url": settings.MASTHEAD_BASE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static("masthead/logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def breadcrumb_list(trail):
    """trail: (name, absolute url) pairs from the front page down to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }
