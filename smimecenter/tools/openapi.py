"""The OpenAPI 3.1 description of the API, written by hand so that it documents and tests the contract.

The report schema follows `Report.to_dict()`; a test posts real requests and validates every answer
against these schemas, so a change on either side shows up there.
"""
from __future__ import annotations

import functools

from django.conf import settings

NULLABLE_STRING = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": {"type": "string"}}

FINDING = {
    "type": "object",
    "required": ["code", "severity", "title", "explanation", "fix", "learn_more", "certificate", "reference"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "description": "Stable identifier, e.g. chain.missing_intermediate."},
        "severity": {"enum": ["error", "warning", "info"]},
        "title": {"type": "string"},
        "explanation": {"type": "string", "description": "What is wrong, naming the certificate, dates and addresses."},
        "fix": {"type": "string", "description": "What to do about it."},
        "learn_more": {"type": "string", "description": "Site path of the article section that explains it."},
        "certificate": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$",
                        "description": "SHA-256 fingerprint of the certificate concerned."},
        "reference": {"type": "string", "description": "RFC or CA/B Forum S/MIME Baseline Requirements section."},
        "parser_message": {"type": "string", "description": "Only when a parser refused part of the input: "
                                                            "its own message, for experts (the explanation "
                                                            "says the same in plain words)."},
        "details": {
            "type": "object",
            "description": "Only for findings that rest on a judgement: its facts. For chain.missing_intermediate "
                           "and chain.private_root_not_supplied, `judgement` (missing_intermediate or "
                           "private_root), `decided_by` and `evidence` (rule, points_to, words).",
            "properties": {
                "judgement": {"enum": ["missing_intermediate", "private_root"]},
                "decided_by": {"type": "string"},
                "evidence": {"type": "array", "items": {
                    "type": "object", "required": ["rule", "points_to", "words"],
                    "properties": {"rule": {"type": "string"},
                                   "points_to": {"enum": ["missing_intermediate", "private_root"]},
                                   "words": {"type": "string"}}}},
            },
        },
    },
}

CERTIFICATE = {
    "type": "object",
    "required": ["role", "subject", "issuer", "common_name", "serial", "not_before", "not_after", "key",
                 "signature_algorithm", "emails", "is_ca", "key_usage", "extended_key_usage", "policies",
                 "ca_issuers_urls", "ocsp_urls", "crl_urls", "sha256", "sha1", "problems"],
    "properties": {
        "role": {"enum": ["leaf", "subject", "intermediate", "root", "alternative", "unrelated"],
                 "description": "Its place: in the chain (leaf, intermediate, root; subject when the checked "
                                "certificate is a CA), a second candidate for the chain, or a stray."},
        "subject": {"type": "string", "description": "RFC 4514 form."},
        "issuer": {"type": "string", "description": "RFC 4514 form."},
        "common_name": NULLABLE_STRING,
        "serial": {"type": "string", "description": "Hexadecimal."},
        "not_before": {"type": "string", "format": "date-time"},
        "not_after": {"type": "string", "format": "date-time"},
        "key": {
            "type": "object",
            "required": ["type", "size", "curve"],
            "properties": {"type": {"type": "string"}, "size": {"type": ["integer", "null"]},
                           "curve": NULLABLE_STRING},
        },
        "signature_algorithm": {"type": "string"},
        "emails": STRINGS,
        "is_ca": {"type": "boolean"},
        "key_usage": {"type": ["array", "null"], "items": {"type": "string"},
                      "description": "RFC 5280 names of the bits set; null when the extension is absent."},
        "extended_key_usage": {"type": ["array", "null"], "items": {"type": "string"}},
        "policies": {"type": "array", "items": {
            "type": "object", "required": ["oid", "smime_type", "generation"],
            "properties": {"oid": {"type": "string"}, "smime_type": NULLABLE_STRING, "generation": NULLABLE_STRING},
        }},
        "ca_issuers_urls": STRINGS,
        "ocsp_urls": STRINGS,
        "crl_urls": STRINGS,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "sha1": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
        "problems": {**STRINGS, "description": "Parts of the certificate that could not be read."},
        "pem": {"type": "string", "description": "The certificate itself, when the report carries it."},
        "fetched_from": {"type": "string", "description": "Where an online check downloaded it (AIA caIssuers)."},
    },
}

