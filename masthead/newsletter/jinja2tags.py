"""What the templates call for newsletters: the signup and preferences forms."""

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from jinja2 import pass_context
from jinja2.ext import Extension

from masthead.newsletter.forms import SignupForm
from masthead.newsletter.subscriptions import CURRENT_CONSENT, consent_wording

_SOURCE_MARK = "masthead-signup-source-9f3c"


def _empty_signup_form(prefix, with_name):
    return render_to_string(
        "newsletter/_signup_form.html",
        {
            "form": SignupForm(),
            "source": _SOURCE_MARK,
            "prefix": prefix,
            "with_name": with_name,
            "consent_wording": consent_wording(),
            "consent_version": CURRENT_CONSENT,
        },
    )


def newsletter_signup_form(source="", prefix="nl", with_name=False):
    """An empty signup form: no per-reader content, so the page around it stays cacheable.

    The same on every page but for its source, so it is rendered once per page-cache
    site generation in each process (a change to any newsletter list purges everything).
    """
    from masthead.delivery.memo import remember

    html = remember(
        f"newsletter:signup-form:{prefix}:{bool(with_name)}",
        lambda: _empty_signup_form(prefix, with_name),
        site=True,
    )
    return mark_safe(html.replace(_SOURCE_MARK, conditional_escape(source or "")))  # noqa: S308


@pass_context
def newsletter_preferences_form(context, member):
    """The member's newsletter choices, posting to the signed-in preferences page."""
    from django.urls import reverse

    from masthead.newsletter.views import preferences_form_for

    values = {
        "form": preferences_form_for(member),
        "member": member,
        "consent_wording": consent_wording(),
        "action": reverse("newsletter:mine"),
    }
    html = render_to_string("newsletter/_preferences_form.html", values, context.get("request"))
    return mark_safe(html)  # noqa: S308 (an autoescaped template's output)


class NewsletterExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            newsletter_signup_form=newsletter_signup_form,
            newsletter_preferences_form=newsletter_preferences_form,
        )
