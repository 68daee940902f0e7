"""Per-reader parts of otherwise shared, cacheable pages.

Reader pages are the same bytes for every anonymous reader, so they carry no CSRF token and
no signed-in state. Forms on them hold an empty `csrfmiddlewaretoken` field that
`static/masthead/reader.js` fills from `reader_state`; without JavaScript, the CSRF failure
view asks the reader to confirm the submission on an uncached page that carries a token.
"""

from urllib.parse import urlsplit

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from masthead.members.selectors import member_from_request


@never_cache
def reader_state(request):
    member = member_from_request(request)
    return JsonResponse(
        {
            "csrfToken": get_token(request),
            "member": {"name": str(member)} if member else None,
        }
    )


def _same_site(request):
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    return urlsplit(source).netloc == request.get_host()


@never_cache
def csrf_failure(request, reason=""):
    """A readable refusal; for a reader form on our own site, a one-click confirmation."""
    resubmit = request.method == "POST" and _same_site(request)
    fields = []
    if resubmit:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
        get_token(request)
    return render(
        request,
        "delivery/csrf_failure.html",
        {"resubmit": resubmit, "fields": fields, "action": request.get_full_path()},
        status=403,
    )


# Renditions are named by their source file, focal point and filter: a changed image gets a
# new name, so a rendition URL never changes content and may be cached for a year.
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_CACHE_CONTROL = "public, max-age=3600"


def serve_media(request, path, document_root=None):
    """Local media (when no object storage is configured) with cache lifetimes.

    MEDIA_ROOT is read per request, not when the URLconf was built."""
    from django.conf import settings
    from django.views.static import serve

    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        immutable = path.startswith("images/")
        response["Cache-Control"] = RENDITION_CACHE_CONTROL if immutable else MEDIA_CACHE_CONTROL
    return response
