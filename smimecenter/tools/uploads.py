"""Uploads held in memory only, with a ceiling on their total size.

Django spools a large upload to a temporary file; a certificate check must never write what people
send to disk, so this handler replaces Django's and keeps every file in memory. Once the files of one
request grow past the ceiling it stops reading and says so, and the view answers with a friendly page.
"""
from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from .forms import TooLarge, size_in_words


class MalformedBody(ValueError):
    """The form data cannot be parsed (a broken multipart body); the message is for a person."""


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Every uploaded file in memory; `exceeded` turns true when the request carries more than `limit` bytes."""

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.total = 0
        self.exceeded = False
        self._buffer = BytesIO()

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        if self.total > self.limit:
            self.exceeded = True
            # The rest of the body is read and discarded, so the answer can still be a normal page.
            raise StopUpload(connection_reset=False)
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=file_size, charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def read_form_body(request: HttpRequest) -> None:
    """Parse a form body with uploads kept in memory; raise TooLarge when it is over the limits.

    Must run before anything reads request.POST (CSRF checks included), because the upload
    handlers can only be swapped while the body is still unread.
    """
    limit = settings.DIAGNOSE_MAX_INPUT_BYTES
    declared = content_length(request)
    # Multipart framing and the small fields add a little to the inputs themselves, and inputs carried back
    # by a re-check form (tools/recheck.py) come as base64, a third larger; their decoded size is checked later.
    if declared > limit * 4 // 3 + FORM_OVERHEAD_BYTES:
        raise TooLarge(f"That is {size_in_words(declared)} of data; the check reads at most "
                       f"{size_in_words(limit)} at once. Certificates are small (a few KB each): leave out "
                       "attachments and anything that is not a certificate, a .p12 file or a signed email.")
    handler = BoundedMemoryUploadHandler(request, limit=limit)
    request.upload_handlers = [handler]
    try:
        request.POST
        request.FILES
    except RequestDataTooBig:
        raise TooLarge(f"The pasted text is larger than the {size_in_words(limit)} the check reads at once.") from None
    except (TooManyFilesSent, TooManyFieldsSent):
        raise TooLarge(f"That is too many files or fields; the check reads at most {settings.DIAGNOSE_MAX_FILES} "
                       "files at once.") from None
    except MultiPartParserError:
        raise MalformedBody("The form data could not be read; send it again as multipart/form-data.") from None
    if handler.exceeded:
        raise TooLarge(f"The files are larger than the {size_in_words(limit)} the check reads at once. "
                       "Certificates are small (a few KB each): choose only the certificate, chain, .p12 file or email.")


FORM_OVERHEAD_BYTES = 128 * 1024


def content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
