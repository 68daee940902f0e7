"""Reader-facing comment views.

The article page is shared and cached, so it only links here. The thread page and the
write views are per-reader and never cached; the fragment is the same for everyone and
carries no session or token, so any cache may keep it until `comment_thread_changed`.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.comments import conf, notifications, selectors, services
from masthead.comments.antiabuse import CommentRejected
from masthead.comments.models import Comment
from masthead.core.client import client_address
from masthead.members.models import Member
from masthead.members.selectors import member_from_request
from masthead.news.models import articles_published

FRAGMENT_MAX_AGE = 60


def _article(article_id):
    return get_object_or_404(articles_published().select_related("comment_thread"), pk=article_id)


def _sort(request):
    sort = request.GET.get("sort", "oldest")
    return sort if sort in selectors.SORTS else "oldest"


def _sign_in_url(article_id):
    next_url = reverse("comments:thread", kwargs={"article_id": article_id})
    return f"{conf.get('COMMENTS_SIGN_IN_URL')}?{urlencode({'next': next_url})}"


def _urls(article_id):
    """Link prefixes for the comment list, reversed once rather than per comment."""
    return {
        "thread_url": reverse("comments:thread", kwargs={"article_id": article_id}),
        "comment_url_prefix": reverse("comments:edit", kwargs={"comment_id": 0})[: -len("0/edit/")],
    }


def _thread_context(request, article, *, form=None, error=None):
    member = member_from_request(request)
    thread = getattr(article, "comment_thread", None)
    sort = _sort(request)
    focus = request.GET.get("thread", "")
    data = selectors.thread_page(
        article_id=article.pk,
        sort=sort,
        page_number=request.GET.get("page") or 1,
        focus_root_id=int(focus) if focus.isdigit() else None,
    )
    reply_to = None
    reply_id = (form or {}).get("parent") or request.GET.get("reply")
    if reply_id and str(reply_id).isdigit():
        reply_to = (
            Comment.objects.visible()
            .on_article(article.pk)
            .filter(pk=reply_id, deleted_at__isnull=True)
            .first()
        )
    form = form or {}
    return {
        "article": article,
        "member": member,
        "banned": member is not None and selectors.member_is_banned(member=member),
        "closed_reason": selectors.comments_closed_reason(article=article, thread=thread),
        "count": thread.approved_count if thread else 0,
        "sorts": selectors.SORTS,
        "pending": selectors.member_pending_comments(article_id=article.pk, member=member),
        "sign_in_url": _sign_in_url(article.pk),
        "reply_to": reply_to,
        "form": {
            "body": form.get("body", ""),
            "display_name": form.get("display_name")
            or (member.display_name if member else "")
            or "",
            "notify_replies": form.get("notify_replies", False),
            "submission_key": form.get("submission_key") or services.new_submission_key(),
        },
        "error": error,
        **_urls(article.pk),
        "max_length": conf.get("COMMENTS_MAX_LENGTH"),
        "edit_window_minutes": int(conf.edit_window().total_seconds() // 60),
        "edit_cutoff": timezone.now() - conf.edit_window(),
        **data,
    }


@never_cache
@require_GET
def thread(request, article_id):
    article = _article(article_id)
    return render(request, "comments/thread_page.html", _thread_context(request, article))


@require_GET
def fragment(request, article_id):
    """The comment list alone, identical for every reader: the article page loads it."""
    article = _article(article_id)
    thread_ = getattr(article, "comment_thread", None)
    sort = _sort(request)
    data = selectors.thread_page(article_id=article.pk, sort=sort, page_number=1)
    response = render(
        request,
        "comments/fragment.html",
        {
            "article": article,
            "count": thread_.approved_count if thread_ else 0,
            "closed_reason": selectors.comments_closed_reason(article=article, thread=thread_),
            **_urls(article.pk),
            **data,
        },
    )
    patch_cache_control(response, public=True, max_age=FRAGMENT_MAX_AGE)
    return response


@never_cache
@require_POST
def post(request, article_id):
    article = _article(article_id)
    member = member_from_request(request)
    if member is None:
        return redirect(_sign_in_url(article.pk))
    form = {
        "body": request.POST.get("body", ""),
        "display_name": request.POST.get("display_name", ""),
        "notify_replies": request.POST.get("notify_replies") == "on",
        "submission_key": request.POST.get("submission_key", ""),
        "parent": request.POST.get("parent", ""),
    }
    parent_id = form["parent"] if form["parent"].isdigit() else None
    try:
        comment = services.comment_post(
            article=article,
            member=member,
            body=form["body"],
            display_name=form["display_name"],
            parent_id=parent_id,
            notify_replies=form["notify_replies"],
            ip_address=client_address(request) or None,
            submission_key=form["submission_key"],
            honeypot=request.POST.get("website", ""),
            request=request,
        )
    except CommentRejected as rejected:
        context = _thread_context(request, article, form=form, error=rejected)
        return render(request, "comments/thread_page.html", context, status=rejected.status)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, "Your comment is published.")
    else:
        messages.info(
            request, "Thank you. Your comment will appear once a moderator has approved it."
        )
    url = reverse("comments:thread", kwargs={"article_id": article.pk})
    return redirect(f"{url}#comment-{comment.pk}")


def _own_comment(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id, deleted_at__isnull=True
    )
    member = member_from_request(request)
    if member is None:
        return comment, member, redirect(_sign_in_url(comment.article_id))
    if comment.member_id != member.pk:
        return (
            comment,
            member,
            render(
                request,
                "comments/refused.html",
                {"message": "You can only change your own comments.", "comment": comment},
                status=403,
            ),
        )
    return comment, member, None


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, comment_id):
    comment, member, refusal = _own_comment(request, comment_id)
    if refusal:
        return refusal
    error, body = None, comment.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.comment_edit(comment=comment, member=member, body=body)
        except CommentRejected as rejected:
            error = rejected
        else:
            messages.success(request, "Your comment was updated.")
            url = reverse("comments:thread", kwargs={"article_id": comment.article_id})
            return redirect(f"{url}#comment-{comment.pk}")
    return render(
        request,
        "comments/edit.html",
        {
            "comment": comment,
            "body": body,
            "error": error,
            "max_length": conf.get("COMMENTS_MAX_LENGTH"),
        },
        status=error.status if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request, comment_id):
    comment, member, refusal = _own_comment(request, comment_id)
    if refusal:
        return refusal
    if request.method == "POST":
        services.comment_delete(comment=comment, member=member)
        messages.success(request, "Your comment was deleted.")
        return redirect(reverse("comments:thread", kwargs={"article_id": comment.article_id}))
    return render(request, "comments/delete.html", {"comment": comment})


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"), pk=comment_id, deleted_at__isnull=True
    )
    member = member_from_request(request)
    if member is None:
        return redirect(_sign_in_url(comment.article_id))
    error = None
    if request.method == "POST":
        try:
            first = services.comment_report(
                comment=comment, member=member, reason=request.POST.get("reason", "")
            )
        except CommentRejected as rejected:
            error = rejected
        else:
            messages.info(
                request,
                "Thank you: a moderator will look at it."
                if first
                else "You have already reported this comment; it is counted once.",
            )
            url = reverse("comments:thread", kwargs={"article_id": comment.article_id})
            return redirect(url)
    return render(
        request,
        "comments/report.html",
        {"comment": comment, "error": error},
        status=error.status if error else 200,
    )


@never_cache
@csrf_exempt  # RFC 8058 one-click: mail clients POST without a token; the link is signed.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    member_id = notifications.member_id_from_token(token)
    member = Member.objects.filter(pk=member_id).first() if member_id else None
    if member is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        services.member_reply_notices_stop(member=member)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "comments/unsubscribe.html", {"done": True})
    return render(request, "comments/unsubscribe.html", {"done": False})
