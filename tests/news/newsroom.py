"""Helpers for driving the Wagtail admin as newsroom staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

_count = iter(range(1, 10_000))


def staff(group_name):
    """A user in one of the newsroom groups that the install creates."""
    n = next(_count)
    user = get_user_model().objects.create_user(
        username=f"{group_name.lower()}-{n}", email=f"{group_name.lower()}{n}@example.org"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def article_form(*, author, lead_image=None, action=None, **fields):
    """POST data for the article editor, as the admin's own form would send it."""
    data = {
        "title": "Council backs riverside homes plan",
        "slug": "council-backs-riverside-homes",
        "dek": "Councillors voted 9 to 4 for the plan after a three-hour debate.",
        "kicker": "",
        "lead_image": lead_image.pk if lead_image else "",
        "lead_image_caption": "",
        "dateline": "NORTHGATE",
        "body": streamfield(
            [("paragraph", rich_text("<p>The vote came late on Tuesday evening.</p>"))]
        ),
        "source_attribution": "",
        "source_url": "",
        "topics": "Housing",
        "bylines": inline_formset([{"author": author.pk}], min=1),
        "corrections": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "social_title": "",
        "search_description": "",
        "comments_enabled": "on",
        "newsletter_promo": "on",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    form = nested_form_data(data)
    if action == "publish":
        form["action-publish"] = "action-publish"
    elif action == "submit":
        form["action-submit"] = "Submit to Editors approve"
    elif action == "approve":
        form["action-workflow-action"] = "true"
        form["workflow-action-name"] = "approve"
    return form


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))
