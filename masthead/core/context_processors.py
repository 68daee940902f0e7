from django.conf import settings


def publication(request):
    """Name and base URL of the outlet, for templates that build share metadata."""
    return {
        "publication_name": settings.MASTHEAD_PUBLICATION_NAME,
        "base_url": settings.MASTHEAD_BASE_URL,
        "site_language": settings.MASTHEAD_LANGUAGE,
    }
