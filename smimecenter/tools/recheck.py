"""Checking again without starting over: what travels back to the person in a re-check form.

Nothing uploaded is stored. A re-check form carries its inputs in the page itself, as hidden fields in
base64, and the browser sends them back with the next check:

- after a .p12 password that did not open the file, the check is answered at once (not kept behind a
  token, not cached: no-store) with a form that asks for the password again and carries every input of
  the check, files included, so the person does not choose the file again;
- on every kept result, a form carries the public certificates the report already holds (and the roots
  added for that check, kept with it as public certificates, as roots again), so the person can add the
  missing file, add their organisation's root or change the address. Message and .p12 bytes are not in
  the report, so the form says which of those to choose again.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization

from smimecenter.diagnostics.inputs import der, pem, sniff
from smimecenter.diagnostics.inputs.keys import is_private_key_label
from smimecenter.diagnostics.inputs.text import decode_text
from smimecenter.diagnostics.trust import TrustStore, TrustStoreError

# Finding codes of a .p12 file that was not opened because of its password (diagnostics/checks/pkcs12.py).
PASSWORD_CODES = ("pkcs12.wrong_password", "pkcs12.password_required")
# The chain checks' codes for "add your organisation's root": the chain stops at an absent issuer that is most
# likely the organisation's own root, or a root was supplied that no store trusts.
ADD_ROOT_CODES = ("chain.private_root_not_supplied", "chain.untrusted_root")
ADD_FILE_CODES = ("chain.missing_intermediate",)


# A DER file that is a private key on its own (not inside a password-protected .p12).
_LOOSE_KEY_KINDS = (der.PRIVATE_KEY_INFO, der.ENCRYPTED_PRIVATE_KEY_INFO, der.RSA_PRIVATE_KEY,
                    der.EC_PRIVATE_KEY, der.DSA_PRIVATE_KEY)


def without_private_keys(inputs: Sequence[bytes], names: Sequence[str]) -> tuple[list[bytes], list[str]]:
    """The inputs to carry back, with every private key taken out: keys are never echoed to the page.

    A pasted or uploaded PEM key block is cut from its text (the certificates around it stay); a file
    that is only a DER key is left out. A .p12 travels whole: its key is sealed by the password the
    page asks for again.
    """
    kept_inputs, kept_names = [], []
    for index, data in enumerate(inputs):
        name = names[index] if index < len(names) else None
        if sniff.is_text(data):
            text = decode_text(data)
            kept = text_without_private_keys(text)
            if kept != text:
                if not kept.strip():
                    continue
                data = kept.encode("utf-8")
        elif der.classify(data) in _LOOSE_KEY_KINDS:
            continue
        kept_inputs.append(data)
        if name is not None:
            kept_names.append(name)
    return kept_inputs, kept_names


def text_without_private_keys(text: str) -> str:
    """Pasted text with its PEM private-key blocks cut out, to be shown again (the rest stays as typed)."""
    for block in reversed([b for b in pem.find_blocks(text) if is_private_key_label(b.label)]):
        text = text[:block.start] + text[block.end:]
    return text


class BadCarriedInput(ValueError):
    """A carried field is not the base64 this site wrote; the message is for a person."""


@dataclass(frozen=True)
class Carried:
    """Inputs that came back in a re-check form, in the order of the check they belong to."""

    inputs: list[bytes] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    trust: list[bytes] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(item) for item in self.inputs) + sum(len(item) for item in self.trust)

    @property
    def has_p12(self) -> bool:
        """A carried file is named as a .p12 or .pfx: the form then shows its password field."""
        return any(name.strip("“”").lower().endswith((".p12", ".pfx")) for name in self.names)

    def __bool__(self) -> bool:
        return bool(self.inputs or self.trust)

    def fields(self) -> list[tuple[str, str]]:
        """The hidden fields that carry these inputs back: (name, value) pairs, values in base64."""
        pairs = [("carried_name", name) for name in self.names]
        pairs += [("carried", _encode(data)) for data in self.inputs]
        pairs += [("carried_trust", _encode(data)) for data in self.trust]
        return pairs


def could_not_open(report: Mapping) -> bool:
    """True when the check could not look inside a .p12 file because of its password.

    Read from the password findings rather than the verdict's "could not check" state: a .p12 that
    was not opened beside other certificates (the verdict then answers for those) still deserves a
    second try at its password.
    """
    return any(finding.get("code") in PASSWORD_CODES for finding in report.get("findings", ()))


def password_was_wrong(report: Mapping) -> bool:
    """A password was given and did not open the file (not merely missing)."""
    return any(finding.get("code") == PASSWORD_CODES[0] for finding in report.get("findings", ()))


def carried_from(post) -> Carried:
    """The carried inputs of a posted form (a QueryDict); raises BadCarriedInput when one is not base64."""
    names = [str(name)[:80] for name in post.getlist("carried_name")]
    inputs = [_decode(value) for value in post.getlist("carried")]
    trust = [_decode(value) for value in post.getlist("carried_trust")]
    names = (names + [f"file {number}" for number in range(len(names) + 1, len(inputs) + 1)])[: len(inputs)]
    return Carried(inputs=inputs, names=names, trust=trust)


def from_report(report: Mapping, roots: Sequence[str] = ()) -> Carried:
    """What a kept result can send again: its public certificates, and the roots added for that check.

    The trust anchor is left out of the certificates: it came from a store (Mozilla's, the organisation's)
    or was added as a root, and then goes back as a root.
    """
    anchor = ((report.get("trust") or {}).get("anchor") or {}).get("sha256")
    certificates = [str(c.get("pem") or "") for c in report.get("certificates", ())
                    if c.get("pem") and c.get("sha256") != anchor]
    inputs = ["".join(certificates).encode("ascii", errors="replace")] if certificates else []
    return Carried(inputs=inputs, names=["the certificates from the last check"][: len(inputs)],
                   trust=[root.encode("ascii", errors="replace") for root in roots])


def root_certificates(trust: Sequence[bytes]) -> list[str]:
    """The roots a person added to a check, as PEM re-encoded from the parsed certificates (public data;
    whatever else was in the uploaded file is not kept)."""
    roots: list[str] = []
    for data in trust:
        try:
            store = TrustStore.from_pem(data, name="added root")
        except TrustStoreError:
            continue
        roots += [anchor.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
                  for anchor in store.anchors()]
    return roots


def offer(report: Mapping, roots: Sequence[str] = ()) -> dict[str, object]:
    """What the re-check form on a result page offers, from the kept report and roots."""
    codes = {finding.get("code") for finding in report.get("findings", ())}
    carried = from_report(report, roots)
    return {
        "fields": carried.fields(),
        "certificate_count": sum(item.count("-----BEGIN CERTIFICATE-----") for item in
                                 (data.decode("ascii") for data in carried.inputs)),
        "root_count": len(carried.trust),
        "add_root": bool(codes & set(ADD_ROOT_CODES)),
        "add_file": bool(codes & set(ADD_FILE_CODES)),
        # Neither the message nor the .p12 file is in the report: say what to choose again.
        "message_again": bool(report.get("messages")),
        "p12_again": bool(report.get("pkcs12")),
    }


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode(value: str) -> bytes:
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BadCarriedInput("The files carried from the last check did not come back whole. "
                              "Choose them again.") from None
