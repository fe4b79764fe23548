"""Words for the facts the input reader reports (inputs/events.py), and the rule for no certificate."""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..inputs import events
from .context import CheckContext
from .registry import Observation, all_rules, check, rule

FORMATS = "/learn/what-is-pkcs12/#file-formats"

UNREADABLE = rule(
    code=events.INPUT_UNREADABLE, severity=Severity.WARNING, reference="RFC 7468 section 2",
    learn_more=FORMATS,
    title="Part of what you supplied could not be read",
    explanation="We found no certificate in {origin}: it looks like {kind}.{reason}",
    fix="Supply the certificate itself: a .pem/.crt/.cer file, a .p7b bundle, a .p12 file with "
        "its password, or a signed email (.eml).")
# An error, and the first thing the result says (diagnostics/verdict.py): a key that left its owner's
# device must be treated as compromised; S/MIME BR 4.9.1.1 has the CA revoke a certificate whose
# private key is compromised, and 6.1.2 forbids anyone but the subscriber holding it.
PRIVATE_KEY = rule(
    code=events.INPUT_PRIVATE_KEY_PRESENT, severity=Severity.ERROR,
    reference="CA/B Forum S/MIME BR sections 4.9.1.1 and 6.1.2",
    learn_more="/learn/what-is-pkcs12/#private-key-safety",
    title="You supplied a private key",
    explanation="{origin} contains {key}. We ignored it and did not keep it, but a private key "
                "lets anyone read your encrypted mail and sign as you, and one that has been "
                "pasted or sent somewhere must be treated as exposed.",
    fix="Treat the key as exposed: ask your certificate authority to revoke the certificate and "
        "issue a new one with a new key. From now on supply only the certificate (it holds the "
        "public key), never the private key.")
CSR = rule(
    code=events.INPUT_CSR_NOT_CERTIFICATE, severity=Severity.WARNING, reference="RFC 2986",
    learn_more="/learn/what-is-a-csr/#csr-vs-certificate",
    title="This is a certificate request, not a certificate",
    explanation="{origin} holds a certificate signing request (CSR) for {requested}. A CSR is "
                "what you send to a certificate authority; the certificate is what it sends back.",
    fix="Submit the request to your certificate authority, then check the certificate it issues.")
SSH = rule(
    code=events.INPUT_SSH_KEY, severity=Severity.WARNING, reference="RFC 8551 section 1",
    learn_more="/learn/what-is-smime/#how-it-works",
    title="This is an SSH key, not an email certificate",
    explanation="{origin} holds an SSH key ({key_type}). SSH keys log you in to servers; they play "
                "no part in S/MIME email.",
    fix="Supply your S/MIME certificate instead (from your certificate authority or your mail "
        "client's certificate export).")
PGP = rule(
    code=events.INPUT_PGP_KEY, severity=Severity.WARNING, reference="RFC 8551 section 1",
    learn_more="/learn/what-is-smime/#how-it-works",
    title="This is OpenPGP, not S/MIME",
    explanation="{origin} holds an OpenPGP block ({armour}). OpenPGP is a different email "
                "encryption system with its own keys; it does not use X.509 certificates.",
    fix="Supply your S/MIME certificate instead, or use an OpenPGP tool for this key.")
TOO_LARGE = rule(
    code=events.INPUT_TOO_LARGE, severity=Severity.ERROR, reference="SMIME Center input limits",
    learn_more=FORMATS,
    title="What you supplied is too large to check",
    explanation="Together the inputs are {size} bytes; we read at most {limit} bytes, so nothing "
                "was checked.",
    fix="Supply only your certificate and its intermediate certificates; a certificate is a few "
        "kilobytes.")
TOO_MANY = rule(
    code=events.INPUT_TOO_MANY_CERTIFICATES, severity=Severity.WARNING,
    reference="SMIME Center input limits", learn_more=FORMATS,
    title="Too many certificates: only the first ones were checked",
    explanation="We check at most {limit} certificates at a time; at least {dropped} more were "
                "left out.",
    fix="Supply only your certificate and the intermediates that issued it.")
TOO_SLOW = rule(
    code=events.INPUT_TOO_SLOW, severity=Severity.ERROR, reference="SMIME Center input limits",
    learn_more=FORMATS,
    title="The check took too long and stopped early",
    explanation="Reading stopped after {seconds} seconds, before {origin}; that input and any after it "
                "were not checked.",
    fix="Check fewer files at once, starting with your certificate and its chain.")
