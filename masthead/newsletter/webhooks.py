"""ESP tracking events (through django-anymail's `tracking` signal) that stop sending.

A hard bounce means the address is gone: every list stops mailing it. A complaint
("this is spam") ends the subscription the complained-about mail came from, found by the
provider's message id we stored on the outbox row, or every list when it is unknown.
"""

import logging

from anymail.signals import EventType, RejectReason

from masthead.newsletter.models import OutboxMessage, Subscription
from masthead.newsletter.services import subscriptions_end

log = logging.getLogger(__name__)

BOUNCE_REASONS = {RejectReason.BOUNCED, RejectReason.INVALID}


def tracking_event_received(sender, event, esp_name, **kwargs):
    recipient = (event.recipient or "").strip()
    if not recipient:
        return
    if event.event_type == EventType.COMPLAINED:
        status = Subscription.Status.COMPLAINED
        row = None
        if event.message_id:
            row = (
                OutboxMessage.objects.filter(message_id=event.message_id, email__iexact=recipient)
                .exclude(subscription=None)
                .first()
            )
        ids = [row.subscription_id] if row else None
    elif event.event_type == EventType.BOUNCED or (
        event.event_type == EventType.REJECTED and event.reject_reason in BOUNCE_REASONS
    ):
        status, ids = Subscription.Status.BOUNCED, None
    else:
        return
    ended = subscriptions_end(email=recipient, status=status, subscription_ids=ids)
    log.info("%s reported %s for a recipient; %s subscription(s) ended", esp_name, status, ended)
