from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "masthead.discovery"
    label = "discovery"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import post_page_move

        from masthead.discovery import receivers
        from masthead.discovery.models import DiscoverySettings

        post_save.connect(
            receivers.discovery_settings_saved,
            sender=DiscoverySettings,
            dispatch_uid="discovery_settings_saved",
        )
        post_page_move.connect(receivers.page_moved, dispatch_uid="discovery_page_moved")
        from taggit.models import Tag

        post_save.connect(receivers.topic_saved, sender=Tag, dispatch_uid="discovery_topic_saved")
