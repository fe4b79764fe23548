"""The admin pages where staff manage the organisation's setup, reading lists, notes and share links."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from smimecenter.diagnostics.wording import counted
from smimecenter.organisation import places
from smimecenter.organisation.forms import OrganisationForm, OrganisationNoteForm, ReadingListItemForm
from smimecenter.organisation.models import (
    Organisation,
    OrganisationNote,
    OrganisationTrustAnchor,
    ReadingList,
    ReadingListItem,
    SharedDiagnosis,
)
from smimecenter.organisation.sharing import purge_expired


def _place_state(obj: ReadingListItem | OrganisationNote) -> str:
    place = obj.resolved()
    if place.ok:
        return mark_safe('<span class="org-ok">Found</span>')
    return format_html('<strong class="org-problem">Points nowhere:</strong> {}', place.problem)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    fields = ["name", "current_logo", "logo_upload", "remove_logo"]
    readonly_fields = ["current_logo"]

    @admin.display(description="Current logo")
    def current_logo(self, obj: Organisation) -> str:
        if not obj.pk or not obj.logo:
            return "No logo: the header shows the name only."
        return format_html('<img src="/organisation/logo/?v={}" alt="Current logo" class="org-logo-preview">',
                           int(obj.updated_at.timestamp()))

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One organisation per site.
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        organisation = Organisation.load()
        if organisation is None:
            return HttpResponseRedirect(reverse("admin:organisation_organisation_add"))
        return HttpResponseRedirect(reverse("admin:organisation_organisation_change", args=[organisation.pk]))


@admin.register(OrganisationTrustAnchor)
class OrganisationTrustAnchorAdmin(admin.ModelAdmin):
    list_display = ["subject", "note", "not_after", "validity"]
    readonly_fields = ["subject", "not_after", "validity", "sha256", "report_name"]
    search_fields = ["subject", "note"]

    def get_fields(self, request: HttpRequest, obj: OrganisationTrustAnchor | None = None) -> list[str]:
        if obj is None:
            return ["pem", "note"]
        return ["subject", "not_after", "validity", "sha256", "report_name", "pem", "note"]

    @admin.display(description="Valid now")
    def validity(self, obj: OrganisationTrustAnchor) -> str:
        if obj.expired:
            return format_html('<strong class="org-problem">Expired</strong>: chains under it fail.')
        days = (obj.not_after - timezone.now()).days
        return f"Yes, for {days} more days"

    @admin.display(description="Reports call it")
    def report_name(self, obj: OrganisationTrustAnchor) -> str:
        from smimecenter.organisation.trust import store_name

        organisation = Organisation.load()
        return f"Trusted by {store_name(obj.note, organisation.name if organisation else '')}"


class ReadingListItemInline(admin.TabularInline):
    model = ReadingListItem
    form = ReadingListItemForm
    fields = ["place", "note", "position", "state"]
    readonly_fields = ["state"]
    extra = 3

    @admin.display(description="Link")
    def state(self, obj: ReadingListItem) -> str:
        return _place_state(obj) if obj.pk else "–"


@admin.register(ReadingList)
class ReadingListAdmin(admin.ModelAdmin):
    list_display = ["title", "public_link", "item_count", "link_problems"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "introduction", "diagnose_link"]
    readonly_fields = ["diagnose_link"]
    inlines = [ReadingListItemInline]
    search_fields = ["title", "slug"]

    @admin.display(description="Public page")
    def public_link(self, obj: ReadingList) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.display(description="Items")
    def item_count(self, obj: ReadingList) -> int:
        return obj.items.count()

    @admin.display(description="Items that point nowhere")
    def link_problems(self, obj: ReadingList) -> str:
        broken = [item for item in obj.items.all() if not item.resolved().ok]
        if not broken:
            return "None"
        return format_html('<strong class="org-problem">{}</strong>: {}', len(broken),
                           format_html_join("; ", "{}", ((str(item),) for item in broken)))

    @admin.display(description="Diagnose link for this list")
    def diagnose_link(self, obj: ReadingList) -> str:
        if not obj.pk:
            return "Save the list first."
        return format_html('<a href="{}?reading_list={}">Build a diagnose link that comes back to this list</a>',
                           reverse("organisation:diagnose-link"), obj.slug)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None):
        reading_list = self.get_object(request, object_id)
        if reading_list is not None and request.method == "GET":
            for item in reading_list.items.all():
                place = item.resolved()
                if not place.ok:
                    messages.warning(request, f"Item {item.position} ({places.encode(item.page_slug, item.anchor)}) "
                                              f"points nowhere: {place.problem} Readers see it without a link "
                                              "until you pick another article or section.")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(OrganisationNote)
class OrganisationNoteAdmin(admin.ModelAdmin):
    form = OrganisationNoteForm
    list_display = ["__str__", "excerpt", "state"]
    fields = ["place", "body"]

    @admin.display(description="Note")
    def excerpt(self, obj: OrganisationNote) -> str:
        return obj.body if len(obj.body) <= 80 else obj.body[:79] + "…"

    @admin.display(description="Shown")
    def state(self, obj: OrganisationNote) -> str:
        return _place_state(obj)


@admin.register(SharedDiagnosis)
class SharedDiagnosisAdmin(admin.ModelAdmin):
    list_display = ["created_at", "email", "diagnosed_at", "expires_at", "open_link"]
    fields = ["email", "diagnosed_at", "created_at", "expires_at", "certificates_pem"]
    readonly_fields = fields
    actions = ["purge_expired_shares"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False   # shares are made by the person who ran a check, from the result page

    def has_change_permission(self, request: HttpRequest, obj: SharedDiagnosis | None = None) -> bool:
        return False

    @admin.display(description="Link")
    def open_link(self, obj: SharedDiagnosis) -> str:
        if obj.is_expired():
            return "Expired"
        return format_html('<a href="{}">Open</a>', obj.get_absolute_url())

    @admin.action(description="Delete every expired share (not only the selected ones)")
    def purge_expired_shares(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = purge_expired()
        self.message_user(request, f"Deleted {counted(count, 'expired share')}.")