TRUST = {
    "type": "object",
    "required": ["trusted", "anchor", "store", "store_version", "provenance", "stores_consulted", "other_paths"],
    "properties": {
        "trusted": {"type": "boolean"},
        "anchor": {"oneOf": [
            {"type": "null"},
            {"type": "object", "required": ["subject", "sha256"],
             "properties": {"subject": {"type": "string"}, "sha256": {"type": "string"}}},
        ]},
        "store": {**NULLABLE_STRING, "description": "Name of the trust store that holds the anchor."},
        "store_version": {"type": ["string", "integer", "null"]},
        "provenance": {"type": "object", "description": "Where the store's list came from (source, version, date)."},
        "stores_consulted": STRINGS,
        "other_paths": {"type": "array", "items": {
            "type": "object", "required": ["chain", "problems"],
            "properties": {"chain": STRINGS, "problems": STRINGS},
        }},
    },
}

MESSAGE = {
    "type": "object",
    "required": ["origin", "kind", "from_address", "signer", "content_intact", "signature_valid",
                 "digest_algorithm", "signature_algorithm", "signing_time", "problem"],
    "properties": {
        "origin": {"type": "string"},
        "kind": {"enum": ["multipart/signed", "application/pkcs7-mime", "p7s"]},
        "from_address": NULLABLE_STRING,
        "signer": {**NULLABLE_STRING, "description": "SHA-256 fingerprint of the signer's certificate."},
        "content_intact": {"type": ["boolean", "null"]},
        "signature_valid": {"type": ["boolean", "null"]},
        "digest_algorithm": NULLABLE_STRING,
        "signature_algorithm": NULLABLE_STRING,
        "signing_time": {"type": ["string", "null"], "format": "date-time"},
        "problem": NULLABLE_STRING,
        "signer_number": {"type": "integer", "description": "Which signer of the signature (from 1)."},
        "signer_count": {"type": "integer", "description": "How many signers the signature has."},
        "layer": {"type": "integer", "description": "S/MIME nesting level: 1 outermost, 2 inside it, ..."},
        "digest_algorithms": {"type": ["array", "null"], "items": {"type": "string"},
                              "description": "The signature's digestAlgorithms set (RFC 5652 5.1)."},
        "signed_attributes": {"type": "array", "items": {
            "type": "object", "required": ["oid", "name"],
            "properties": {"oid": {"type": "string"}, "name": NULLABLE_STRING},
        }, "description": "Signed attributes by type; name is null for a type this tool does not know."},
    },
}

EVIDENCE = {
    "type": "object", "required": ["says", "source", "evidence"],
    "properties": {"id": {"type": "string"}, "says": {"type": "string"}, "source": {"type": "string"},
                   "evidence": {"type": "string", "description": "How strong the source is: documented, reported, or tested (reproduced with the tool)."}},
}

COMPATIBILITY = {
    "type": ["object", "null"], "required": ["certificate", "clients"],
    "description": "For the leaf (null when there is none): what each mail app is known to do with it. "
                   "Every answer rests on a source; 'unknown' where no source settles it.",
    "properties": {
        "certificate": {**NULLABLE_STRING, "description": "SHA-256 fingerprint of the leaf, or null."},
        "clients": {"type": "array", "items": {
            "type": "object",
            "required": ["client", "name", "sign", "encrypt", "trusted", "root_store", "blockers", "notes"],
            "properties": {
                "client": {"type": "string"}, "name": {"type": "string"},
                "sign": {"type": "string", "description": "yes, no, reported no or unknown"},
                "encrypt": {"type": "string", "description": "yes, no, reported no or unknown"},
                "trusted": {"type": "string"}, "root_store": {"type": "string"},
                "root_store_source": {"type": "string"}, "root_store_evidence": {"type": "string"},
                "blockers": {"type": "array", "items": EVIDENCE,
                             "description": "Under a failing verdict the first blocker is the verdict's own "
                                           "(id verdict.<headline_key>), so no app says more than the verdict."},
                "notes": {"type": "array", "items": EVIDENCE},
                "trusted_reason": {**NULLABLE_STRING,
                                   "description": "Why 'trusted' is not 'yes' (null when it is)."},
            }}},
        "verdict_state": {"type": "string", "description": "The verdict state the table was made to agree with."},
    },
}

