from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.delivery import routing as delivery_routing

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("masthead.news.urls")),
    path("", include("masthead.discovery.urls")),
    path("", include("masthead.delivery.urls")),
    path("account/", include("masthead.members.urls")),
    path("newsletter/", include("masthead.newsletter.urls")),
    path("comments/", include("masthead.comments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from masthead.delivery.views import serve_media

    # Media from local disk when no object storage is configured; production fronts this
    # with the CDN or serves MEDIA_ROOT from the proxy (docs/production.md).
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [
    # Wagtail's page serving with site and route lookups remembered (masthead.delivery).
    re_path(r"^((?:[\w\-]+/)*)$", delivery_routing.serve, name="masthead_serve"),
    path("", include(wagtail_urls)),
]

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
