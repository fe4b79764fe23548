"""Expert tools: the PKCS#12 inspector, the CSR checker, and BR compliance with client compatibility.

Like the certificate check, nothing sent here is stored or logged: uploads stay in memory (the check
page's upload handler), the engine gets bytes, and every result page is marked no-store.
"""
from __future__ import annotations

import logging

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from smimecenter.diagnostics.checks.csr import csr_findings
from smimecenter.diagnostics.csr_check import examine, summarise
from smimecenter.diagnostics.inputs import read_inputs

from .forms import BoundedCharField, BoundedEmailField, DiagnosisRequest, TooLarge, upload_name
from .ratelimit import over_limit, retry_after_seconds
from .running import KdfBusy, OverWorkBudget, engine_limits, run_diagnosis
from .safety import answers_plainly
from .uploads import MalformedBody, read_form_body

logger = logging.getLogger(__name__)

MAX_TEXT = 200_000  # characters of pasted text; the byte ceiling is enforced by read_form_body


class Pkcs12Form(forms.Form):
    file = forms.FileField(label="Your .p12 or .pfx file")
    password = forms.CharField(label="Its password", required=False, strip=False, max_length=1024,
                               widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                               help_text="Used only to open the file, then forgotten. Leave empty to see "
                                         "only how the file is protected.")


class CsrForm(forms.Form):
    text = BoundedCharField(label="Paste your request (CSR)", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))
    file = forms.FileField(label="Or choose a .csr / .req file", required=False)
    email = BoundedEmailField(label="The address the certificate is for (optional)", required=False,
                             max_length=320)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Paste a request or choose a file.")
        return cleaned


class ComplianceForm(forms.Form):
    text = BoundedCharField(label="Paste your certificate (and its chain)", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))
    file = forms.FileField(label="Or choose a certificate file", required=False)
    lint = forms.BooleanField(label="Run the Baseline Requirements linter (pkilint); takes a moment the first time",
                              required=False, initial=True)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Paste a certificate or choose a file.")
        return cleaned


def _inputs(form: forms.Form) -> list[bytes]:
    return _request(form).inputs


def _request(form: forms.Form, password: str | None = None) -> DiagnosisRequest:
    request = DiagnosisRequest(password=password)
    text = form.cleaned_data.get("text", "")
    if text.strip():
        request.inputs.append(text.encode("utf-8"))
        request.names.append("the pasted text")
    upload = form.cleaned_data.get("file")
    if upload:
        request.inputs.append(upload.read())
        request.names.append(upload_name(upload))
    return request


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context.setdefault("nav", "tools")
    return render(request, template, context, status=status)


def _refusal(request: HttpRequest, template: str, form: forms.Form) -> HttpResponse | None:
    """A friendly page when the body is too large or the client is over its per-minute limit."""
    try:
        read_form_body(request)
    except TooLarge as problem:
        return _page(request, template, {"form": form, "problem": problem.message}, status=413)
    except MalformedBody as problem:
        return _page(request, template, {"form": form, "problem": str(problem)}, status=400)
    if over_limit(request):
        response = _page(request, template, {
            "form": form, "problem": "There have been many checks from your address in the last minute. "
                                     "Wait a minute, then send the form again."}, status=429)
        response["Retry-After"] = str(retry_after_seconds())
        return response
    return None


# --- PKCS#12 inspector ---------------------------------------------------------------------------

@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()  # an error report must never carry what was sent (the .p12 password above all)
@answers_plainly
def pkcs12_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "expert/pkcs12.html", {"form": Pkcs12Form()})
    refused = _refusal(request, "expert/pkcs12.html", Pkcs12Form())
    return refused or _pkcs12_result(request)


