from django_tasks import task

from masthead.comments.notifications import reply_notice_send


@task()
def send_reply_notification(comment_id):
    reply_notice_send(comment_id=comment_id)
