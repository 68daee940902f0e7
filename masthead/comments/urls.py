from django.urls import path

from masthead.comments import views

app_name = "comments"
urlpatterns = [
    path("<int:article_id>/", views.thread, name="thread"),
    path("<int:article_id>/fragment/", views.fragment, name="fragment"),
    path("<int:article_id>/post/", views.post, name="post"),
    path("c/<int:comment_id>/edit/", views.edit, name="edit"),
    path("c/<int:comment_id>/delete/", views.delete, name="delete"),
    path("c/<int:comment_id>/report/", views.report, name="report"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
