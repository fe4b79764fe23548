from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from smimecenter.learn import views
from smimecenter.learn.feeds import UpdatedPagesFeed
from smimecenter.learn.sitemaps import SITEMAPS

# Slugs are checked by the URL pattern before any view runs: "../x" or "%2e%2e" never match.
SECTION = r"(?P<section>learn|guides|troubleshooting)"

urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    path("search/", views.search, name="search"),
    path("feed.atom", UpdatedPagesFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    re_path(rf"^{SECTION}/$", views.section_index, name="section"),
    re_path(rf"^{SECTION}/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)/$", views.article, name="article"),
]
