"""The certificate-check page, its result, and the API's documentation page.

Nothing a person sends is stored or logged: the body is parsed in memory (see uploads.py) and the
engine gets bytes. The report (public certificates and findings, never keys, passwords or messages)
is kept for 15 minutes behind a random token, and the browser is sent to the result's own address
(post, redirect, get): Back, refresh and "Learn more" then work. The result is marked no-store so
that no cache along the way keeps it.

One answer is not kept: when a .p12 password did not open the file, the page asks for the password
again at once (200, no-store), with the check's inputs carried in the form (see recheck.py).
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from smimecenter.learn.library import Page

from .forms import DiagnoseForm, DiagnosisRequest, TooLarge, size_in_words
from .openapi import openapi_document
from .learn_links import with_learning
from .presentation import present
from .ratelimit import over_limit, retry_after_seconds
from . import input_help, recheck
from .error_messages import page_for_pasted_error
from .examples import EXAMPLES, example_request
from .result_frame import framed
from .result_html import result_page_html
from .results import RESULT_LIFETIME_SECONDS, kept_result, keep_result
from .running import BadTrustAnchor, KdfBusy, OverWorkBudget, run_diagnosis
from .safety import answers_plainly
from .uploads import MalformedBody, read_form_body


def _form_page(request: HttpRequest, form: DiagnoseForm, *, status: int = 200) -> HttpResponse:
    response = render(request, "tools/diagnose.html", {
        "form": form,
        "nav": "tools",
        "max_input": size_in_words(settings.DIAGNOSE_MAX_INPUT_BYTES),
        "max_files": settings.DIAGNOSE_MAX_FILES,
        # Inputs that came back from a re-check form go back again with this form (never stored).
        "carried": form.carried,
        "examples": EXAMPLES,
        "input_help": input_help.APPS,
        "input_guide": input_help.GUIDE,
    }, status=status)
    if form.carried:
        response["Cache-Control"] = "no-store"
    return response


def _problem_page(request: HttpRequest, *, title: str, message: str, status: int,
                  headers: dict[str, str] | None = None) -> HttpResponse:
    response = render(request, "tools/problem.html", {"title": title, "message": message, "nav": "tools"},
                      status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _wait_page(request: HttpRequest) -> HttpResponse:
    """The form again, with what was pasted and typed still in it (never the password or a private key,
    and files cannot be put back into a file input), and a word on when to send it."""
    wait = retry_after_seconds()
    try:
        carried = recheck.carried_from(request.POST)
    except recheck.BadCarriedInput:
        carried = None
    form = DiagnoseForm(initial={"text": recheck.text_without_private_keys(request.POST.get("text", "")),
                                 "email": request.POST.get("email", "")[:320]},
                        carried=carried)
    form.errors  # noqa: B018  (an unbound form's errors start empty; the notice is added to them)
    form.cleaned_data = {}
    form.add_error(None, "There have been many checks from your address just now. What you pasted is still "
                         f"here: send the form again in {wait} second{'s' if wait != 1 else ''}"
                         " (add any files again).")
    response = _form_page(request, form, status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


# The upload handlers must be swapped before anything reads the body, and CsrfViewMiddleware reads
# it; so the middleware is skipped here and csrf_protect checks the token right after (Django's
# documented pattern for custom upload handlers).
@csrf_exempt
@sensitive_post_parameters()  # an error report must never carry what was sent
@require_http_methods(["GET", "HEAD", "POST"])
@answers_plainly
def diagnose_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        prefill = {"email": request.GET.get("email", "")[:320]}
        return _form_page(request, DiagnoseForm(initial=prefill))
    try:
        read_form_body(request)
    except TooLarge as problem:
        return _problem_page(request, title="That is more than the check can read", message=problem.message,
                             status=413)
    except MalformedBody as problem:
        return _problem_page(request, title="The form did not arrive whole", message=str(problem), status=400)
    return _diagnose(request)


@csrf_protect
def _diagnose(request: HttpRequest) -> HttpResponse:
    if over_limit(request):
        return _wait_page(request)
    if "example" in request.POST:
        return _run_example(request)
    try:
        carried = recheck.carried_from(request.POST)
    except recheck.BadCarriedInput as problem:
        form = DiagnoseForm(request.POST, request.FILES)
        form.is_valid()
        form.add_error(None, str(problem))
        return _form_page(request, form, status=400)
    form = DiagnoseForm(request.POST, request.FILES, carried=carried)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    troubleshooting = _pasted_error_page(form)
    if troubleshooting is not None:
        # An error message from a mail app is a question, not something to check: its page answers it.
        return HttpResponseRedirect(troubleshooting.url, status=303)
    try:
        diagnosis = form.to_request()
    except TooLarge as problem:
        return _problem_page(request, title="That is more than the check can read", message=problem.message,
                             status=413)
    try:
        report = run_diagnosis(diagnosis)
    except BadTrustAnchor as problem:
        form.add_error("trust", str(problem))
        return _form_page(request, form, status=400)
    except OverWorkBudget as problem:
        return _problem_page(request, title="That is more work than one check may do", message=problem.message,
                             status=413)
    except KdfBusy as problem:
        return _problem_page(request, title="Please try again in a few seconds", message=problem.message,
                             status=503, headers={"Retry-After": str(KdfBusy.RETRY_AFTER_SECONDS)})
    kept = report.to_dict()
    if recheck.could_not_open(kept):
        return _password_page(request, diagnosis, kept)
    token = keep_result(kept, email=diagnosis.email or "", reading_list=request.POST.get("list", ""),
                        roots=recheck.root_certificates(diagnosis.trust))
    # 303: the browser asks for the result with GET, so Back and refresh never send the form again.
    return HttpResponseRedirect(reverse("diagnose-result", args=[token]), status=303)


def _password_page(request: HttpRequest, diagnosis: DiagnosisRequest, report: dict) -> HttpResponse:
    """The .p12 file was not opened: ask for the password again, the file riding along in the form.

    Answered directly, never kept behind a token: the inputs travel back in this page only (no-store).
    The password itself is never written back.
    """
    wrong = recheck.password_was_wrong(report)
    tries = _tries(request) + (1 if wrong else 0)
    inputs, names = recheck.without_private_keys(diagnosis.inputs, diagnosis.names)
    carried = recheck.Carried(inputs=inputs, names=names, trust=diagnosis.trust)
    files = _unopened_files(diagnosis, report)
    response = render(request, "tools/password_retry.html", {
        "nav": "tools",
        "verdict": report["verdict"],
        "wrong": wrong,
        "tries": tries,
        "files": files,
        "carried_fields": carried.fields(),
        "email": diagnosis.email or "",
        "reading_list": request.POST.get("list", "")[:80],
    })
    response["Cache-Control"] = "no-store"
    return response


def _run_example(request: HttpRequest) -> HttpResponse:
    """"Try an example": the ordinary check of a committed example, kept and shown like any result."""
    diagnosis = example_request(request.POST.get("example", ""))
    if diagnosis is None:
        return _problem_page(request, title="There is no such example",
                             message="Choose one of the examples on the certificate check page.", status=400)
    report = run_diagnosis(diagnosis)
    token = keep_result(report.to_dict(), reading_list=request.POST.get("list", ""),
                        roots=recheck.root_certificates(diagnosis.trust))
    return HttpResponseRedirect(reverse("diagnose-result", args=[token]), status=303)


def _pasted_error_page(form: DiagnoseForm) -> Page | None:
    """The troubleshooting page for a pasted error message, when only text was sent; else None."""
    cleaned = form.cleaned_data
    if cleaned.get("file") or cleaned.get("trust") or form.carried:
        return None
    return page_for_pasted_error(cleaned.get("text") or "")


def _unopened_files(diagnosis: DiagnosisRequest, report: dict) -> list[str]:
    """The person's names for the .p12 files that were not opened ("“alice.p12”")."""
    return [diagnosis.name_of(str(item.get("origin") or "")) for item in report.get("pkcs12", ())
            if not item.get("opened")]


