from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.comments import admin_views

admin_urls = [
    path("", admin_views.queue, name="queue"),
    path("act/", admin_views.act, name="act"),
    path("log/", admin_views.log, name="log"),
    path("members/<int:member_id>/unban/", admin_views.unban, name="unban"),
    path("threads/<int:article_id>/", admin_views.thread_toggle, name="thread_toggle"),
]


@hooks.register("register_admin_urls")
def register_comment_admin_urls():
    return [path("comments/", include((admin_urls, "comments_admin"), namespace="comments_admin"))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_comment_menu_item():
    return ModeratorMenuItem(
        "Comments", reverse("comments_admin:queue"), icon_name="comment", order=350
    )
