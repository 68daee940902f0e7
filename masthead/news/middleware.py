from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow

from masthead.news.models import PublishingRefused


class PublishingRefusedMiddleware:
    """Turn a refused publish in the admin into the editor's own page with the reason.

    The page editor shows the reason as a form error; approving from the dashboard's dialog
    (or any other admin action that publishes) would otherwise end on a bare 403. Nothing
    was saved: the refusal happens inside Wagtail's transaction.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PublishingRefused):
            return None
        messages.error(request, f"Not published: {exception} Fix this, then try again.")
        page_id = request.resolver_match.kwargs.get("page_id") if request.resolver_match else None
        target = (
            reverse("wagtailadmin_pages:edit", args=(page_id,))
            if page_id
            else reverse("wagtailadmin_home")
        )
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The dialog follows "redirect" once its step succeeds: the editor then shows
            # the message.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": target}
            )
        return redirect(target)