VERDICT = {
    "type": ["object", "null"],
    "required": ["question", "state", "headline_key", "headline", "reasons", "badges", "not_checked", "retry",
                 "trust_scope"],
    "description": "The one answer the web page, the API and the command line all give; the badges, the "
                   "mail-app table and the summary are derived from it.",
    "properties": {
        "question": {"enum": ["own_certificate", "received_message", "ca_chain", "csr", "unknown"],
                     "description": "Whose question the input asks: a person's own certificate or .p12 "
                                    "(will my mail work?), a signed message received (is it from them, "
                                    "unchanged, trusted?), only CA certificates (an administrator's view), a "
                                    "certificate request, or unknown when nothing could be read."},
        "state": {"enum": ["works", "works_with_warnings", "does_not_work", "could_not_check"],
                  "description": "could_not_check: nothing was checked (nothing readable, a wrong .p12 "
                                 "password, only a private key); it says nothing about any certificate."},
        "headline_key": {"type": "string", "description": "Stable key of the headline, e.g. "
                                                          "message.changed, own.wrong_kind.website, "
                                                          "could_not_check.wrong_password."},
        "headline": {"type": "string"},
        "reasons": {"type": "array", "description": "The findings that decided the state, what to do first at "
                                                    "the top.",
                    "items": {"type": "object", "required": ["code", "severity", "title", "fix"],
                              "properties": {"code": {"type": "string"}, "severity": {"type": "string"},
                                             "title": {"type": "string"}, "fix": {"type": "string"}}}},
        "badges": {"type": "array", "items": {
            "type": "object", "required": ["name", "state", "words"],
            "properties": {"name": {"type": "string"}, "state": {"enum": ["yes", "no", "later", "unknown"]},
                           "words": {"type": "string"}}}},
        "not_checked": {**STRINGS, "description": "What the answer does not cover (revocation when it was not "
                                                  "checked; a root that trusts only where it is installed)."},
        "retry": {**NULLABLE_STRING, "description": "How to try again when nothing could be checked."},
        "trust_scope": {"type": ["string", "null"], "enum": ["public", "installed_root", None],
                        "description": "public: a publicly trusted root; installed_root: a root given for the "
                                       "check, trusted only where it is installed; null: not trusted."},
    },
}

PKCS12 = {
    "type": "object",
    "description": "What a .p12/.pfx holds and how it is protected (read before any key derivation).",
    "required": ["origin", "opened", "keys", "certificates", "protection", "platform_notes"],
    "properties": {
        "origin": {"type": "string"}, "opened": {"type": "boolean"},
        "keys": {"type": "array", "items": {"type": "object"}},
        "certificates": {"type": "array", "items": {"type": "object"}},
        "chain_complete": {"type": ["boolean", "null"]}, "missing_issuer": NULLABLE_STRING,
        "private_root": {"type": ["string", "null"],
                         "description": "The organisation's own root the file's chain stops just below (not "
                                        "needed in the file; every device must trust it)."},
        "friendly_names": STRINGS, "local_key_ids": STRINGS,
        "protection": {"type": ["object", "null"],
                       "description": "kind (legacy or modern), MAC algorithm, iterations and each part's scheme."},
        "declared_iterations": {"type": ["integer", "null"]},
        "platform_notes": {"type": "array", "items": EVIDENCE},
        "repackage": {"type": "array", "items": {"type": "object"}},
    },
}

ONLINE_REQUEST = {
    "type": "boolean",
    "description": "Fetch missing intermediates and ask the CA (OCSP, CRL) whether certificates are revoked. "
                   "Absent: as the site is set up; true is refused (invalid_field) where the site has online "
                   "checks off.",
}

ONLINE = {
    "type": "object", "required": ["enabled"],
    "description": "What the online checks did; when they were off, what was not checked.",
    "properties": {
        "enabled": {"type": "boolean"},
        "not_checked": {"type": "string"},
        "privacy": {"type": "string"},
        "requests_made": {"type": "integer"},
        "fetched": {"type": "array", "items": {
            "type": "object", "required": ["sha256", "url", "issued"],
            "properties": {"sha256": {"type": "string"}, "url": {"type": "string"}, "name": {"type": "string"},
                           "issued": {"type": "string", "description": "The certificate it issued."}}}},
        "fetch_failures": {"type": "array", "items": {
            "type": "object", "required": ["url", "reason"],
            "properties": {"url": {"type": "string"}, "reason": {"type": "string"}}}},
        "revocation": {"type": "array", "items": {
            "type": "object",
            "required": ["sha256", "status", "source", "url", "answered_at", "from_cache"],
            "properties": {
                "sha256": {"type": "string"},
                "name": {"type": "string", "description": "How a person knows the certificate."},
                "status": {"enum": ["good", "revoked", "unknown", "unreachable", "stale", "bad_signature"]},
                "words": {"type": "string", "description": "The status in plain words."},
                "source": {"enum": ["OCSP", "CRL"]}, "url": {"type": "string"},
                "detail": NULLABLE_STRING,
                "answered_at": {"type": ["string", "null"], "format": "date-time",
                                "description": "When the CA made the answer (OCSP producedAt, CRL thisUpdate)."},
                "next_update": {"type": ["string", "null"], "format": "date-time"},
                "revoked_at": {"type": ["string", "null"], "format": "date-time"},
                "reason": NULLABLE_STRING, "from_cache": {"type": "boolean"},
            }}},
    },
}

