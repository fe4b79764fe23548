"""URL map of the whole site."""
from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("smimecenter.tools.urls")),
    path("", include("smimecenter.tools.expert_urls")),
    path("", include("smimecenter.organisation.urls")),
    path("", include("smimecenter.learn.urls")),
]

handler404 = "smimecenter.learn.views.page_not_found"
