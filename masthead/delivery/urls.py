from django.urls import path

from masthead.delivery import views

app_name = "delivery"
urlpatterns = [
    path("reader-state/", views.reader_state, name="reader_state"),
]
