"""The moderation queue in the Wagtail admin: filter, decide one by one or in bulk, ban,
close threads, and read the log of who did what."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from masthead.comments import services
from masthead.comments.models import Comment, CommentThread, MemberBan, ModerationLog
from masthead.members.models import Member
from masthead.news.models import ArticlePage

PERMISSION = "comments.moderate_comment"
PER_PAGE = 50
ACTIONS = {
    "approve": "Approve",
    "reject": "Reject",
    "spam": "Mark as spam",
    "pick": "Make editors' pick",
    "unpick": "Remove editors' pick",
    "ban": "Ban the member (their pending comments are rejected)",
}
STATUS_FILTERS = {
    "pending": "Awaiting review",
    "reported": "Hidden by reports",
    "approved": "Approved",
    "rejected": "Rejected",
    "spam": "Spam",
    "all": "All",
}


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _filtered(params):
    qs = Comment.objects.select_related("member", "article").order_by("-created_at", "-pk")
    status = params.get("status") or "pending"
    if status == "reported":
        qs = qs.filter(hidden_by_reports=True, status=Comment.Status.PENDING)
    elif status in Comment.Status.values:
        qs = qs.filter(status=status)
    article = (params.get("article") or "").strip()
    if article.isdigit():
        qs = qs.filter(article_id=int(article))
    elif article:
        qs = qs.filter(article__title__icontains=article)
    member = (params.get("member") or "").strip()
    if member.isdigit():
        qs = qs.filter(member_id=int(member))
    elif member:
        qs = qs.filter(
            Q(member__email__icontains=member) | Q(member__display_name__icontains=member)
        )
    return qs, status


def queue(request):
    _require(request)
    qs, status = _filtered(request.GET)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("p"))
    comments = list(page.object_list)
    banned = set(
        MemberBan.objects.filter(member_id__in={c.member_id for c in comments}).values_list(
            "member_id", flat=True
        )
    )
    article_id = request.GET.get("article", "").strip()
    thread, article = None, None
    if article_id.isdigit():
        article = ArticlePage.objects.filter(pk=article_id).first()
        thread = CommentThread.objects.filter(article_id=article_id).first()
    return render(
        request,
        "comments/admin/queue.html",
        {
            "comments": comments,
            "page_obj": page,
            "status": status,
            "statuses": STATUS_FILTERS,
            "actions": ACTIONS,
            "banned": banned,
            "filters": request.GET,
            "query": request.GET.urlencode(),
            "article": article,
            "thread": thread,
        },
    )


@require_POST
def act(request):
    _require(request)
    if request.POST.get("single"):
        comment_id, _, action = request.POST["single"].partition(":")
        ids = [int(comment_id)] if comment_id.isdigit() else []
    else:
        action = request.POST.get("action", "")
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = reverse("comments_admin:queue") + "?" + request.POST.get("query", "")
    if action not in ACTIONS:
        messages.error(request, "Choose what to do with the selected comments.")
        return redirect(back)
    if not ids:
        messages.error(request, "Select at least one comment.")
        return redirect(back)
    if action == "ban":
        members = Member.objects.filter(comments__pk__in=ids).distinct()
        for member in members:
            services.member_ban(member=member, user=request.user)
        messages.success(
            request, f"Banned {len(members)} member(s); their pending comments are rejected."
        )
    else:
        changed = services.comments_moderate(comment_ids=ids, action=action, user=request.user)
        messages.success(request, f"{ACTIONS[action]}: {changed} comment(s) changed.")
    return redirect(back)


@require_POST
def unban(request, member_id):
    _require(request)
    member = get_object_or_404(Member, pk=member_id)
    services.member_unban(member=member, user=request.user)
    messages.success(request, f"{member} may comment again.")
    return redirect(reverse("comments_admin:queue") + f"?member={member.pk}&status=all")


@require_POST
def thread_toggle(request, article_id):
    _require(request)
    get_object_or_404(ArticlePage, pk=article_id)
    if request.POST.get("close") == "1":
        services.thread_close(article_id=article_id, user=request.user)
        messages.success(request, "Comments on this story are closed.")
    else:
        services.thread_reopen(article_id=article_id, user=request.user)
        messages.success(request, "Comments on this story are open again.")
    return redirect(reverse("comments_admin:queue") + f"?article={article_id}&status=all")


def log(request):
    _require(request)
    qs = ModerationLog.objects.select_related("user", "member", "comment")
    page = Paginator(qs, 100).get_page(request.GET.get("p"))
    return render(request, "comments/admin/log.html", {"page_obj": page, "entries": page})
