"""Forms of the admin and of the organisation's pages; each error message says what to do."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from smimecenter.organisation import places
from smimecenter.organisation.logo import MAX_LOGO_BYTES, Logo, LogoProblem, read_logo
from smimecenter.organisation.models import Organisation, OrganisationNote, ReadingList, ReadingListItem
from smimecenter.organisation.sharing import NothingToShare, read_offer


class PlaceChoiceField(forms.ChoiceField):
    """An article or one of its sections, picked from what the site holds now."""

    def __init__(self, *args: object, sections: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        # A callable: the list is made when a form is shown, from the content loaded then.
        self.choices = self._current_choices

    def _current_choices(self) -> list:
        return [("", "Choose an article or a section…"), *places.choices(sections=self.sections)]


class _PlaceFormMixin:
    """Splits the chosen place into page_slug and anchor, and keeps a stale place visible as it is."""

    def _set_up_place(self) -> None:
        form: forms.ModelForm = self  # type: ignore[assignment]
        instance = form.instance
        if instance.pk:
            stored = places.encode(instance.page_slug, instance.anchor)
            place = places.resolve(instance.page_slug, instance.anchor)
            # A renamed article is offered under its new slug, so saving moves the item along with it.
            form.initial["place"] = places.encode(place.page.slug, instance.anchor) if place.ok else stored
            if not place.ok:
                # Keep the stored value choosable so the form can be saved while it is being fixed.
                field = form.fields["place"]
                field.choices = [(stored, f"{places.describe(instance.page_slug, instance.anchor)} (no longer exists)"),
                                 *field._current_choices()]

    def clean_place(self) -> str:
        value = self.cleaned_data["place"]  # type: ignore[attr-defined]
        slug, anchor = places.decode(value)
        instance = self.instance  # type: ignore[attr-defined]
        unchanged = instance.pk and (slug, anchor) == (instance.page_slug, instance.anchor)
        if not unchanged and not places.resolve(slug, anchor).ok:
            raise ValidationError("That article or section does not exist on this site. Pick one from the list.")
        return value

    def _apply_place(self, instance: ReadingListItem | OrganisationNote) -> None:
        slug, anchor = places.decode(self.cleaned_data["place"])  # type: ignore[attr-defined]
        instance.page_slug, instance.anchor = slug, anchor


class ReadingListItemForm(_PlaceFormMixin, forms.ModelForm):
    place = PlaceChoiceField(label="Article or section",
                             help_text="An item follows its article when the article is renamed.")

    class Meta:
        model = ReadingListItem
        fields = ["position", "note"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._set_up_place()
        self.order_fields(["place", "note", "position"])

    def save(self, commit: bool = True) -> ReadingListItem:
        self._apply_place(self.instance)
        return super().save(commit)


class OrganisationNoteForm(_PlaceFormMixin, forms.ModelForm):
    place = PlaceChoiceField(label="Article or section",
                             help_text="The note appears right under this section's heading, "
                                       "or at the top of the article.")

    class Meta:
        model = OrganisationNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._set_up_place()
        self.order_fields(["place", "body"])

    def save(self, commit: bool = True) -> OrganisationNote:
        self._apply_place(self.instance)
        return super().save(commit)


class OrganisationForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label="Logo", required=False,
        help_text="PNG or JPEG, at most 200 KB and 2000 pixels a side. Shown in the header next to the name.")
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = Organisation
        fields = ["name"]

    def clean_logo_upload(self) -> Logo | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        # Read one byte past the limit: enough to know the file is too large without reading it all.
        data = upload.read(MAX_LOGO_BYTES + 1)
        try:
            return read_logo(data)
        except LogoProblem as problem:
            raise ValidationError(str(problem)) from None

    def save(self, commit: bool = True) -> Organisation:
        organisation = super().save(commit=False)
        logo = self.cleaned_data.get("logo_upload")
        if logo is not None:
            organisation.logo, organisation.logo_content_type = logo.data, logo.content_type
        elif self.cleaned_data.get("remove_logo"):
            organisation.logo, organisation.logo_content_type = None, ""
        if commit:
            organisation.save()
        return organisation


class ShareForm(forms.Form):
    """What the "share this result" offer posts back: the server's own signed offer, nothing else.

    Certificates, address and check time are taken from the signed offer; anything else posted is ignored.
    """

    offer = forms.CharField(widget=forms.HiddenInput, max_length=200_000,
                            error_messages={"required": "The request to create a share link was incomplete."})

    def clean_offer(self) -> tuple[list[bytes], str | None, dt.datetime]:
        try:
            certificates, email, diagnosed_at = read_offer(self.cleaned_data["offer"])
        except NothingToShare as problem:
            raise ValidationError(str(problem)) from None
        return certificates, email, min(diagnosed_at, timezone.now())


class AddToReadingListForm(forms.Form):
    """The staff-only form on each article."""

    reading_list = forms.ModelChoiceField(queryset=ReadingList.objects.all(), empty_label=None,
                                          label="Reading list")
    place = forms.ChoiceField(label="Part of the article")
    note = forms.CharField(label="Note for readers (optional)", required=False, max_length=300)

    def __init__(self, *args: object, page=None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None:
            self.fields["place"].choices = places.page_choices(page)
        else:
            self.fields["place"].choices = [option for _, options in places.choices() for option in options]

    def clean_place(self) -> str:
        value = self.cleaned_data["place"]
        slug, anchor = places.decode(value)
        if not places.resolve(slug, anchor).ok:
            raise ValidationError("That article or section does not exist on this site.")
        return value


class DiagnoseLinkForm(forms.Form):
    """Builds /tools/diagnose/?email=…&list=… for staff to send."""

    email = forms.EmailField(label="Email address to prefill", required=False,
                             help_text="The address the person sends from. Leave empty to let them type it.")
    reading_list = forms.ModelChoiceField(
        queryset=ReadingList.objects.all(), required=False, label="Reading list to go back to",
        empty_label="None", to_field_name="slug")

    def link(self, base: str) -> str:
        query = {}
        if self.cleaned_data.get("email"):
            query["email"] = self.cleaned_data["email"]
        if self.cleaned_data.get("reading_list"):
            query["list"] = self.cleaned_data["reading_list"].slug
        return f"{base}/tools/diagnose/" + (f"?{urlencode(query)}" if query else "")

