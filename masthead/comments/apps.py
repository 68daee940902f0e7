from django.apps import AppConfig
from django.db.models.signals import post_migrate

MODERATORS_GROUP = "Moderators"
MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("comments", "comment", "moderate_comment"),
    ("comments", "comment", "change_comment"),
    ("comments", "comment", "view_comment"),
    ("comments", "blockedterm", "add_blockedterm"),
    ("comments", "blockedterm", "change_blockedterm"),
    ("comments", "blockedterm", "delete_blockedterm"),
    ("comments", "blockedterm", "view_blockedterm"),
    ("comments", "sectioncommentpolicy", "add_sectioncommentpolicy"),
    ("comments", "sectioncommentpolicy", "change_sectioncommentpolicy"),
    ("comments", "sectioncommentpolicy", "view_sectioncommentpolicy"),
]


# Editors close threads and may moderate too; they get the queue, not the blocklist.
EDITOR_PERMISSIONS = [("comments", "comment", "moderate_comment")]


def ensure_moderators_group(**kwargs):
    """The Moderators group holds the comment permissions; safe to run on every migrate."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Our post_migrate receiver may run before auth's creates this app's permissions.
    create_permissions(
        apps.get_app_config("comments"), verbosity=0, using=kwargs.get("using", "default")
    )
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    for app_label, _model, codename in MODERATOR_PERMISSIONS:
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            group.permissions.add(perm)
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        for app_label, _model, codename in EDITOR_PERMISSIONS:
            editors.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class CommentsConfig(AppConfig):
    name = "masthead.comments"
    label = "comments"

    def ready(self):
        from masthead.members.models import Member
        from masthead.members.signals import member_data_requested, member_erasing

        post_migrate.connect(ensure_moderators_group, sender=self)
        member_erasing.connect(_erase_member_comments, sender=Member)
        member_data_requested.connect(_member_comments_data, sender=Member)


def _erase_member_comments(sender, member, **kwargs):
    from masthead.comments.services import comments_erase_member

    comments_erase_member(member=member)


def _member_comments_data(sender, member, **kwargs):
    from masthead.comments.selectors import member_comments_data

    return {"comments": member_comments_data(member=member)}
