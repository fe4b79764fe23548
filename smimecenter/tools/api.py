"""POST /api/v1/diagnose: the engine's report as JSON, for scripts and help-desk tools.

Stateless and cookie-free, hence exempt from CSRF: it acts on nothing but the request itself. Every
answer is JSON, errors included (`{"error": {"code": ..., "message": ...}}`).
"""
from __future__ import annotations

import base64
import dataclasses
import binascii
import json
import logging
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters

from .forms import DiagnoseForm, DiagnosisRequest, TooLarge, check_limits, size_in_words
from .ratelimit import over_limit, retry_after_seconds
from .online import OnlineNotAllowed
from .running import BadTrustAnchor, KdfBusy, OverWorkBudget, run_diagnosis
from .uploads import MalformedBody, content_length, read_form_body

logger = logging.getLogger(__name__)

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Where a script adds its own root: the request's field (a JSON list of PEM texts, or form files).
ADD_ROOT_IN_THE_API = "to the request\u2019s \u201ctrust\u201d field"
# Base64 makes files a third larger; the rest of a JSON body is small.
JSON_OVERHEAD_BYTES = 64 * 1024


class BadRequest(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@csrf_exempt
@sensitive_post_parameters()  # an error report must never carry what was sent
def diagnose_api(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return error(405, "method_not_allowed", "Send the certificates with POST.", Allow="POST")
    if over_limit(request):
        return error(429, "rate_limited", "Too many checks from your address in the last minute; try again shortly.",
                     Retry_After=str(retry_after_seconds()))
    try:
        if request.content_type == "application/json":
            diagnosis = _from_json(request)
        elif request.content_type in FORM_TYPES:
            diagnosis = _from_form(request)
        else:
            return error(415, "unsupported_media_type",
                         "Send multipart/form-data or application/json (see /api/v1/openapi.json).")
        report = run_diagnosis(diagnosis)
    except TooLarge as problem:
        return error(413, "too_large", problem.message)
    except BadRequest as problem:
        return error(400, problem.code, problem.message)
    except MalformedBody as problem:
        return error(400, "invalid_body", str(problem))
    except BadTrustAnchor as problem:
        return error(400, "bad_trust_anchor", str(problem))
    except OverWorkBudget as problem:
        return error(413, "over_work_budget", problem.message)
    except KdfBusy as problem:
        return error(503, "busy", problem.message, Retry_After=str(KdfBusy.RETRY_AFTER_SECONDS))
    except OnlineNotAllowed as problem:
        return error(400, "invalid_field", str(problem))
    except Exception as problem:  # a script must get JSON even from a bug; the log names only the error type
        logger.error("diagnosis failed: %s", type(problem).__name__)
        return error(500, "internal_error", "The check failed on our side; nothing you sent was kept.")
    response = JsonResponse(report.to_dict(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _from_form(request: HttpRequest) -> DiagnosisRequest:
    read_form_body(request)
    form = DiagnoseForm(request.POST, request.FILES)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        where = "" if field == "__all__" else f"{field}: "
        raise BadRequest("empty" if field == "__all__" else "invalid_field", where + " ".join(messages))
    return dataclasses.replace(form.to_request(), add_root_where=ADD_ROOT_IN_THE_API)


def _from_json(request: HttpRequest) -> DiagnosisRequest:
    limit = settings.DIAGNOSE_MAX_INPUT_BYTES
    body_limit = math.ceil(limit * 4 / 3) + JSON_OVERHEAD_BYTES
    declared = content_length(request)
    if declared > body_limit:
        raise TooLarge(f"The request is {size_in_words(declared)}; the API reads at most "
                       f"{size_in_words(limit)} of certificates (base64 in JSON adds a third).")
    # Read the stream directly: request.body would apply Django's form-sized limit.
    body = request.read(body_limit + 1)
    if len(body) > body_limit:
        raise TooLarge(f"The request is larger than the API reads; send at most {size_in_words(limit)} of certificates.")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("invalid_json", "The body is not valid JSON.") from None
    except RecursionError:  # the decoder recurses once per level; our document is two levels deep
        raise BadRequest("invalid_json", "The body nests too deeply; send one flat JSON object.") from None
    if not isinstance(document, dict):
        raise BadRequest("invalid_json", "The body must be a JSON object.")
    unknown = sorted(set(document) - {"text", "files", "email", "password", "trust", "online"})
    if unknown:
        raise BadRequest("unknown_field", f"Unknown field(s): {', '.join(unknown)}.")
    text = _optional_string(document, "text")
    files = [_base64(item, f"files[{index}]")
             for index, item in enumerate(_string_list(document, "files"))]
    trust = [item.encode("utf-8") for item in _string_list(document, "trust")]
    inputs = ([text.encode("utf-8")] if text and text.strip() else []) + files
    if not inputs:
        raise BadRequest("empty", "Send a certificate in `text` or `files`.")
    check_limits(size=sum(map(len, inputs)) + sum(map(len, trust)), files=len(files) + len(trust))
    email = _optional_string(document, "email")
    if email:
        try:
            # The same rule as the form's EmailField, so both request forms accept the same addresses.
            validate_email(email)
        except ValidationError:
            raise BadRequest("invalid_field", "email: enter a valid email address.") from None
    names = (["text"] if text and text.strip() else []) + [f"files[{index}]" for index in range(len(files))]
    online = document.get("online")
    if online is not None and not isinstance(online, bool):
        raise BadRequest("invalid_field", "online: must be true or false.")
    return DiagnosisRequest(inputs=inputs, names=names, email=email or None,
                            password=_optional_string(document, "password") or None, trust=trust,
                            online=online, add_root_where=ADD_ROOT_IN_THE_API)


def _optional_string(document: dict, name: str) -> str | None:
    value = document.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest("invalid_field", f"{name}: must be a string.")
    return _unicode(value, name) if value is not None else None


def _unicode(value: str, where: str) -> str:
    """JSON can carry lone surrogates (\\ud800), which are not text and cannot become UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("invalid_field", f"{where}: holds characters that are not valid Unicode.") from None
    return value


def _string_list(document: dict, name: str) -> list[str]:
    value = document.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadRequest("invalid_field", f"{name}: must be a list of strings.")
    return [_unicode(item, f"{name}[{index}]") for index, item in enumerate(value)]


def _base64(value: str, where: str) -> bytes:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("invalid_field", f"{where}: is not valid base64.") from None
