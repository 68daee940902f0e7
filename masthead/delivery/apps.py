from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "masthead.delivery"
    label = "delivery"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
        from django.test.signals import setting_changed
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from masthead.delivery import receivers

        page_published.connect(receivers.page_changed, dispatch_uid="delivery-published")
        # After the purge above (on_commit callbacks run in the order they were added).
        page_published.connect(receivers.page_published, dispatch_uid="delivery-render")
        page_unpublished.connect(receivers.page_changed, dispatch_uid="delivery-unpublished")
        post_page_move.connect(receivers.page_moved, dispatch_uid="delivery-moved")
        post_delete.connect(receivers.page_deleted, sender=Page, dispatch_uid="delivery-deleted")
        for model in get_page_models():
            if model.allowed_subpage_models():
                pre_save.connect(
                    receivers.navigation_will_change,
                    sender=model,
                    dispatch_uid=f"delivery-navigation-{model._meta.label}",
                )
        author = apps.get_model("news", "Author")
        pre_save.connect(
            receivers.slug_will_change, sender=author, dispatch_uid="delivery-author-slug"
        )
        post_save.connect(receivers.author_changed, sender=author, dispatch_uid="delivery-author")
        post_delete.connect(
            receivers.author_changed, sender=author, dispatch_uid="delivery-author-del"
        )
        from taggit.models import Tag

        pre_save.connect(receivers.slug_will_change, sender=Tag, dispatch_uid="delivery-topic-slug")
        post_save.connect(receivers.topic_changed, sender=Tag, dispatch_uid="delivery-topic")
        pre_delete.connect(
            receivers.topic_will_be_deleted, sender=Tag, dispatch_uid="delivery-topic-pre-del"
        )
        post_delete.connect(receivers.topic_changed, sender=Tag, dispatch_uid="delivery-topic-del")
        image = get_image_model()
        post_save.connect(receivers.image_changed, sender=image, dispatch_uid="delivery-image")
        for model in (PageViewRestriction, Site):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.site_structure_changed,
                    sender=model,
                    dispatch_uid=f"delivery-structure-{model.__name__}-{signal is post_save}",
                )
        setting_changed.connect(receivers.settings_changed, dispatch_uid="delivery-settings")
        try:
            from masthead.comments.signals import comment_thread_changed, comment_was_approved
        except ImportError:  # the comments app has not landed its signals yet
            pass
        else:
            comment_was_approved.connect(
                receivers.comment_approved, dispatch_uid="delivery-comment-approved"
            )
            comment_thread_changed.connect(
                receivers.comment_thread_changed, dispatch_uid="delivery-comment-thread"
            )
