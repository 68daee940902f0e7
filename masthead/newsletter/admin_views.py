"""Wagtail admin views for editions beyond create/edit: preview, send, figures, alerts.

Every action is a POST with Wagtail's CSRF protection; the figures page refreshes itself
while an edition is sending (a meta refresh, so it works without JavaScript).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets import AdminDateTimeInput

from masthead.newsletter import selectors, services
from masthead.newsletter.models import Edition, NewsletterList
from masthead.newsletter.renderer import edition_render

EDITION_URL_NAMESPACE = "newsletter_editions"


def _require(user, action):
    from masthead.newsletter.wagtail_hooks import edition_viewset

    if not edition_viewset.permission_policy.user_has_permission(user, action):
        raise PermissionDenied


def _send_url(edition):
    return reverse(f"{EDITION_URL_NAMESPACE}:send", args=[edition.pk])


def edition_preview(request, pk):
    """The edition as a reader's mail client would show it (links in the footer inert)."""
    _require(request.user, "change")
    edition = get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)
    rendered = edition_render(edition=edition)
    body = rendered.html.replace("{{masthead:unsubscribe}}", "#").replace(
        "{{masthead:preferences}}", "#"
    )
    response = HttpResponse(body)
    # The preview shows remote images but must not run anything.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src * data:; style-src 'unsafe-inline'"
    )
    return response


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(label="Send at", widget=AdminDateTimeInput)


@require_http_methods(["GET", "POST"])
def edition_send(request, pk):
    """Figures and progress, and the buttons: send a test to me, send now, schedule."""
    _require(request.user, "change")
    edition = get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)
    schedule_form = ScheduleForm(initial={"when": edition.scheduled_for})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "test":
                if not request.user.email:
                    raise services.EditionError("Add an email address to your account first.")
                services.edition_send_test(edition_id=edition.pk, email=request.user.email)
                messages.success(request, f"A test was sent to {request.user.email}.")
            elif action == "send":
                count = services.edition_queue(edition_id=edition.pk)
                messages.success(request, f"Sending to {count} subscribers.")
            elif action == "schedule":
                schedule_form = ScheduleForm(request.POST)
                if schedule_form.is_valid():
                    services.edition_schedule(
                        edition_id=edition.pk, when=schedule_form.cleaned_data["when"]
                    )
                    messages.success(request, "The edition is scheduled.")
                else:
                    messages.error(request, "Give a valid date and time.")
                    return _send_page(request, edition, schedule_form, status=400)
            elif action == "unschedule":
                services.edition_unschedule(edition_id=edition.pk)
                messages.success(request, "The edition is back to draft.")
            else:
                messages.error(request, "Unknown action.")
                return _send_page(request, edition, schedule_form, status=400)
        except services.EditionError as exc:
            messages.error(request, str(exc))
            return _send_page(request, edition, schedule_form, status=400)
        return redirect(_send_url(edition))
    return _send_page(request, edition, schedule_form)


def _send_page(request, edition, schedule_form, status=200):
    edition.refresh_from_db()
    return TemplateResponse(
        request,
        "newsletter/admin/edition_send.html",
        {
            "edition": edition,
            "figures": selectors.edition_figures(edition=edition),
            "recipients": selectors.edition_recipient_count(edition=edition),
            "stories": selectors.edition_articles(edition=edition),
            "schedule_form": schedule_form,
            "in_progress": edition.status in (Edition.Status.QUEUED, Edition.Status.SENDING),
            "editable": edition.status in (Edition.Status.DRAFT, Edition.Status.SCHEDULED),
            "edit_url": reverse(f"{EDITION_URL_NAMESPACE}:edit", args=[edition.pk]),
            "preview_url": reverse(f"{EDITION_URL_NAMESPACE}:preview", args=[edition.pk]),
            "now": timezone.now(),
        },
        status=status,
    )


class AlertForm(forms.Form):
    newsletter = forms.ModelChoiceField(
        label="Send to list", queryset=NewsletterList.objects.all(), empty_label=None
    )
    subject = forms.CharField(label="Subject", max_length=200)

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if any(ch in subject for ch in "\r\n\x00"):
            raise forms.ValidationError("The subject must be a single line.")
        return subject


@require_http_methods(["GET", "POST"])
def article_alert(request, page_id):
    """Send a published story as a breaking-news alert to a list, after one confirmation."""
    _require(request.user, "add")
    article = selectors.article_for_alert(page_id=page_id)
    if article is None:
        raise Http404("Only a published story can be sent as an alert.")
    alert_lists = NewsletterList.objects.filter(kind=NewsletterList.Kind.ALERTS)
    initial = {"subject": article.title, "newsletter": alert_lists.first()}
    form = AlertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.alert_create(
                article=article,
                newsletter=form.cleaned_data["newsletter"],
                subject=form.cleaned_data["subject"],
                user=request.user,
            )
        except services.EditionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Alert “{edition.subject}” is being sent.")
            return redirect(_send_url(edition))
    return TemplateResponse(
        request,
        "newsletter/admin/article_alert.html",
        {"article": article, "form": form},
        status=400 if request.method == "POST" else 200,
    )
