"""Account pages: sign in by emailed link, sign out, the account page, data download and
erasure. All per-reader, so none is cached and each may carry a CSRF token."""

import json

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from masthead.core.client import client_address
from masthead.members import tokens
from masthead.members.forms import email_address_field
from masthead.members.selectors import member_data, member_from_request
from masthead.members.services import (
    member_erase,
    member_sign_in_link_send,
    member_sign_in_with_link,
    member_sign_out,
)
from masthead.members.throttle import attempt_allowed


class SignInForm(forms.Form):
    email = email_address_field()
    next = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


def _sign_in_redirect(request):
    return redirect(f"{reverse('members:sign_in')}?{urlencode({'next': request.get_full_path()})}")


@never_cache
def sign_in(request):
    next_url = tokens.safe_next(
        request.POST.get("next") or request.GET.get("next", ""), host=request.get_host()
    )
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            ip_ok = attempt_allowed(
                f"sign-in:ip:{client_address(request)}",
                getattr(settings, "MASTHEAD_SIGN_IN_PER_IP", 20),
            )
            if not ip_ok:
                return render(request, "members/too_many.html", status=429)
            # Past the per-address limit the answer is the same, and no more mail goes out.
            if attempt_allowed(
                f"sign-in:addr:{email.lower()}",
                getattr(settings, "MASTHEAD_SIGN_IN_PER_ADDRESS", 5),
            ):
                member_sign_in_link_send(email=email, next_url=next_url)
            return redirect("members:sign_in_sent")
    else:
        form = SignInForm(initial={"next": next_url})
    status = 400 if form.errors else 200
    context = {"form": form, "member": member_from_request(request), "next": next_url}
    return render(request, "members/sign_in.html", context, status=status)


def sign_in_sent(request):
    return render(request, "members/sign_in_sent.html")


@never_cache
def sign_in_link(request, token):
    """GET shows a button and spends nothing: mail scanners follow links, people press buttons."""
    try:
        email, _member, _next = tokens.sign_in_read(token)
        if request.method == "POST":
            _member, next_url = member_sign_in_with_link(request=request, token=token)
            return redirect(
                tokens.safe_next(next_url, host=request.get_host()) or "members:account"
            )
    except tokens.LinkInvalid as error:
        return render(
            request,
            "members/link_problem.html",
            {
                "expired": isinstance(error, tokens.LinkExpired),
                "used": isinstance(error, tokens.LinkUsed),
            },
            status=410 if isinstance(error, tokens.LinkExpired | tokens.LinkUsed) else 400,
        )
    return render(request, "members/sign_in_confirm.html", {"email": email})


@never_cache
def sign_out(request):
    if request.method == "POST":
        member_sign_out(request=request)
        return render(request, "members/signed_out.html")
    return render(request, "members/sign_out.html", {"member": member_from_request(request)})


@never_cache
def account(request):
    member = member_from_request(request)
    if member is None:
        return _sign_in_redirect(request)
    return render(request, "members/account.html", {"member": member})


@never_cache
def account_data(request):
    member = member_from_request(request)
    if member is None:
        return _sign_in_redirect(request)
    body = json.dumps(member_data(member=member), indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"masthead-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and newsletter subscriptions will be deleted.",
        error_messages={"required": "Please tick the box to confirm."},
    )


@never_cache
def account_delete(request):
    member = member_from_request(request)
    if member is None:
        return _sign_in_redirect(request)
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member_erase(member=member)
        member_sign_out(request=request)
        return render(request, "members/deleted.html")
    status = 400 if form.errors else 200
    return render(request, "members/delete.html", {"member": member, "form": form}, status=status)
