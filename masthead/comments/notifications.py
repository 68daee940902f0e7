"""Reply notification emails, sent only to members who asked for them on their comment."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.comments.models import Comment

UNSUBSCRIBE_SALT = "masthead.comments.reply-notices"


def unsubscribe_token(member_id):
    return signing.dumps({"m": member_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def member_id_from_token(token):
    """The member an unsubscribe link belongs to, or None for a forged or mangled link."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)["m"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def unsubscribe_url(member_id):
    path = reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(member_id)})
    return settings.MASTHEAD_BASE_URL + path


def reply_notice_send(*, comment_id):
    """Email the author of the comment replied to, once per reply, if they opted in.

    Safe to run twice: the reply is marked under a row lock before the message is built, and
    a reply that is no longer visible or whose parent author opted out sends nothing.
    """
    with transaction.atomic():
        reply = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("parent__member", "article")
            .filter(pk=comment_id)
            .first()
        )
        if reply is None or reply.reply_notice_sent_at or reply.parent is None:
            return False
        parent = reply.parent
        if (
            reply.status != Comment.Status.APPROVED
            or reply.deleted_at
            or not parent.notify_replies
            or parent.deleted_at
            or parent.member_id == reply.member_id
            or not parent.member.is_active
        ):
            return False
        reply.reply_notice_sent_at = timezone.now()
        reply.save(update_fields=["reply_notice_sent_at"])
    thread_url = settings.MASTHEAD_BASE_URL + reverse(
        "comments:thread", kwargs={"article_id": reply.article_id}
    )
    context = {
        "reply": reply,
        "parent": parent,
        "article_title": reply.article.title,
        "thread_url": f"{thread_url}#comment-{reply.pk}",
        "unsubscribe_url": unsubscribe_url(parent.member_id),
        "publication_name": settings.MASTHEAD_PUBLICATION_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"{reply.display_name} replied to your comment on “{reply.article.title}”",
        body=render_to_string("comments/email/reply_notice.txt", context),
        to=[parent.member.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True
