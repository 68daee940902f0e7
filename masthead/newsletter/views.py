"""Reader pages of the newsletter: the list of newsletters, signup, confirm, preferences,
unsubscribe.

Pages behind a signed link are per-reader and never cached. The newsletter page itself is
shared and cacheable: its form carries no token (see masthead.delivery.views).
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.core.client import client_address
from masthead.members.models import Member
from masthead.members.selectors import member_from_request
from masthead.members.throttle import attempt_allowed
from masthead.newsletter import tokens
from masthead.newsletter.confirmation import queue_confirmation_email
from masthead.newsletter.forms import PreferencesForm, SignupForm
from masthead.newsletter.models import Subscription
from masthead.newsletter.subscriptions import (
    CURRENT_CONSENT,
    consent_wording,
    newsletter_lists_public,
    subscription_unsubscribe,
    subscriptions_confirm,
    subscriptions_of_member,
    subscriptions_request,
    subscriptions_set,
)


def _link_problem(request, error, *, status=400):
    expired = isinstance(error, tokens.TokenExpired)
    return render(
        request,
        "newsletter/link_problem.html",
        {"expired": expired},
        status=410 if expired else status,
    )


def newsletter_index(request):
    """Every public newsletter with one signup form. Same bytes for every reader."""
    return render(request, "newsletter/index.html", _signup_context(SignupForm()))


def _signup_context(form, *, source=""):
    return {
        "form": form,
        "newsletters": newsletter_lists_public(),
        "consent_wording": consent_wording(),
        "consent_version": CURRENT_CONSENT,
        "source": source,
    }


@never_cache
@require_POST
def subscribe(request):
    form = SignupForm(request.POST, request=request)
    if form.is_bot():
        return redirect("newsletter:check_inbox")
    ip = client_address(request)
    if not attempt_allowed(f"signup:ip:{ip}", getattr(settings, "MASTHEAD_SIGNUP_PER_IP", 20)):
        return render(request, "newsletter/too_many.html", status=429)
    if not form.is_valid():
        context = _signup_context(form, source=request.POST.get("source", "")[:500])
        context["fresh_csrf"] = True
        return render(request, "newsletter/index.html", context, status=400)
    email = form.cleaned_data["email"]
    # Past the per-address limit the answer stays the same, so the form cannot be used to
    # learn anything, and nobody's inbox can be flooded with confirmation mail.
    if attempt_allowed(
        f"signup:addr:{email.lower()}", getattr(settings, "MASTHEAD_SIGNUP_PER_ADDRESS", 3)
    ):
        member, pending = subscriptions_request(
            email=email,
            newsletters=form.cleaned_data["lists"],
            source=form.cleaned_data["source"] or reverse("newsletter:index"),
            consent=form.cleaned_data["consent"],
            name=form.cleaned_data["name"],
        )
        if pending:
            queue_confirmation_email(member=member, newsletters=pending)
    return redirect("newsletter:check_inbox")


def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


@never_cache
def confirm(request, token):
    try:
        payload = tokens.read_token(tokens.CONFIRM, token)
    except tokens.TokenInvalid as error:
        return _link_problem(request, error)
    member = Member.objects.filter(pk=payload.get("m"), is_active=True).first()
    if member is None:
        return _link_problem(request, tokens.TokenInvalid("no such member"), status=404)
    activated = subscriptions_confirm(
        member=member, newsletter_ids=payload.get("l", []), source="confirmation link"
    )
    subscriptions = [
        s
        for s in subscriptions_of_member(member=member)
        if s.newsletter_id in payload.get("l", []) and s.status == Subscription.Status.ACTIVE
    ]
    return render(
        request,
        "newsletter/confirmed.html",
        {
            "activated": activated,
            "subscriptions": subscriptions,
            "preferences_url": tokens.preferences_url(member),
        },
    )


def _subscription_from_token(token):
    payload = tokens.read_token(tokens.UNSUBSCRIBE, token)
    sub = (
        Subscription.objects.select_related("member", "newsletter")
        .filter(pk=payload.get("s"))
        .first()
    )
    if sub is None:
        raise tokens.TokenInvalid("no such subscription")
    return sub


# The token in the URL is a per-recipient secret: it authenticates the request the way a
# CSRF token would, and mail clients and privacy-minded browsers often send no cookies.
@never_cache
@csrf_exempt
def unsubscribe(request, token):
    try:
        sub = _subscription_from_token(token)
    except tokens.TokenInvalid as error:
        return _link_problem(request, error)
    done = False
    if request.method == "POST":
        subscription_unsubscribe(subscription=sub, source="unsubscribe link")
        done = True
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscription": sub,
            "done": done,
            "active": sub.status in (Subscription.Status.ACTIVE, Subscription.Status.PENDING),
            "preferences_url": tokens.preferences_url(sub.member),
        },
    )


@never_cache
@csrf_exempt
def unsubscribe_one_click(request, token):
    """RFC 8058: a mailbox provider POSTs `List-Unsubscribe=One-Click`; no page, no questions."""
    if request.method != "POST":
        return redirect("newsletter:unsubscribe", token=token)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponseBadRequest(
            "Expected List-Unsubscribe=One-Click in the request body.", content_type="text/plain"
        )
    try:
        sub = _subscription_from_token(token)
    except tokens.TokenExpired:
        return HttpResponse(
            "This unsubscribe link has expired.", status=410, content_type="text/plain"
        )
    except tokens.TokenInvalid:
        return HttpResponseBadRequest(
            "This unsubscribe link is not valid.", content_type="text/plain"
        )
    subscription_unsubscribe(subscription=sub, source="one-click unsubscribe (RFC 8058)")
    return HttpResponse("Unsubscribed.", content_type="text/plain")


@never_cache
def preferences(request, token):
    try:
        payload = tokens.read_token(tokens.PREFERENCES, token)
    except tokens.TokenInvalid as error:
        return _link_problem(request, error)
    member = Member.objects.filter(pk=payload.get("m"), is_active=True).first()
    if member is None:
        return _link_problem(request, tokens.TokenInvalid("no such member"), status=404)
    return preferences_page(request, member=member, source="preferences link")


def preferences_form_for(member, data=None):
    if data is not None:
        return PreferencesForm(data, member=member)
    live = [
        s.newsletter
        for s in subscriptions_of_member(member=member)
        if s.status == Subscription.Status.ACTIVE
    ]
    return PreferencesForm(initial={"lists": live}, member=member)


@never_cache
def my_newsletters(request):
    """The signed-in member's newsletter choices (also embedded in the account page)."""
    member = member_from_request(request)
    if member is None:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('members:sign_in')}?{query}")
    return preferences_page(request, member=member, source="account page")


def preferences_page(request, *, member, source):
    """The newsletter choices form, for a signed link or a signed-in member."""
    saved = False
    if request.method == "POST":
        form = preferences_form_for(member, request.POST)
        if form.is_valid():
            subscriptions_set(member=member, newsletters=form.cleaned_data["lists"], source=source)
            saved = True
            form = preferences_form_for(member)
    else:
        form = preferences_form_for(member)
    context = {
        "member": member,
        "form": form,
        "saved": saved,
        "consent_wording": consent_wording(),
    }
    return render(
        request, "newsletter/preferences.html", context, status=400 if form.errors else 200
    )
