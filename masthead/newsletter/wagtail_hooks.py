"""Editions in the Wagtail admin, and the "Send as alert" button on published stories."""

from django.db.models import Count, Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from masthead.newsletter import admin_views
from masthead.newsletter.models import Edition, OutboxMessage


class EditionEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        return [
            Button(
                "Preview",
                url=reverse(f"{self.url_namespace}:preview", args=[self.object.pk]),
                icon_name="view",
                priority=1,
            ),
            Button(
                "Send and figures",
                url=reverse(f"{self.url_namespace}:send", args=[self.object.pk]),
                icon_name="mail",
                priority=2,
            ),
            *super().header_more_buttons,
        ]


class EditionIndexView(generic.IndexView):
    def get_base_queryset(self):
        sent = Count("outbox", filter=Q(outbox__status=OutboxMessage.Status.SENT))
        return Edition.objects.select_related("newsletter").annotate(
            outbox_total=Count("outbox"), outbox_sent=sent
        )


class FiguresColumn(Column):
    """Progress in the listing: sent of queued, linking to the figures page."""

    cell_template_name = "newsletter/admin/figures_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["send_url"] = reverse(
            f"{admin_views.EDITION_URL_NAMESPACE}:send", args=[instance.pk]
        )
        return context


class EditionViewSet(ModelViewSet):
    model = Edition
    icon = "mail"
    menu_label = "Newsletter editions"
    menu_order = 250
    add_to_admin_menu = True
    name = admin_views.EDITION_URL_NAMESPACE
    url_prefix = "newsletter/editions"
    edit_view_class = EditionEditView
    index_view_class = EditionIndexView
    list_filter = ["newsletter", "status", "kind"]
    search_fields = ["subject"]
    panels = [
        FieldPanel("newsletter"),
        FieldPanel("subject"),
        FieldPanel("intro", help_text="Paragraphs separated by a blank line."),
        InlinePanel(
            "chosen_articles",
            label="Chosen stories",
            panels=[PageChooserPanel("article", "news.ArticlePage")],
        ),
        MultiFieldPanel(
            [FieldPanel("latest_from_section"), FieldPanel("latest_count")],
            heading="Or: the latest stories from a section",
        ),
    ]

    @property
    def list_display(self):
        return [
            "subject",
            "newsletter",
            "status",
            "scheduled_for",
            FiguresColumn("figures", label="Sent"),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", admin_views.edition_preview, name="preview"),
            path("send/<int:pk>/", admin_views.edition_send, name="send"),
            path("alert/<int:page_id>/", admin_views.article_alert, name="alert"),
        ]


edition_viewset = EditionViewSet()


@hooks.register("register_admin_viewset")
def register_edition_viewset():
    return edition_viewset


@hooks.register("register_page_header_buttons")
def alert_button(page, user, view_name, next_url=None):
    from masthead.news.models import ArticlePage

    if (
        page.specific_class is ArticlePage
        and page.live
        and edition_viewset.permission_policy.user_has_permission(user, "add")
    ):
        yield Button(
            "Send as newsletter alert",
            url=reverse(f"{admin_views.EDITION_URL_NAMESPACE}:alert", args=[page.pk]),
            icon_name="mail",
            priority=80,
        )
