from django.urls import path

from masthead.news import views

app_name = "news"
urlpatterns = [
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]