TOO_DEEP = rule(
    code=events.INPUT_TOO_DEEP, severity=Severity.WARNING, reference="RFC 2046 section 5.1",
    learn_more=FORMATS,
    title="The message nests too deeply",
    explanation="{origin} nests MIME parts more than {limit} levels deep; the deeper parts were "
                "not read.",
    fix="Save the signed message itself (as .eml) rather than a forward of a forward.")
EMPTY = rule(
    code=events.INPUT_EMPTY, severity=Severity.WARNING, reference="SMIME Center input limits",
    learn_more=FORMATS,
    title="An input was empty",
    explanation="{origin} holds nothing but blank space.",
    fix="Paste or upload the certificate file itself.")
NO_CERTIFICATE = rule(
    code="input.no_certificate", severity=Severity.ERROR, reference="RFC 8551 section 2.4.1",
    learn_more=FORMATS,
    title="No certificate was found",
    explanation="Nothing you supplied contains an X.509 certificate, so there is nothing to check.",
    fix="Export your certificate from your mail client or certificate authority (.pem, .cer, "
        ".p7b or .p12 with its password) and supply that.")


@check
def input_events(context: CheckContext) -> Iterator[Observation]:
    """Every event becomes the finding of the same code; the words live with each rule."""
    rules = all_rules()
    for event in context.inputs.events:
        declared = rules.get(event.code)
        if declared is not None:
            details = dict(event.details)
            details.update(_phrases(event.code, details))
            yield declared.observe(event.certificate, **details)


UNCOUNTABLE = ("text", "unknown", "binary", "data", "nothing", "damaged data")


def with_article(noun: str) -> str:
    """"an HTML page", "a Word document", "text with no certificate" (no article)."""
    first = noun.split(" ", 1)[0]
    if not noun or first.lower() in UNCOUNTABLE or noun.lower().startswith(("a ", "an ", "the ")):
        return noun
    vowel_sound = first[:1] in "AEIOUaeiou" or (first.isupper() and first[:1] in "FHLMNRSX")
    return ("an " if vowel_sound else "a ") + noun


def _phrases(code: str, details: dict[str, object]) -> dict[str, str]:
    """Event details turned into the phrases the templates above expect."""
    if code == events.INPUT_UNREADABLE:
        reason = str(details.get("reason") or "").strip()
        if reason:
            reason = " " + reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
        return {"reason": reason, "kind": with_article(str(details.get("kind") or "unknown data"))}
    if code == events.INPUT_PRIVATE_KEY_PRESENT:
        key_type = str(details.get("key_type") or "unknown")
        if key_type == "encrypted":
            return {"key": "a password-protected private key"}
        if key_type == "unknown":
            return {"key": "a private key"}
        size = details.get("key_size")
        curve = details.get("curve")
        words = [f"{size}-bit"] if size and key_type in ("RSA", "DSA") else []
        words += [key_type, "private key"] + ([f"({curve})"] if curve else [])
        # "an RSA", "an EC", "an Ed25519", "an X448", "an OpenSSH", but "a DSA", "a 2048-bit".
        article = "an" if words[0][:1] in ("R", "E", "X", "O") else "a"
        return {"key": " ".join([article, *words])}
    if code == events.MESSAGE_LAYERS:
        sealed = any("encrypted" in str(layer) for layer in details.get("layers") or [])
        return {"sealed": " An encrypted layer can only be opened with its recipient's private key, so "
                          "whatever it holds is not checked here." if sealed else ""}
    if code == events.INPUT_CSR_NOT_CERTIFICATE:
        emails = details.get("emails") or []
        subject = str(details.get("subject") or "")
        requested = (", ".join(map(str, emails)) if emails else
                     f"\u201c{subject}\u201d" if subject else "an empty subject")
        return {"requested": requested}
    return {}


# A .p12 file that was not opened may well hold a certificate: "no certificate was found" would be false,
# and the reason it was not opened (a wrong password, ...) is the one thing to say.
NOT_READ = (events.INPUT_TOO_LARGE, events.PKCS12_WRONG_PASSWORD, events.PKCS12_PASSWORD_REQUIRED,
            events.PKCS12_TOO_EXPENSIVE, events.PKCS12_OVER_BUDGET, events.PKCS12_UNBOUNDED_KDF,
            events.PKCS12_BUSY)


@check
def no_certificate(context: CheckContext) -> Iterator[Observation]:
    if not context.supplied and not any(e.code in NOT_READ for e in context.inputs.events):
        yield NO_CERTIFICATE.observe()
