"""The abstract page every reader-facing page derives from: search and share metadata."""

from wagtail.models import Page


class MastheadPage(Page):
    """Holds the SEO/social fallbacks so every template's <head> is built the same way."""

    class Meta:
        abstract = True

    def get_seo_title(self):
        return self.seo_title or self.title

    def get_social_title(self):
        return self.get_seo_title()

    def get_meta_description(self):
        return self.search_description

    def get_social_image(self):
        return None

    def breadcrumbs(self):
        """Ancestors from the front page down, excluding the tree root."""
        return self.get_ancestors().filter(depth__gt=1)
