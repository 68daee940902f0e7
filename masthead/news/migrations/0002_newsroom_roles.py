"""Newsroom roles and the default approval workflow, so every install starts with them.

Reporters draft and submit, Editors approve, publish and schedule, Moderators (reader
comments) get admin access only; their comment permissions come with the comments app.
Wagtail's own install gives a "Moderators" group page-publishing rights and a
"Moderators approval" workflow; in Masthead moderators look after comments, so publishing
moves to Editors and the site root's workflow becomes "Editors approve".
"""

from django.db import migrations

PAGE_PERMISSIONS = {
    "Reporters": ["add_page"],
    "Editors": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Moderators": [],
}
IMAGE_PERMISSIONS = {
    "Reporters": ["add_newsimage", "choose_newsimage"],
    "Editors": ["add_newsimage", "change_newsimage", "choose_newsimage", "delete_newsimage"],
    "Moderators": [],
}
DOCUMENT_PERMISSIONS = {
    "Reporters": ["add_document", "choose_document"],
    "Editors": ["add_document", "change_document", "choose_document", "delete_document"],
    "Moderators": [],
}
MODEL_PERMISSIONS = {
    "Reporters": [("news", "author", "view")],
    "Editors": [("news", "author", "view"), ("news", "author", "add"), ("news", "author", "change")],
    "Moderators": [],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    def permission(app_label, model, codename):
        # Django creates permissions after all migrations run; create the ones we need now.
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        perm, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        return perm

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    access_admin = permission("wagtailadmin", "admin", "access_admin")

    groups = {}
    for name in PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(access_admin)
        for app_label, model, action in MODEL_PERMISSIONS[name]:
            group.permissions.add(permission(app_label, model, f"{action}_{model}"))
        if root_page is not None:
            GroupPagePermission.objects.filter(group=group, page=root_page).exclude(
                permission__codename__in=PAGE_PERMISSIONS[name]
            ).delete()
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=permission("wagtailcore", "page", codename),
                )
        if root_collection is not None:
            wanted = [
                *[permission("images", "newsimage", c) for c in IMAGE_PERMISSIONS[name]],
                *[permission("wagtaildocs", "document", c) for c in DOCUMENT_PERMISSIONS[name]],
            ]
            GroupCollectionPermission.objects.filter(
                group=group, collection=root_collection
            ).exclude(permission__in=wanted).delete()
            for perm in wanted:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name="Editors approve").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Editors approve", content_type=task_type, active=True
        )
    task.groups.set([groups["Editors"]])
    workflow, _ = Workflow.objects.get_or_create(
        name="Editorial approval", defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # Wagtail's default moderation by the "Moderators" group no longer applies.
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    GroupApprovalTask.objects.filter(name="Moderators approval").update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("images", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
