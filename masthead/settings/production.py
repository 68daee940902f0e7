"""Production: fails loudly when a required variable is missing, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "MASTHEAD_BASE_URL"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(f"Set the {_name} environment variable for production.")

if env.str("MEDIA_S3_BUCKET", default=""):
    try:
        import storages  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET is set: install django-storages[s3] for object storage."
        ) from exc

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# SAMEORIGIN, not DENY: the Wagtail editor shows its live preview in a same-origin frame.
# Other sites still cannot frame us (this header and CSP frame-ancestors 'self').
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
