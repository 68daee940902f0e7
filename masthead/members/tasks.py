from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from masthead.members.tokens import DEFAULT_MAX_AGE, sign_in_url


@task()
def send_sign_in_email(email, next_url=""):
    """The link is made here, at send time, so it reflects the member's latest sign-in."""
    max_age = getattr(settings, "MASTHEAD_SIGN_IN_LINK_MAX_AGE", DEFAULT_MAX_AGE)
    context = {
        "email": email,
        "sign_in_url": sign_in_url(email=email, next_url=next_url),
        "minutes": int(max_age.total_seconds() // 60),
        "publication_name": settings.MASTHEAD_PUBLICATION_NAME,
        "base_url": settings.MASTHEAD_BASE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"Your sign-in link for {settings.MASTHEAD_PUBLICATION_NAME}",
        body=render_to_string("members/email/sign_in.txt", context),
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("members/email/sign_in.html", context), "text/html")
    message.send()
