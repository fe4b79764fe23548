"""Expert tools: the PKCS#12 inspector, the CSR checker, and BR compliance with client compatibility.

Like the certificate check, nothing sent here is stored or logged: uploads stay in memory (the check
page's upload handler), the engine gets bytes, and every result page is marked no-store.
"""
from __future__ import annotations

import logging
import shlex

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from smimecenter.diagnostics.checks.csr import csr_findings
from smimecenter.diagnostics.csr_check import examine, summarise
from smimecenter.diagnostics.inputs import read_inputs

from .forms import BoundedCharField, BoundedEmailField, DiagnosisRequest, TooLarge, upload_name
from .ratelimit import over_limit, retry_after_seconds
from .results import RESULT_LIFETIME_SECONDS, keep_page, kept_page
from .running import KdfBusy, OverWorkBudget, engine_limits, run_diagnosis
from .safety import answers_plainly
from .text import printable
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


def _redirect_to_result(tool: str, context: dict) -> HttpResponse:
    """Keep what the result page shows (results.py) and send the browser there with a GET (303), so
    Back and refresh never post the form again. The form (and the file in it) is not kept."""
    token = keep_page(tool, {key: value for key, value in context.items() if key != "form"})
    return HttpResponseRedirect(reverse("expert-result", args=[tool, token]), status=303)


@never_cache  # no-store, like the tools' own pages
@require_safe
def expert_result(request: HttpRequest, tool: str, token: str) -> HttpResponse:
    if tool not in _TOOLS:
        raise Http404("No such tool")
    template, form_class = _TOOLS[tool]
    kept = kept_page(tool, token)
    if kept is None:
        return _page(request, template, {"form": form_class(), "problem": (
            f"This result is no longer here: results are kept for {RESULT_LIFETIME_SECONDS // 60} minutes "
            "after a check, then forgotten. Run the check again to see it.")}, status=404)
    return _page(request, template, {**kept, "form": form_class()})


def _refusal(request: HttpRequest, template: str, form: forms.Form) -> HttpResponse | None:
    """A friendly page when the body is too large or the client is over its per-minute limit."""
    try:
        read_form_body(request)
    except TooLarge as problem:
        return _page(request, template, {"form": form, "problem": problem.message}, status=413)
    except MalformedBody as problem:
        return _page(request, template, {"form": form, "problem": str(problem)}, status=400)
    if over_limit(request):
        # What was pasted or typed comes back in the form (never a password; files cannot be put back).
        typed = (forms.Textarea, forms.TextInput, forms.EmailInput)
        kept = {name: request.POST[name] for name, field in form.fields.items()
                if isinstance(field.widget, typed) and name in request.POST}
        response = _page(request, template, {
            "form": type(form)(initial=kept),
            "problem": "There have been many checks from your address just now. "
                       f"Send the form again in {retry_after_seconds()} seconds."}, status=429)
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
    name = form.cleaned_data["file"].name
    quoted = _quoted_file_name(name)
    files = [dict(file, repackage=_own_commands(file.get("repackage") or (), quoted, number))
             for number, file in enumerate(report["pkcs12"])]
    findings = [dict(f, fix=str(f.get("fix") or "").replace(_EXAMPLE_FILE, quoted))
                for f in report["findings"] if str(f["code"]).startswith(("pkcs12.", "input."))
                or f["code"] == "chain.private_root_not_supplied"]
    return _redirect_to_result("pkcs12", {
        "files": files, "findings": findings, "summary": report["summary"], "status": report["status"], "name": name})


# The engine's commands and advice name the file `yours.p12`; the page shows the person's own file name.
_EXAMPLE_FILE = "yours.p12"


def _quoted_file_name(file_name: str) -> str:
    # Quoted for a POSIX shell, so that spaces or quotes in the name cannot change the command.
    return shlex.quote(printable(file_name)[:120] or _EXAMPLE_FILE)


def _own_commands(commands, quoted_name: str, number: int) -> list[dict[str, str]]:
    return [dict(command, id=f"command-{number}-{index}", commands=command["commands"].replace(_EXAMPLE_FILE, quoted_name))
            for index, command in enumerate(commands)]


# The example address in the CSR checker's advice, replaced by the address the person typed.
_EXAMPLE_ADDRESS = "you@example.com"


def _own_address(findings: list[dict], email: str | None) -> list[dict]:
    if not email or '"' in email or "\\" in email:
        return findings
    return [dict(f, fix=str(f.get("fix") or "").replace(_EXAMPLE_ADDRESS, email)) for f in findings]


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
            findings = _own_address([f.to_dict() for f in csr_findings(request_object, problems=problems)], email)
        except Exception as problem:  # a part cryptography decodes only on use; the other requests still count
            logger.warning("csr check could not read a request: %s", type(problem).__name__)
            unreadable += 1
            continue
        requests.append({"summary": summary.to_dict(), "findings": findings,
                         "status": _status(findings)})
    found_instead = [] if requests or unreadable else sorted(
        {_found(e) for e in parsed.events if _found(e)} | ({"a certificate"} if parsed.certificates else set()))
    return _redirect_to_result("csr", {"requests": requests, "checked": True, "found_instead": found_instead,
                                       "unreadable": unreadable})


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
    return _redirect_to_result("compliance", {
        "checked": True, "leaf": leaf, "summary": report["summary"], "status": report["status"],
        "compatibility": report["compatibility"], "compliance": report.get("compliance")})


# Each tool's page and form, for its result address (/tools/<tool>/result/<token>/).
_TOOLS = {
    "pkcs12": ("expert/pkcs12.html", Pkcs12Form),
    "csr": ("expert/csr.html", CsrForm),
    "compliance": ("expert/compliance.html", ComplianceForm),
}
