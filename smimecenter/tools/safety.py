"""The last line of defence of the tool pages: whatever goes wrong, a person gets a page, never a 500.

Bad input is normal input, so the engine turns it into findings; this net is for what slipped past (an
engine defect on a crafted file). It logs one line (the view and the error's type, never the input and
never a traceback: a crafted upload must not flood the logs) and answers 422 with plain words.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("smimecenter.tools")

# Django turns these into their own 4xx answers; they are not failures.
_DJANGO_ANSWERS = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)


def answers_plainly(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _DJANGO_ANSWERS:
            raise
        except Exception as problem:
            logger.error("%s could not answer: %s", view.__name__, type(problem).__name__)
            return render(request, "tools/problem.html", {
                "title": "This could not be checked",
                "message": "Something in what you sent could not be read, and the check stopped. Nothing you "
                           "sent was kept. Try the certificate on its own, or export it again from the program "
                           "that made it.",
                "nav": "tools"}, status=422)
    return guarded
