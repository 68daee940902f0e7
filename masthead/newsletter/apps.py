from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"

    def ready(self):
        from anymail.signals import tracking

        from masthead.members.models import Member
        from masthead.members.signals import member_data_requested, member_erasing
        from masthead.newsletter import receivers
        from masthead.newsletter.models import NewsletterList
        from masthead.newsletter.webhooks import tracking_event_received

        tracking.connect(tracking_event_received, dispatch_uid="masthead-newsletter-tracking")
        member_erasing.connect(receivers.anonymise_member_mail, sender=Member)
        member_data_requested.connect(receivers.member_newsletter_data, sender=Member)
        for signal in (post_save, post_delete):
            signal.connect(receivers.purge_pages_with_signup_box, sender=NewsletterList)
