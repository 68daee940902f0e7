from django import template
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from masthead.core.structured_data import absolute_url, breadcrumb_list, ld_json_script

register = template.Library()

SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


@register.simple_tag
def link(viewname, *args):
    """{% url %} for the routes a story's page links on every render (topics, comments,
    newsletters), reversed once per process (masthead.core.reversing)."""
    from masthead.core.reversing import cached_reverse

    return cached_reverse(viewname, args=args)


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
    return absolute_url(social_image(image).url)


def social_image(image, spec=SOCIAL_IMAGE_SPEC):
    """The share image's rendition (prefetched renditions are used when present).

    Wagtail's get_renditions, not get_rendition: the latter writes the rendition back to
    the renditions cache on every call even when it came prefetched (a round trip to
    Redis per share image on every page render)."""
    (rendition,) = image.get_renditions(*_filters(spec)).values()
    return rendition


@register.simple_tag
def ld_json(data):
    return ld_json_script(data)


# -- pictures ----------------------------------------------------------------------------

_FILTERS = {}


def _filters(spec):
    """Wagtail Filter objects for a spec, parsed once per process: parsing one runs
    `inspect` over every operation, and a page shows a dozen pictures of the same specs."""
    filters = _FILTERS.get(spec)
    if filters is None:
        filters = [Filter(spec=s) for s in Filter.expand_spec(spec)]
        _FILTERS[spec] = filters
    return filters


_MAX_PICTURES = 5000


def _picture_key(image, spec, attrs):
    """Everything Wagtail's picture markup is made of: the image's file, focal point and
    alt text (an ImageBlock's own alt text or "decorative" included), the spec and the
    attributes. Renditions are fixed for a file, spec and focal point."""
    return (
        image.pk,
        image.file.name,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        getattr(image, "decorative", None),
        getattr(image, "contextual_alt_text", None),
        image.default_alt_text,
        spec,
        tuple(sorted((k, str(v)) for k, v in attrs.items())),
    )


@register.simple_tag
def picture(image, spec, **attrs):
    """Wagtail's {% picture image spec ... %} (sources per format, srcset per width), with
    the filters parsed once per process. Renditions come prefetched where the page's
    selector fetched them (news.selectors.prefetch_renditions).

    The markup is kept per image (file, focal point, alt text), spec and attributes until
    the next purge (masthead.delivery.memo): finding the renditions and building the
    <picture> cost more than the rest of a story's template."""
    if not image:
        return ""
    from masthead.delivery.memo import remember

    key = _picture_key(image, spec, attrs)
    table = remember("core:pictures", dict)
    html = table.get(key)
    if html is None:
        if len(table) >= _MAX_PICTURES:
            table.clear()
        renditions = get_renditions_or_not_found(image, _filters(spec))
        html = Picture(renditions, attrs).__html__()
        # A stand-in for a rendition that could not be made (source file unreadable) is
        # not kept: the next render tries again.
        if all(r.pk is not None for r in renditions.values()):
            table[key] = html
    return mark_safe(html)  # noqa: S308


# -- site-wide fragments -----------------------------------------------------------------


class RememberedNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        from masthead.delivery.memo import remember

        request = context.get("request")
        host = request.get_host() if request is not None else ""
        return remember(f"core:fragment:{self.name}:{host}", lambda: self.nodelist.render(context))


@register.tag
def remembered(parser, token):
    """{% remembered "name" %}…{% endremembered %}: the enclosed markup rendered once per
    page-cache generation per host in this process, then reused by every page.

    Only for markup that is the same on every page of a site until the next purge
    (navigation, asset links): nothing from the page, the reader or the request but the
    host, no CSRF token, no date."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% remembered "name" %}')
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(bits[1][1:-1], nodelist)
