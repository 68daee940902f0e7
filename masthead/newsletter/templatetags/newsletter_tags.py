from django import template

from masthead.newsletter.forms import SignupForm
from masthead.newsletter.subscriptions import CURRENT_CONSENT, consent_wording

register = template.Library()


@register.inclusion_tag("newsletter/_signup_form.html")
def newsletter_signup_form(source="", prefix="nl", with_name=False):
    """An empty signup form: no per-reader content, so the page around it stays cacheable."""
    return {
        "form": SignupForm(),
        "source": source or "",
        "prefix": prefix,
        "with_name": with_name,
        "consent_wording": consent_wording(),
        "consent_version": CURRENT_CONSENT,
    }


@register.inclusion_tag("newsletter/_preferences_form.html", takes_context=True)
def newsletter_preferences_form(context, member):
    """The member's newsletter choices, posting to the signed-in preferences page."""
    from django.urls import reverse

    from masthead.newsletter.views import preferences_form_for

    return {
        "form": preferences_form_for(member),
        "member": member,
        "consent_wording": consent_wording(),
        "action": reverse("newsletter:mine"),
        "csrf_token": context.get("csrf_token"),
    }
