from __future__ import annotations

from django.urls import path, re_path

from smimecenter.organisation import views

app_name = "organisation"

# Tokens are secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN = r"[A-Za-z0-9_-]{20,64}"

urlpatterns = [
    path("lists/<slug:slug>/", views.reading_list, name="reading-list"),
    path("lists/<slug:slug>/print/", views.reading_list_print, name="reading-list-print"),
    path("organisation/add-to-reading-list/", views.add_to_reading_list, name="add-to-reading-list"),
    path("organisation/logo/", views.logo, name="logo"),
    path("organisation/diagnose-link/", views.diagnose_link, name="diagnose-link"),
    path("share/", views.share_create, name="share-create"),
    re_path(rf"^share/(?P<token>{TOKEN})/$", views.share_view, name="share"),
    re_path(rf"^share/(?P<token>{TOKEN})/delete/(?P<delete_token>{TOKEN})/$", views.share_delete,
            name="share-delete"),
]
