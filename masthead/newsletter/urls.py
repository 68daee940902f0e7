from django.urls import include, path

from masthead.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("", views.newsletter_index, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("mine/", views.my_newsletters, name="mine"),
    # ESP delivery webhooks (bounces, complaints): esp/<provider>/tracking/ (django-anymail)
    path("esp/", include("anymail.urls")),
]
