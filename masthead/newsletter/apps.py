from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"

    def ready(self):
        from anymail.signals import tracking

        from masthead.newsletter.webhooks import tracking_event_received

        tracking.connect(tracking_event_received, dispatch_uid="masthead-newsletter-tracking")
