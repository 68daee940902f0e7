from django import template
from django.templatetags.static import static

from masthead.core.structured_data import absolute_url, breadcrumb_list, ld_json_script

register = template.Library()

SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


@register.filter
def absolute(url):
    """Turn a site path into the full URL readers and crawlers see."""
    return absolute_url(url)


@register.simple_tag(takes_context=True)
def breadcrumb_jsonld(context, page):
    request = context.get("request")
    trail = [(p.title, absolute_url(p.get_url(request))) for p in page.breadcrumbs()]
    trail.append((page.title, absolute_url(page.get_url(request))))
    return ld_json_script(breadcrumb_list(trail))


@register.simple_tag
def social_image_url(image):
    """URL of the 1200×630 share image, or the outlet's default card."""
    if image is None:
        return absolute_url(static("masthead/social-default.png"))
    return absolute_url(image.get_rendition(SOCIAL_IMAGE_SPEC).url)


@register.simple_tag
def ld_json(data):
    return ld_json_script(data)
