"""The abstract page every reader-facing page derives from: search and share metadata."""

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.urls import NoReverseMatch
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


def restricted_sections():
    """(path, depth) of every page with a view restriction, remembered until the site's
    structure changes (saving or deleting a restriction purges everything: masthead.delivery)."""
    from masthead.delivery.memo import remember

    return remember(
        "core:view-restrictions",
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
        site=True,
    )


class MastheadPageQuerySet(PageQuerySet):
    def private_q(self):
        """Wagtail's private_q (pages under a view restriction) without a query per call."""
        q = Q()
        for path, depth in restricted_sections():
            q |= Q(path__startswith=path, depth__gte=depth)
        return q if q else Q(pk__in=[])


MastheadPageManager = PageManager.from_queryset(MastheadPageQuerySet)


class MastheadPage(Page):
    """Holds the SEO/social fallbacks so every template's <head> is built the same way."""

    objects = MastheadPageManager()

    class Meta:
        abstract = True

    # Page URLs: a story's page builds about twenty (itself, its breadcrumbs, its cards),
    # and Wagtail reads the site root paths from the cache for every page instance and
    # runs Django's reverse for every URL: together about a quarter of a miss.

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        target = cache_object or kwargs.get("request") or self
        try:
            return target._wagtail_cached_site_root_paths
        except AttributeError:
            from masthead.delivery.routing import site_root_paths

            target._wagtail_cached_site_root_paths = site_root_paths()
            return target._wagtail_cached_site_root_paths

    def get_url_parts(self, request=None):
        """Wagtail's, with the reverse of the page path kept per process
        (masthead.core.reversing) for a page of one site; anything else is Wagtail's."""
        sites = self._get_relevant_site_root_paths(request)
        if (
            not sites
            or settings.WAGTAIL_I18N_ENABLED
            or (isinstance(request, HttpRequest) and len({s[0] for s in sites}) > 1)
        ):
            return super().get_url_parts(request)
        from masthead.core.reversing import serve_path

        site_id, root_path, root_url, _ = sites[0]
        try:
            return (site_id, root_url, serve_path(self.url_path[len(root_path) :]))
        except NoReverseMatch:
            return (site_id, None, None)

    def get_seo_title(self):
        return self.seo_title or self.title

    def get_social_title(self):
        return self.get_seo_title()

    def get_meta_description(self):
        return self.search_description

    def get_social_image(self):
        return None

    def breadcrumbs(self):
        """Ancestors from the front page down, excluding the tree root (no query once the
        site's sections are known: masthead.delivery.routing.page_ancestors)."""
        from masthead.delivery.routing import page_ancestors

        return [p for p in page_ancestors(self) if p.depth > 1]

    def get_view_restrictions(self):
        """Wagtail checks these on every page served: skip its two queries when no view
        restriction covers this page (or the site has none at all)."""
        restricted = restricted_sections()
        if restricted and (self.alias_of_id or self.is_private()):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def is_private(self):
        """Whether a view restriction covers this page: private_q for one page, no query."""
        return any(self.path.startswith(path) for path, _ in restricted_sections())
