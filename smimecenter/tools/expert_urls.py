"""URLs of the expert tools (PKCS#12 inspector, CSR checker, BR compliance and client compatibility)."""
from __future__ import annotations

from django.urls import path

from . import expert_views

urlpatterns = [
    path("tools/pkcs12/", expert_views.pkcs12_page, name="expert-pkcs12"),
    path("tools/csr/", expert_views.csr_page, name="expert-csr"),
    path("tools/compliance/", expert_views.compliance_page, name="expert-compliance"),
    path("tools/<str:tool>/result/<str:token>/", expert_views.expert_result, name="expert-result"),
]
