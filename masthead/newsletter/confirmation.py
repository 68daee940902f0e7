"""The double opt-in email: built from templates, sent by a task after the request commits."""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from masthead.members.models import Member
from masthead.newsletter.models import NewsletterList, Subscription
from masthead.newsletter.tokens import confirm_url, preferences_url


def confirmation_message(*, member, newsletters):
    context = {
        "member": member,
        "newsletters": newsletters,
        "confirm_url": confirm_url(member, [n.pk for n in newsletters]),
        "preferences_url": preferences_url(member),
        "publication_name": settings.MASTHEAD_PUBLICATION_NAME,
        "base_url": settings.MASTHEAD_BASE_URL,
    }
    names = ", ".join(n.name for n in newsletters)
    message = EmailMultiAlternatives(
        subject=f"Please confirm your subscription: {names}"[:200],
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[member.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirm.html", context), "text/html"
    )
    return message


@task()
def send_confirmation_email(member_id, newsletter_ids):
    """Mail the confirmation link for the lists still pending (a quick second confirm is moot)."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return
    pending = Subscription.objects.filter(
        member=member, newsletter_id__in=newsletter_ids, status=Subscription.Status.PENDING
    ).values("newsletter_id")
    newsletters = list(NewsletterList.objects.filter(pk__in=pending))
    if newsletters:
        confirmation_message(member=member, newsletters=newsletters).send()


def queue_confirmation_email(*, member, newsletters):
    transaction.on_commit(
        partial(send_confirmation_email.enqueue, member.pk, [n.pk for n in newsletters])
    )
