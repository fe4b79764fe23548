"""Outlook's .msg files: find the S/MIME part inside and read it as the .eml reader would.

A .msg is an OLE compound file ([MS-CFB]) holding MAPI properties ([MS-OXMSG]). Outlook keeps a
signed or encrypted message as a message of class IPM.Note.SMIME.MultipartSigned or IPM.Note.SMIME
whose single attachment (smime.p7m) is the S/MIME content itself ([MS-OXOSMIME] 2.1.3): the whole
multipart/signed entity for a clear-signed message, the CMS structure for an opaque-signed or
encrypted one. We rebuild the MIME message around that attachment, with the sender's address from the
transport headers, and hand it to the message reader, so a .msg is answered exactly as a .eml.

olefile reads the compound file; it works on the bytes in memory, never on disk.
"""

from __future__ import annotations

import base64
from email.parser import BytesHeaderParser
from email.policy import compat32

from . import events
from .collector import Collector

# A message has a few dozen streams, a message with many attachments a few thousand; more is not a message.
MAX_STREAMS = 20_000
MAX_ATTACHMENTS = 100  # of a message that is not signed, looked at for certificate files

_MESSAGE_CLASS = "__substg1.0_001A"            # PidTagMessageClass
_TRANSPORT_HEADERS = "__substg1.0_007D"        # PidTagTransportMessageHeaders
_SENDER_SMTP = ("__substg1.0_5D01", "__substg1.0_5D02", "__substg1.0_0C1F")  # sender SMTP, sent-representing, sender
_ATTACH_DATA = "__substg1.0_37010102"          # PidTagAttachDataBinary
_ATTACH_MIME = "__substg1.0_370E"              # PidTagAttachMimeTag
_ATTACH_NAME = ("__substg1.0_3707", "__substg1.0_3704")  # long, then short file name
_ATTACH_PREFIX = "__attach_version1.0_#"
_UNICODE, _STRING8 = "001F", "001E"            # [MS-OXCDATA] 2.11.1 property types PtypString, PtypString8

SIGNED_CLASSES = ("ipm.note.smime.multipartsigned", "ipm.note.smime")


def read_msg(collector: Collector, data: bytes, origin: str) -> None:
    """Read an OLE compound file that may be an Outlook message; anything else is said plainly."""
    import olefile  # imported here: only .msg inputs need it

    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # olefile raises OSError and others on damaged files; none of it is for a person
        collector.unreadable(origin, DAMAGED, "its inner file structure cannot be read")
        return
    try:
        _read_message(collector, _Streams(ole, budget=2 * len(data)), origin)
    except _OverBudget:
        collector.unreadable(origin, DAMAGED, "its parts claim more data than the file holds")
    finally:
        ole.close()


DAMAGED = "damaged Outlook message (.msg) or Office document"


class _OverBudget(Exception):
    """The streams read so far add up to more than the file could hold: a crafted file, not a message."""


class _Streams:
    """The compound file's streams by path, read within a byte budget.

    Streams may share sectors in a crafted file, so many "large" streams could each repeat the whole file;
    a real message's streams together are never larger than the file. The budget stops the reading there.
    """

    def __init__(self, ole, *, budget: int) -> None:
        self.ole = ole
        self.paths = {"/".join(entry): entry for entry in ole.listdir(streams=True, storages=False)}
        self.budget = budget

    def read(self, path: str) -> bytes | None:
        entry = self.paths.get(path)
        if entry is None:
            return None
        size = self.ole.get_size(entry)
        if size > self.budget:
            raise _OverBudget
        self.budget -= size
        return self.ole.openstream(entry).read()

    def string(self, key: str) -> str | None:
        """A string property stored as Unicode (UTF-16LE) or as 8-bit text; None when absent."""
        for kind, encoding in ((_UNICODE, "utf-16-le"), (_STRING8, "latin-1")):
            raw = self.read(key + kind)
            if raw is not None:
                return raw.decode(encoding, errors="replace").rstrip("\x00")
        return None

    def attachment_folders(self) -> list[str]:
        """The attachments' storages that hold data, in the order Outlook numbered them."""
        return sorted(path.partition("/")[0] for path in self.paths
                      if path.startswith(_ATTACH_PREFIX) and path.partition("/")[2] == _ATTACH_DATA)


def _read_message(collector: Collector, streams: _Streams, origin: str) -> None:
    if len(streams.paths) > MAX_STREAMS:
        collector.unreadable(origin, "Outlook message (.msg) or Office document with too many parts",
                             f"it has more than {MAX_STREAMS:,} parts")
        return
    message_class = streams.string(_MESSAGE_CLASS)
    if message_class is None:
        collector.unreadable(origin, "Office document (Word, Excel or similar)",
                             "it is not an Outlook message: it has no message class")
        return
    from_address = _sender(streams)
    folders = streams.attachment_folders()
    if message_class.lower() in SIGNED_CLASSES and folders:
        from .mime import read_message

        # [MS-OXOSMIME] 2.1.3: the S/MIME content is the message's one attachment.
        read_message(collector, _as_mime(streams.read(f"{folders[0]}/{_ATTACH_DATA}") or b"", from_address), origin)
        return
    collector.event(events.MESSAGE_NOT_SIGNED, origin=origin, content_type=f"Outlook message ({message_class[:60]})",
                    from_address=from_address)
    _read_certificate_attachments(collector, streams, folders, origin)


def _as_mime(payload: bytes, from_address: str | None) -> bytes:
    """The S/MIME attachment as a MIME message with the sender's From, as the .eml reader expects."""
    sender = f"From: <{from_address}>\r\n".encode("utf-8", errors="replace") if from_address else b""
    stripped = payload.lstrip(b"\r\n")
    if stripped[:1] == b"\x30":  # the CMS structure itself (IPM.Note.SMIME): wrap it as RFC 8551 3.2 does
        body = base64.encodebytes(stripped).replace(b"\n", b"\r\n")
        return (sender + b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; name=smime.p7m\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\n" + body)
    return sender + stripped  # the whole multipart/signed entity, its headers included


def _read_certificate_attachments(collector: Collector, streams: _Streams, folders: list[str], origin: str) -> None:
    """A plain message may still carry a certificate as an attachment (someone mailed their .cer)."""
    from .mime import _CERTIFICATE_SUFFIXES, _CERTIFICATE_TYPES
    from .text import read_text_or_binary

    for folder in folders[:MAX_ATTACHMENTS]:
        mime_type = (streams.string(f"{folder}/{_ATTACH_MIME}") or "").lower()
        name = next((value for value in (streams.string(f"{folder}/{key}") for key in _ATTACH_NAME) if value), "")
        if mime_type in _CERTIFICATE_TYPES or name.lower().endswith(_CERTIFICATE_SUFFIXES):
            where = f"{origin}, attachment {name[:100] or 'unnamed'}"
            read_text_or_binary(collector, streams.read(f"{folder}/{_ATTACH_DATA}") or b"", where, nested=True)


def _sender(streams: _Streams) -> str | None:
    from .mime import _from_address  # the .eml reader's own, safe against deeply nested comments

    headers = streams.string(_TRANSPORT_HEADERS)
    if headers:
        address = _from_address(BytesHeaderParser(policy=compat32).parsebytes(headers.encode("utf-8", "replace")))
        if address and "@" in address:
            return address[:320]
    for key in _SENDER_SMTP:  # a message never sent (a draft) has no transport headers
        value = streams.string(key)
        if value and "@" in value:
            return value.strip()[:320]
    return None
