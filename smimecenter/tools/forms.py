"""The certificate-check form, shared by the page and the API's multipart requests.

Field names are the API's names (`text`, `file`, `email`, `password`, `trust`), so one form
validates both. Uploaded files are read into memory here and handed on as bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .recheck import Carried


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files at once (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# Where the certificate check's form takes a person's own root (templates/tools/diagnose.html and the
# result's "check again" form): fixes that ask for the root end with these words on the web.
ADD_ROOT_ON_THE_FORM = "under \u201cMy organisation runs its own certificate authority\u201d"


@dataclass
class DiagnosisRequest:
    """What one diagnosis needs, whichever way it arrived: only bytes and strings, nothing on disk."""

    inputs: list[bytes] = field(default_factory=list)
    email: str | None = None
    password: str | None = None
    trust: list[bytes] = field(default_factory=list)
    online: bool | None = None  # None: as the site is set up (DIAGNOSE_ONLINE)
    # What a person calls each input ("alice.p12", "the pasted text"), in the order of `inputs`.
    names: list[str] = field(default_factory=list)
    # How the result names the roots in `trust` (None: "your organisation's root"; the examples name theirs).
    trust_name: str | None = None
    # Where the person adds a root, in the words of the way they asked (the API says its own).
    add_root_where: str = ADD_ROOT_ON_THE_FORM

    def name_of(self, origin: str) -> str:
        """The person's name for an engine origin ("the input", "input 2", "input 2, attachment x.p12")."""
        head = origin.split(",", 1)[0]
        if head == "the input":
            index = 0
        elif head.startswith("input ") and head[6:].isdigit():
            index = int(head[6:]) - 1
        else:
            return origin
        return self.names[index] + origin[len(head):] if index < len(self.names) else origin

    @property
    def size(self) -> int:
        return sum(len(item) for item in self.inputs) + sum(len(item) for item in self.trust)


class EchoesAtMostMaxLength:
    """A field that, shown again after an error, gives back at most max_length characters of what was sent.

    A 1 MB value in a 320-character field must not come back whole in the page (nor grow every retry).
    """

    max_length: int | None

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return data[: self.max_length] if self.max_length and isinstance(data, str) else data


class BoundedEmailField(EchoesAtMostMaxLength, forms.EmailField):
    pass


class BoundedCharField(EchoesAtMostMaxLength, forms.CharField):
    pass


class TooLarge(Exception):
    """The inputs together are larger than DIAGNOSE_MAX_INPUT_BYTES, or there are too many files."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def size_in_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def check_limits(*, size: int, files: int) -> None:
    """Raise TooLarge with words a person understands when a request is over a limit."""
    limit = settings.DIAGNOSE_MAX_INPUT_BYTES
    if size > limit:
        raise TooLarge(f"That is {size_in_words(size)} of data; the check reads at most "
                       f"{size_in_words(limit)} at once. Certificates are small (a few KB each): "
                       "leave out attachments and anything that is not a certificate, a .p12 file or a signed email.")
    if files > settings.DIAGNOSE_MAX_FILES:
        raise TooLarge(f"That is {files} files; the check reads at most {settings.DIAGNOSE_MAX_FILES} at once.")


def upload_name(upload: UploadedFile) -> str:
    """A file's name as its sender gave it, shortened: it is shown back in messages."""
    name = (upload.name or "the file").strip()
    return f"“{name[:60]}…”" if len(name) > 60 else f"“{name}”"


PASTED_TEXT_NAME = "the pasted text"


class DiagnoseForm(forms.Form):
    text = forms.CharField(
        label="Paste a certificate, a chain or a signed email", required=False, strip=False,
        widget=forms.Textarea(attrs={
            "rows": 10, "spellcheck": "false", "autocomplete": "off", "autocapitalize": "off",
            "placeholder": "-----BEGIN CERTIFICATE-----\u2026",
            "aria-describedby": "text-help",
        }),
    )
    file = MultipleFileField(
        label="Or choose files", required=False,
        help_text=".pem, .crt, .cer, .der, .p7b, .p7s, .p12, .pfx, .eml or Outlook's .msg; several at once are fine.",
        widget=MultipleFileInput(attrs={"aria-describedby": "file-help"}),
    )
    email = BoundedEmailField(
        label="The address you send from (optional)", required=False, max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "aria-describedby": "email-help"}),
        help_text="We check that the certificate names it.",
    )
    password = forms.CharField(
        label="Password of the .p12 / .pfx file", required=False, strip=False, max_length=1024,
        # Never written back into the page, even when the form is shown again with an error.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off",
                                                              "aria-describedby": "password-help"}),
        help_text="Only needed for a .p12 or .pfx file. It is used once to open the file and then forgotten.",
    )
    trust = MultipleFileField(
        label="Your organisation's root certificate (optional)", required=False,
        help_text="If your organisation runs its own certificate authority, add its root so the check trusts it.",
        widget=MultipleFileInput(attrs={"aria-describedby": "trust-help"}),
    )

    # API form posts only (the page follows the site's setting): online=true|false.
    online = forms.NullBooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, carried: Carried | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The page's re-check forms send the last check's inputs back (tools/recheck.py); the API never does.
        self.carried = carried or Carried()

    def clean(self) -> dict:
        cleaned = super().clean()
        if (not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("file")
                and not self.carried.inputs):
            raise forms.ValidationError("Paste something into the box or choose a file to check.",
                                        code="empty")
        return cleaned

    def to_request(self) -> DiagnosisRequest:
        """The cleaned form as bytes; raises TooLarge before any file is read past the limit."""
        cleaned = self.cleaned_data
        uploads: list[UploadedFile] = cleaned.get("file") or []
        anchors: list[UploadedFile] = cleaned.get("trust") or []
        text: str = cleaned.get("text") or ""
        carried = self.carried
        carried_files = sum(1 for name in carried.names if name != PASTED_TEXT_NAME) + len(carried.trust)
        declared = (len(text.encode("utf-8")) + sum(f.size or 0 for f in (*uploads, *anchors)) + carried.size)
        check_limits(size=declared, files=len(uploads) + len(anchors) + carried_files)
        inputs, names = list(carried.inputs), list(carried.names)
        if text.strip():
            inputs.append(text.encode("utf-8"))
            names.append(PASTED_TEXT_NAME)
        inputs += [upload.read() for upload in uploads]
        names += [upload_name(upload) for upload in uploads]
        request = DiagnosisRequest(
            inputs=inputs,
            names=names,
            email=cleaned.get("email") or None,
            password=cleaned.get("password") or None,
            trust=[*carried.trust, *(anchor.read() for anchor in anchors)],
            online=cleaned.get("online"),
        )
        check_limits(size=request.size, files=0)
        return request
