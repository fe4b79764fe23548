from __future__ import annotations

from django.urls import path
from django.views.generic.base import RedirectView

from . import api, views

urlpatterns = [
    path("tools/", RedirectView.as_view(url="/tools/diagnose/", permanent=False)),
    path("tools/diagnose/", views.diagnose_page, name="diagnose"),
    path("tools/diagnose/result/<str:token>/", views.result_page, name="diagnose-result"),
    path("api/", views.api_page, name="api"),
    path("api/v1/diagnose", api.diagnose_api, name="api-diagnose"),
    path("api/v1/openapi.json", views.openapi_json, name="api-openapi"),
]
