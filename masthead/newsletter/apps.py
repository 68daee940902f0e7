from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

EDITION_PERMISSIONS = ["add_edition", "change_edition", "delete_edition", "view_edition"]


def grant_editors_editions(**kwargs):
    """Editors compose and send editions; safe to run on every migrate."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(
        apps.get_app_config("newsletter"), verbosity=0, using=kwargs.get("using", "default")
    )
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="newsletter", codename__in=EDITION_PERMISSIONS
            )
        )


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"

    def ready(self):
        post_migrate.connect(grant_editors_editions, sender=self)
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
