"""Pages of the organisation's features: reading lists, share links, the logo, the diagnose link builder."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from smimecenter.organisation import places
from smimecenter.organisation.forms import AddToReadingListForm, DiagnoseLinkForm, ShareForm
from smimecenter.organisation.models import Organisation, ReadingList, ReadingListItem
from smimecenter.organisation.sharing import create_share, live_share, rerun, too_many_shares_from
from smimecenter.tools.learn_links import with_learning
from smimecenter.tools.presentation import present
from smimecenter.tools.ratelimit import client_address
from smimecenter.tools.result_html import result_html


@dataclass(frozen=True)
class ListEntry:
    item: ReadingListItem
    place: places.ResolvedPlace


def _entries(reading_list: ReadingList) -> list[ListEntry]:
    return [ListEntry(item, item.resolved()) for item in reading_list.items.all()]


@require_safe
def reading_list(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(ReadingList, slug=slug)
    return render(request, "organisation/reading_list.html", {"reading_list": found, "entries": _entries(found)})


@require_safe
def reading_list_print(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(ReadingList, slug=slug)
    return render(request, "organisation/reading_list_print.html",
                  {"reading_list": found, "entries": _entries(found)})


@staff_member_required
@require_POST
def add_to_reading_list(request: HttpRequest) -> HttpResponse:
    form = AddToReadingListForm(request.POST)
    slug, _ = places.decode(request.POST.get("place", ""))
    back = places.resolve(slug).url or "/"
    if not form.is_valid():
        messages.error(request, "Could not add to the reading list: " + " ".join(
            str(error) for errors in form.errors.values() for error in errors))
        return HttpResponseRedirect(back)
    target: ReadingList = form.cleaned_data["reading_list"]
    page_slug, anchor = places.decode(form.cleaned_data["place"])
    last = target.items.aggregate(last=Max("position"))["last"]
    ReadingListItem.objects.create(reading_list=target, page_slug=page_slug, anchor=anchor,
                                   note=form.cleaned_data["note"], position=(last or 0) + 1)
    messages.success(request, f"Added “{places.describe(page_slug, anchor)}” to the reading list “{target.title}”.")
    return HttpResponseRedirect(back + (f"#{anchor}" if anchor else ""))


@require_POST
def share_create(request: HttpRequest) -> HttpResponse:
    if too_many_shares_from(client_address(request)):
        response = render(request, "organisation/share_problem.html", {"too_many": True}, status=429)
        response["Retry-After"] = "3600"
        return response
    form = ShareForm(request.POST)
    if not form.is_valid():
        response = render(request, "organisation/share_problem.html", {"form": form}, status=400)
        response["Cache-Control"] = "no-store"
        return response
    share, delete_token = create_share(*form.cleaned_data["offer"])
    share_url = request.build_absolute_uri(share.get_absolute_url())
    back = request.POST.get("back", "")
    response = render(request, "organisation/share_created.html", {
        "share": share,
        "share_url": share_url,
        "mailto": _mailto(share_url, share.expires_at),
        # Only a result address of this site, so the link can never lead elsewhere.
        "back": back if _RESULT_ADDRESS.fullmatch(back) else "",
        "delete_url": request.build_absolute_uri(reverse("organisation:share-delete",
                                                         args=[share.token, delete_token])),
    })
    # The delete link is shown once, on this page: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


_RESULT_ADDRESS = re.compile(r"/tools/diagnose/result/[A-Za-z0-9_-]{43}/")


def _mailto(share_url: str, expires_at) -> str:
    """A mailto: link with no recipient (the person picks their IT team) and the share link in the body."""
    body = (f"Could you look at the result of my S/MIME certificate check?\n\n{share_url}\n\n"
            f"The link works until {expires_at:%d %B %Y}.")
    return "mailto:?" + urlencode({"subject": "My S/MIME certificate check", "body": body}, quote_via=quote)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def share_view(request: HttpRequest, token: str) -> HttpResponse:
    share = live_share(token)
    if share is None:
        raise Http404("No such share, or it has expired")
    # The same result body as the result page, worded for the IT person who opens the link.
    context = present(rerun(share).to_dict(), {}, audience="colleague")
    context["finding_groups"] = with_learning(context["finding_groups"])
    return _private(render(request, "organisation/share.html", {
        **context,
        "result": result_html(request, context),
        "share": share,
        "now": timezone.now(),
        "certificate_count": share.certificates_pem.count("-----BEGIN CERTIFICATE-----"),
    }))


@require_http_methods(["GET", "HEAD", "POST"])
def share_delete(request: HttpRequest, token: str, delete_token: str) -> HttpResponse:
    share = live_share(token)
    if share is None or not share.delete_token_matches(delete_token):
        raise Http404("No such share")
    if request.method == "POST":
        share.delete()
        return _private(render(request, "organisation/share_deleted.html", {}))
    return _private(render(request, "organisation/share_delete.html", {"share": share}))


@require_safe
def logo(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.load()
    if organisation is None or not organisation.logo:
        raise Http404("No logo")
    response = HttpResponse(bytes(organisation.logo), content_type=organisation.logo_content_type)
    # The address carries a version (?v=), so a new logo gets a new address and can be cached long.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@staff_member_required
@require_safe
def diagnose_link(request: HttpRequest) -> HttpResponse:
    form = DiagnoseLinkForm(request.GET or None)
    link = form.link(settings.SITE_URL) if form.is_bound and form.is_valid() else None
    return render(request, "organisation/diagnose_link.html", {"form": form, "link": link})