@csrf_protect
def _pkcs12_result(request: HttpRequest) -> HttpResponse:
    form = Pkcs12Form(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, "expert/pkcs12.html", {"form": form}, status=400)
    try:
        report = run_diagnosis(_request(form, form.cleaned_data["password"] or None)).to_dict()
    except OverWorkBudget as problem:
        return _page(request, "expert/pkcs12.html", {"form": Pkcs12Form(), "problem": problem.message}, status=413)
    except KdfBusy as problem:
        response = _page(request, "expert/pkcs12.html", {"form": Pkcs12Form(), "problem": problem.message},
                         status=503)
        response["Retry-After"] = str(KdfBusy.RETRY_AFTER_SECONDS)
        return response
    files = report["pkcs12"]
    findings = [f for f in report["findings"] if str(f["code"]).startswith(("pkcs12.", "input."))]
    return _page(request, "expert/pkcs12.html", {
        "form": Pkcs12Form(), "files": files, "findings": findings, "summary": report["summary"],
        "status": report["status"], "name": form.cleaned_data["file"].name})


# --- CSR checker ---------------------------------------------------------------------------------

@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()  # an error report must never carry what was sent (the .p12 password above all)
@answers_plainly
def csr_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "expert/csr.html", {"form": CsrForm()})
    refused = _refusal(request, "expert/csr.html", CsrForm())
    return refused or _csr_result(request)


@csrf_protect
def _csr_result(request: HttpRequest) -> HttpResponse:
    form = CsrForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, "expert/csr.html", {"form": form}, status=400)
    email = form.cleaned_data.get("email") or None
    parsed = read_inputs(_inputs(form), limits=engine_limits())
    requests, unreadable = [], 0
    for request_object in parsed.csrs:
        try:
            summary = summarise(request_object)
            problems = examine(request_object, email=email, summary=summary)
            findings = [f.to_dict() for f in csr_findings(request_object, problems=problems)]
        except Exception as problem:  # a part cryptography decodes only on use; the other requests still count
            logger.warning("csr check could not read a request: %s", type(problem).__name__)
            unreadable += 1
            continue
        requests.append({"summary": summary.to_dict(), "findings": findings,
                         "status": _status(findings)})
    found_instead = [] if requests or unreadable else sorted(
        {_found(e) for e in parsed.events if _found(e)} | ({"a certificate"} if parsed.certificates else set()))
    return _page(request, "expert/csr.html", {"form": form, "requests": requests, "checked": True,
                                              "found_instead": found_instead, "unreadable": unreadable},
                 status=422 if unreadable and not requests else 200)


def _found(event) -> str:
    """What the reader recognised instead of a request ("HTML page", "PKCS#12 file", ...)."""
    kind = event.details.get("kind")
    return str(kind) if kind else ""


def _status(findings: list[dict]) -> str:
    severities = {f["severity"] for f in findings}
    return "fail" if "error" in severities else "warn" if "warning" in severities else "pass"


# --- Baseline Requirements compliance and client compatibility -------------------------------------

@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()  # an error report must never carry what was sent (the .p12 password above all)
@answers_plainly
def compliance_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "expert/compliance.html", {"form": ComplianceForm()})
    refused = _refusal(request, "expert/compliance.html", ComplianceForm())
    return refused or _compliance_result(request)


@csrf_protect
def _compliance_result(request: HttpRequest) -> HttpResponse:
    form = ComplianceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, "expert/compliance.html", {"form": form}, status=400)
    try:
        report = run_diagnosis(_request(form), compliance=bool(form.cleaned_data.get("lint"))).to_dict()
    except (OverWorkBudget, KdfBusy) as problem:
        return _page(request, "expert/compliance.html", {"form": form, "problem": problem.message},
                     status=413 if isinstance(problem, OverWorkBudget) else 503)
    leaf = next((c for c in report["certificates"] if c.get("role") == "leaf"), None)
    return _page(request, "expert/compliance.html", {
        "form": form, "checked": True, "leaf": leaf, "summary": report["summary"], "status": report["status"],
        "compatibility": report["compatibility"], "compliance": report.get("compliance")})