def _tries(request: HttpRequest) -> int:
    """Wrong passwords so far for these files, as the retry form counted them (only words depend on it)."""
    value = request.POST.get("tries", "")
    return min(int(value), 100) if value.isdigit() and len(value) < 4 else 0


@require_safe
def result_page(request: HttpRequest, token: str) -> HttpResponse:
    kept = kept_result(token)
    if kept is None:
        response = _problem_page(
            request, title="This result is no longer here",
            message=f"Results are kept for {RESULT_LIFETIME_SECONDS // 60} minutes after a check, then "
                    "forgotten. Run the check again to see it.",
            status=404)
    else:
        context = present(kept.report, {})
        context["finding_groups"] = with_learning(context["finding_groups"])
        context.update({"nav": "tools", "email": kept.email, "reading_list": kept.reading_list,
                        "recheck": recheck.offer(kept.report, kept.roots)})
        response = HttpResponse(framed(request, str(context["verdict"]["headline"]), result_page_html(request, context)))
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def api_page(request: HttpRequest) -> HttpResponse:
    return render(request, "api/index.html", {
        "nav": "tools",
        "max_input": size_in_words(settings.DIAGNOSE_MAX_INPUT_BYTES),
        "max_files": settings.DIAGNOSE_MAX_FILES,
        "rate": settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE,
    })


@require_safe
def openapi_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(openapi_document(), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
