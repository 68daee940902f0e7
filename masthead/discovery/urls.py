from django.urls import re_path

from masthead.discovery import views

app_name = "discovery"
FMT = "(?P<fmt>rss|atom|json)"
urlpatterns = [
    re_path(r"^search/$", views.search, name="search"),
    re_path(r"^sitemap\.xml$", views.sitemap_index, name="sitemap_index"),
    re_path(r"^sitemap-(?P<section>[-\w]+)\.xml$", views.sitemap, name="sitemap"),
    re_path(r"^robots\.txt$", views.robots_txt, name="robots_txt"),
    re_path(rf"^feeds/{FMT}/$", views.feed, name="site_feed"),
    re_path(
        rf"^feeds/section/(?P<key>[-\w]+(?:/[-\w]+)*)/{FMT}/$",
        views.feed,
        {"kind": "section"},
        name="section_feed",
    ),
    re_path(
        rf"^feeds/author/(?P<key>[-\w]+)/{FMT}/$",
        views.feed,
        {"kind": "author"},
        name="author_feed",
    ),
    re_path(
        rf"^feeds/topic/(?P<key>[-\w]+)/{FMT}/$", views.feed, {"kind": "topic"}, name="topic_feed"
    ),
]
