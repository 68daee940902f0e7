"""Scheduled publishing in the admin: what waits to go live, and a warning when no
worker is there to publish it."""

from django.contrib import messages
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from masthead.news.selectors import scheduled_publishing


class ScheduledPublishingPanel(Component):
    """The dashboard's list of pages scheduled to go live (first on the dashboard)."""

    name = "scheduled_publishing"
    template_name = "news/admin/scheduled_panel.html"
    order = 50

    def __init__(self, state):
        self.state = state

    def get_context_data(self, parent_context):
        return {"state": self.state}


@hooks.register("construct_homepage_panels")
def add_scheduled_publishing_panel(request, panels):
    state = scheduled_publishing()
    if state.waiting:
        panels.append(ScheduledPublishingPanel(state))


@hooks.register("after_publish_page")
def warn_when_scheduled_publishing_is_not_running(request, page):
    scheduled = page.go_live_at and page.go_live_at > timezone.now()
    if scheduled and scheduled_publishing(limit=1).stopped:
        messages.warning(
            request,
            f"'{page.get_admin_display_title()}' will not go live at its time: no worker is "
            "running scheduled publishing (start `masthead worker`).",
        )
