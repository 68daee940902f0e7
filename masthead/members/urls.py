from django.urls import path

from masthead.members import views

app_name = "members"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("my-data.json", views.account_data, name="data"),
    path("delete/", views.account_delete, name="delete"),
]
