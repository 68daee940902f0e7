"""The reader templates' engine: Jinja2, with what Masthead's templates call.

Reader pages (everything under a `jinja2/` folder) are Jinja2 templates: Jinja2 compiles a
template to Python once, where Django's engine walks its nodes on every render, and a
cache miss renders a story's whole page. The admin, the emails and the feed items' HTML
stay on Django's engine (`templates/` folders). Each app adds its own functions
as an extension (`<app>/jinja2tags.py`), listed in settings.TEMPLATES.
"""

from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.ext import Extension
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from masthead.core.structured_data import absolute_url, breadcrumb_list, ld_json_script

SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def environment(**options):
    """Escaping always on, whatever the settings say. Like Django's templates, a missing
    attribute anywhere in a chain (`page.section.title` with no section) prints nothing
    rather than failing the page."""
    options.update(undefined=ChainableUndefined)
    options.pop("autoescape", None)
    return Environment(autoescape=True, **options)


def url(viewname, *args, **kwargs):
    """Django's {% url %}, each route and arguments reversed once per process
    (masthead.core.reversing): a story's page links the same routes on every render."""
    from masthead.core.reversing import cached_reverse

    return cached_reverse(viewname, args=args, kwargs=kwargs)


def querystring(request, **changes):
    """Django's {% querystring %}: the request's query with these parameters set (None
    removes one)."""
    from django.template.defaulttags import querystring as django_querystring

    return django_querystring(None, request.GET, **changes)


def breadcrumb_jsonld(context, page):
    request = context.get("request")
    trail = [(p.title, absolute_url(p.get_url(request))) for p in page.breadcrumbs()]
    trail.append((page.title, absolute_url(page.get_url(request))))
    return ld_json_script(breadcrumb_list(trail))


def social_image_url(image):
    """URL of the 1200×630 share image, or the outlet's default card."""
    if image is None:
        return absolute_url(static("masthead/social-default.png"))
    return absolute_url(social_image(image).url)


def social_image(image):
    """The share image's rendition (prefetched renditions are used when present).

    Wagtail's get_renditions, not get_rendition: the latter writes the rendition back to
    the renditions cache on every call even when it came prefetched (a round trip to
    Redis per share image on every page render)."""
    (rendition,) = image.get_renditions(*_filters(SOCIAL_IMAGE_SPEC)).values()
    return rendition


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


def picture(image, spec, **attrs):
    """Wagtail's picture (sources per format, srcset per width), with the filters parsed
    once per process. Renditions come prefetched where the page's selector fetched them
    (news.selectors.article_page_data).

    The markup is kept per image (file, focal point, alt text), spec and attributes until
    the site's structure changes (masthead.delivery.memo; an edit to the image changes the
    key): finding the renditions and building the <picture> cost more than the rest of a
    story's template."""
    if not image:
        return ""
    from masthead.delivery.memo import remember

    key = _picture_key(image, spec, attrs)
    table = remember("core:pictures", dict, site=True)
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


def remembered(context, name, caller):
    """{% call remembered("name") %}…{% endcall %}: the enclosed markup rendered once per
    site generation per host in this process, then reused by every page.

    Only for markup that is the same on every page of a site until the site's structure
    changes (a purge of everything: masthead.delivery.memo), such as the navigation and
    asset links: nothing from the page, a story, the reader or the request but the host,
    no CSRF token, no date."""
    from masthead.delivery.memo import remember

    request = context.get("request")
    host = request.get_host() if request is not None else ""
    return remember(f"core:fragment:{name}:{host}", caller, site=True)


# -- Django's filters the templates use, with Django's behaviour -------------------------


def date(value, arg=None):
    """Django's `date` filter, in the current time zone as Django's templates show dates."""
    return defaultfilters.date(template_localtime(value), arg)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


class MastheadExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            static=static,
            url=url,
            querystring=querystring,
            now=timezone.now,
            picture=picture,
            social_image_url=social_image_url,
            breadcrumb_jsonld=pass_context(breadcrumb_jsonld),
            remembered=pass_context(remembered),
        )
        environment.filters.update(
            absolute=absolute_url,
            date=date,
            linebreaksbr=linebreaksbr,
            pluralize=defaultfilters.pluralize,
            yesno=defaultfilters.yesno,
            truncatechars=defaultfilters.truncatechars,
            truncatewords=defaultfilters.truncatewords,
            default_if_none=defaultfilters.default_if_none,
            urlencode=defaultfilters.urlencode,
        )
