from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send the site's Content Security Policy on reader pages.

    The Wagtail and Django admins are left alone: they rely on inline scripts of their own.
    """

    EXEMPT_PREFIXES = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.MASTHEAD_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and not request.path.startswith(self.EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
