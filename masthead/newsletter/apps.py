from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"

    def ready(self):
        from anymail.signals import tracking

        from masthead.members.models import Member
        from masthead.members.signals import member_data_requested, member_erasing
        from masthead.newsletter import receivers
        from masthead.newsletter.webhooks import tracking_event_received

        tracking.connect(tracking_event_received, dispatch_uid="masthead-newsletter-tracking")
        member_erasing.connect(receivers.anonymise_member_mail, sender=Member)
        member_data_requested.connect(receivers.member_newsletter_data, sender=Member)