REPORT = {
    "type": "object",
    "required": ["status", "summary", "checked_at", "findings", "certificates", "chain", "trust",
                 "capabilities", "messages", "online", "question", "verdict", "pkcs12", "compatibility"],
    "properties": {
        "status": {"enum": ["pass", "warn", "fail"],
                   "description": "fail: at least one error; warn: warnings only; pass: nothing to fix."},
        "summary": {"type": "string", "description": "The verdict in one sentence."},
        "checked_at": {"type": "string", "format": "date-time"},
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "certificates": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}},
        "chain": {**STRINGS, "description": "SHA-256 fingerprints, leaf first, anchor last when one was reached."},
        "trust": {"$ref": "#/components/schemas/Trust"},
        "capabilities": {"type": "object", "required": ["sign", "encrypt"],
                         "properties": {"sign": {"type": "boolean"}, "encrypt": {"type": "boolean"}}},
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/SignedMessage"}},
        "online": ONLINE,
        "question": {"type": ["string", "null"], "description": "The same as verdict.question."},
        "verdict": VERDICT,
        "pkcs12": {"type": "array", "items": PKCS12},
        "compatibility": COMPATIBILITY,
        "compliance": {"type": "object", "description": "Only when compliance was asked for (command line "
                                                        "--compliance, or the compliance page)."},
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"], "additionalProperties": False,
        "properties": {
            "code": {"enum": ["empty", "invalid_json", "invalid_body", "invalid_field", "unknown_field", "bad_trust_anchor",
                              "too_large", "unsupported_media_type", "method_not_allowed", "rate_limited",
                              "internal_error"]},
            "message": {"type": "string", "description": "What went wrong, in words for a person."},
        },
    }},
}

JSON_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "description": "Pasted text: PEM blocks, a whole email, several certificates."},
        "files": {"type": "array", "items": {"type": "string", "contentEncoding": "base64"},
                  "description": "Files, base64-encoded: DER, PKCS#7, PKCS#12, .eml, Outlook .msg, .p7s."},
        "email": {"type": "string", "format": "email", "description": "The address the certificate is meant for."},
        "password": {"type": "string", "description": "Password of a PKCS#12 file; used once, never kept."},
        "trust": {"type": "array", "items": {"type": "string"},
                  "description": "Extra trust anchors (an organisation's roots), as PEM."},
        "online": ONLINE_REQUEST,
    },
}

FORM_REQUEST = {
    "type": "object",
    "properties": {
        "file": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"},
                 "description": "Files to check; repeat the field for several."},
        "text": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "password": {"type": "string"},
        "trust": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"},
                  "description": "Extra trust anchors (PEM or DER); repeat the field for several."},
        "online": {"enum": ["true", "false"], "description": ONLINE_REQUEST["description"]},
    },
}


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


@functools.cache
def _document(limit: int, files: int, rate: int) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SMIME Center certificate check",
            "version": "1.0.0",
            "description": "Explains whether S/MIME certificates will work for email, and why not. Nothing sent is "
                           f"stored. At most {limit} bytes of input and {files} files per request; "
                           + (f"{rate} requests per minute per client address." if rate else "no rate limit."),
        },
        "paths": {
            "/api/v1/diagnose": {
                "post": {
                    "operationId": "diagnose",
                    "summary": "Check certificates, a chain, a PKCS#12 file or a signed email",
                    "requestBody": {"required": True, "content": {
                        "multipart/form-data": {"schema": FORM_REQUEST,
                                                "encoding": {"file": {"contentType": "application/octet-stream"},
                                                             "trust": {"contentType": "application/octet-stream"}}},
                        "application/json": {"schema": JSON_REQUEST},
                    }},
                    "responses": {
                        "200": {"description": "The report (also printed by manage.py diagnose --format json).",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                        "400": _error_response("The request is not usable (nothing to check, bad JSON, bad field)."),
                        "405": _error_response("Only POST is accepted."),
                        "413": _error_response("More data or files than the check reads at once."),
                        "415": _error_response("Neither multipart/form-data nor application/json."),
                        "429": _error_response("Too many requests from this client address; see Retry-After."),
                        "500": _error_response("The check failed on the server's side."),
                    },
                },
            },
        },
        "components": {"schemas": {
            "Report": REPORT, "Finding": FINDING, "Certificate": CERTIFICATE, "Trust": TRUST,
            "SignedMessage": MESSAGE, "Error": ERROR,
        }},
    }


def openapi_document() -> dict:
    return _document(settings.DIAGNOSE_MAX_INPUT_BYTES, settings.DIAGNOSE_MAX_FILES,
                     settings.DIAGNOSE_RATE_LIMIT_PER_MINUTE)
