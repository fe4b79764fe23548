"""Outlook .msg files (tests/data/msg/README.md says where they come from) are answered as .eml files are."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import read_inputs
from smimecenter.diagnostics.inputs.sniff import is_compound_file

DATA = Path(__file__).resolve().parent.parent / "data" / "msg"
SIGNED = (DATA / "simple-java-mail-signed.msg").read_bytes()
ENCRYPTED = (DATA / "simple-java-mail-encrypted.msg").read_bytes()
AT = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)  # inside the signer certificate's validity


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def unreadable_kinds(parsed) -> list[str]:
    return [str(e.details.get("kind")) for e in parsed.events if e.code == "input.unreadable"]


def test_a_signed_msg_is_sniffed_as_a_compound_file_and_its_signature_verifies():
    assert is_compound_file(SIGNED)
    [message] = read_inputs([SIGNED]).messages
    assert (message.content_intact, message.signature_valid) == (True, True)
    assert message.kind == "multipart/signed"
    # The sender comes from the transport headers Outlook kept, as the From of a .eml would.
    assert message.from_address == "benny@bennybottema.com"
    report = diagnose([SIGNED], at=AT)
    assert "message.signature_valid" in codes(report)
    assert not {"input.unreadable", "input.no_certificate", "message.not_signed"} & set(codes(report))


def test_the_recipient_of_a_real_message_from_a_private_ca_is_never_told_it_is_trusted():
    # simple-java-mail signs with its own CA ("Simple Java Mail CA"), whose root is in no store and
    # not in the message: the verdict asks for the sender's root, and the summary must agree with it.
    report = diagnose([SIGNED], at=AT)
    assert report.verdict.question == "received_message"
    assert report.verdict.headline_key == "message.private_root_not_supplied"
    assert "chain.private_root_not_supplied" in codes(report)
    assert "is trusted by" not in report.summary
    assert "only where that root is installed" in report.summary
    # The fix speaks to the recipient: the root is the sender's organisation's, not theirs.
    [finding] = [f for f in report.findings if f.code == "chain.private_root_not_supplied"]
    assert "ask the sender or their IT team for its root" in finding.fix
    assert "If your organisation runs its own" not in finding.fix


def test_a_signed_msg_gives_the_same_answer_as_the_message_it_holds_saved_as_eml():
    import olefile

    attachment = olefile.OleFileIO(SIGNED).openstream("__attach_version1.0_#00000000/__substg1.0_37010102").read()
    as_eml = b"From: <benny@bennybottema.com>\r\n" + attachment
    assert codes(diagnose([SIGNED], at=AT)) == codes(diagnose([as_eml], at=AT))


def test_a_changed_msg_is_caught():
    changed = SIGNED.replace(b"For testing purposes", b"For tasting purposes")
    assert changed != SIGNED
    report = diagnose([changed], at=AT)
    assert "message.signature_invalid" in codes(report)
    assert "message.signature_valid" not in codes(report)


def test_an_encrypted_msg_says_it_is_encrypted_and_what_to_save_instead():
    parsed = read_inputs([ENCRYPTED])
    assert unreadable_kinds(parsed) == ["encrypted message"]
    [event] = [e for e in parsed.events if e.code == "input.unreadable"]
    assert "save the decrypted message" in event.details["reason"]


def test_a_compound_file_that_is_not_a_message_is_named_an_office_document():
    # The message class property renamed in the directory: an OLE file without one is not a message.
    name = "__substg1.0_001A001F".encode("utf-16-le")
    not_a_message = SIGNED.replace(name, "__substg1.0_001B001F".encode("utf-16-le"))
    assert not_a_message != SIGNED
    assert unreadable_kinds(read_inputs([not_a_message])) == ["Office document (Word, Excel or similar)"]


def test_a_damaged_or_cut_msg_is_said_plainly_and_quickly():
    for damaged in (SIGNED[:700], SIGNED[:512] + b"\xff" * 4096, SIGNED[:8] + b"\x00" * 600):
        started = time.monotonic()
        parsed = read_inputs([damaged])
        assert time.monotonic() - started < 2
        assert unreadable_kinds(parsed) == ["damaged Outlook message (.msg) or Office document"]
        assert parsed.certificates == []


def test_a_msg_attached_inside_an_email_is_not_opened():
    # One level only: a .msg inside a message is not followed (no recursion through containers).
    import base64

    body = base64.encodebytes(SIGNED).decode("ascii")
    eml = ("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\n"
           "Content-Disposition: attachment; filename=x.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           f"{body}\r\n--b--\r\n").encode("ascii")
    parsed = read_inputs([eml])
    assert parsed.messages == []
    assert "Outlook message (.msg) or older Office document" in unreadable_kinds(parsed)


def test_reading_stops_when_the_streams_claim_more_than_the_file_holds():
    # Streams of a crafted file may share sectors, each "holding" the whole file again: reading is budgeted.
    import olefile
    import pytest

    from smimecenter.diagnostics.inputs.msg import _OverBudget, _Streams

    streams = _Streams(olefile.OleFileIO(SIGNED), budget=1000)
    assert streams.string("__substg1.0_001A") == "IPM.Note.SMIME.MultipartSigned"
    with pytest.raises(_OverBudget):
        streams.read("__attach_version1.0_#00000000/__substg1.0_37010102")  # 55 KB, over what is left


def test_mutated_msg_files_are_read_quickly_and_never_raise():
    import random

    rng = random.Random(11)
    for _ in range(150):
        mutated = bytearray(SIGNED)
        for _ in range(rng.randint(1, 12)):
            mutated[rng.randrange(0, 8192)] = rng.randrange(256)
        started = time.monotonic()
        parsed = read_inputs([bytes(mutated)])
        assert time.monotonic() - started < 2
        assert "unknown data" not in unreadable_kinds(parsed)  # the reader's last resort when a reader raised


# --- .msg files built here (tests/diagnostics/ole_writer.py), with certificates built in code ----------------

def outlook_message(message_class: str, *, attachments: list[dict[str, bytes | str]] = (),
                    transport_headers: str | None = None, sender: str | None = None,
                    eight_bit: bool = False) -> bytes:
    """An Outlook .msg with the properties the reader looks at ([MS-OXMSG] 2.1, 2.2)."""
    from .ole_writer import compound_file

    def string(key: str, value: str) -> dict[str, bytes]:
        if eight_bit:
            return {f"{key}001E": value.encode("latin-1")}
        return {f"{key}001F": value.encode("utf-16-le")}

    streams: dict[str, bytes] = {"__properties_version1.0": bytes(32), **string("__substg1.0_001A", message_class)}
    if transport_headers is not None:
        streams.update(string("__substg1.0_007D", transport_headers))
    if sender is not None:
        streams.update(string("__substg1.0_5D01", sender))
    for number, attachment in enumerate(attachments):
        folder = f"__attach_version1.0_#{number:08X}"
        streams[f"{folder}/__substg1.0_37010102"] = attachment["data"]
        streams.update({f"{folder}/{k}": v for k, v in string("__substg1.0_3707", str(attachment["name"])).items()})
        streams.update({f"{folder}/{k}": v for k, v in string("__substg1.0_370E", str(attachment["mime"])).items()})
    return compound_file(streams)


def opaque_signed(body: bytes):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from .builders import make_chain

    chain = make_chain()
    der = (pkcs7.PKCS7SignatureBuilder().set_data(body)
           .add_signer(chain.leaf.certificate, chain.leaf.key, hashes.SHA256())
           .add_certificate(chain.intermediate.certificate).sign(serialization.Encoding.DER, []))
    return chain, der


BODY = b"Content-Type: text/plain; charset=utf-8\r\n\r\nPlease pay invoice 2026-014 by Friday.\r\n"
HEADERS = "From: Alice Example <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Invoice\r\n"


def test_an_opaque_signed_msg_verifies_and_names_its_sender():
    chain, der = opaque_signed(BODY)
    data = outlook_message("IPM.Note.SMIME", transport_headers=HEADERS,
                           attachments=[{"name": "smime.p7m", "mime": "application/pkcs7-mime", "data": der}])
    [message] = read_inputs([data]).messages
    assert (message.kind, message.content_intact, message.signature_valid) == ("application/pkcs7-mime", True, True)
    assert message.from_address == "alice@example.com"
    report = diagnose([data], trust=[chain.root_pem])
    assert "message.signature_valid" in codes(report) and "message.signature_invalid" not in codes(report)


def test_a_changed_opaque_signed_msg_is_caught():
    chain, der = opaque_signed(BODY)
    changed = der.replace(b"by Friday", b"by Monday")
    assert changed != der
    data = outlook_message("IPM.Note.SMIME", transport_headers=HEADERS,
                           attachments=[{"name": "smime.p7m", "mime": "application/pkcs7-mime", "data": changed}])
    assert "message.signature_invalid" in codes(diagnose([data], trust=[chain.root_pem]))


def test_without_transport_headers_the_sender_property_is_used_in_8_bit_strings_too():
    _, der = opaque_signed(BODY)
    data = outlook_message("IPM.Note.SMIME", sender="alice@example.com", eight_bit=True,
                           attachments=[{"name": "smime.p7m", "mime": "application/pkcs7-mime", "data": der}])
    [message] = read_inputs([data]).messages
    assert message.from_address == "alice@example.com"


def test_a_plain_msg_is_not_signed_but_a_certificate_it_carries_is_read():
    from .builders import make_chain

    chain = make_chain()
    data = outlook_message("IPM.Note", transport_headers=HEADERS, attachments=[
        {"name": "holiday.jpg", "mime": "image/jpeg", "data": b"\xff\xd8\xff" + bytes(100)},
        {"name": "alice.cer", "mime": "application/pkix-cert", "data": chain.leaf.der},
    ])
    parsed = read_inputs([data])
    [not_signed] = [e for e in parsed.events if e.code == "message.not_signed"]
    assert not_signed.details["content_type"] == "Outlook message (IPM.Note)"
    assert not_signed.details["from_address"] == "alice@example.com"
    assert [c.certificate for c in parsed.certificates] == [chain.leaf.certificate]
    assert [c.origin for c in parsed.certificates] == ["the input, attachment alice.cer"]


def test_a_signed_class_without_its_attachment_is_said_to_be_unsigned():
    parsed = read_inputs([outlook_message("IPM.Note.SMIME.MultipartSigned", transport_headers=HEADERS)])
    assert [e.code for e in parsed.events if e.code.startswith("message.")] == ["message.not_signed"]


def test_the_test_writer_makes_compound_files_olefile_reads_without_a_defect():
    import olefile

    from .ole_writer import compound_file

    streams = {"tiny": b"x", "mini": bytes(range(256)) * 11, "big": bytes(range(256)) * 40, "s/t/deep": b"d" * 700}
    ole = olefile.OleFileIO(compound_file(streams), raise_defects=olefile.DEFECT_INCORRECT)
    assert {"/".join(path): ole.openstream(path).read() for path in ole.listdir()} == streams


def test_a_directory_too_deep_to_walk_is_refused_quickly():
    # 3,000 entries chained one under the other: olefile walks the directory tree recursively.
    from .ole_writer import compound_file

    streams = {f"part{number:05d}": b"x" for number in range(3000)}
    streams["__substg1.0_001A001F"] = "IPM.Note".encode("utf-16-le")
    data = compound_file(streams)
    started = time.monotonic()
    parsed = read_inputs([data])
    assert time.monotonic() - started < 2
    assert unreadable_kinds(parsed) == ["damaged Outlook message (.msg) or Office document"]
