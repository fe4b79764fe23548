"""`manage.py diagnose`: the diagnosis engine on the command line.

Exit status: 0 when no finding is an error, 1 when one is, 2 when the arguments cannot be used
(a missing file, a date that is not ISO 8601, trust anchors without a certificate).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smimecenter.diagnostics import Limits, Report, diagnose
from smimecenter.diagnostics.compliance.text import render_compatibility_text, render_compliance_text
from smimecenter.diagnostics.findings import Severity
from smimecenter.diagnostics.trust import TrustStore, TrustStoreError
from smimecenter.tools.online import site_online_checks

EXIT_ERROR_FINDING = 1
EXIT_UNUSABLE_ARGUMENTS = 2
# Fixes that ask for a person's own root end with how it is given here.
ADD_ROOT_ON_THE_COMMAND_LINE = "with --trust-file"

SEVERITY_HEADINGS = ((Severity.ERROR, "Errors"), (Severity.WARNING, "Warnings"),
                     (Severity.INFO, "Notes"))


class Command(BaseCommand):
    help = ("Explain what is wrong (or right) with S/MIME certificates, bundles, .p12 files and "
            "signed messages. Exit status: 0 no error, 1 an error finding, 2 unusable arguments.")
    requires_system_checks: list[str] = []  # a diagnosis needs neither the database nor the site
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE",
                            help="certificate, bundle, .p12 or message files; '-' reads standard input")
        parser.add_argument("--email", metavar="ADDR",
                            help="the address the certificate should be for")
        parser.add_argument("--password", metavar="PW", help="password of a .p12/.pfx file")
        parser.add_argument("--trust-file", metavar="PEM", action="append", default=[],
                            help="extra trust anchors (an organisation's private root); repeatable")
        parser.add_argument("--at", metavar="ISO-DATE",
                            help="check validity at this moment instead of now (e.g. 2027-01-31)")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        switch = parser.add_mutually_exclusive_group()
        switch.add_argument("--online", dest="online", action="store_true", default=None,
                            help="fetch missing intermediates and ask the CA (OCSP, CRL) whether the "
                                 "certificates are revoked (default: DIAGNOSE_ONLINE)")
        switch.add_argument("--offline", dest="online", action="store_false",
                            help="do not reach the network; the report says what was not checked")
        parser.add_argument("--compliance", action="store_true",
                            help="also lint the certificate against the CA/B Forum S/MIME Baseline "
                                 "Requirements (pkilint) and list which mail apps can use it")

    def handle(self, *args: object, **options: object) -> None:
        limits = Limits(max_input_bytes=settings.DIAGNOSE_MAX_INPUT_BYTES,
                        max_certificates=settings.DIAGNOSE_MAX_CERTIFICATES,
                        max_pkcs12_iterations=settings.DIAGNOSE_MAX_PKCS12_ITERATIONS)
        inputs = [self._read(str(name), limits.max_input_bytes, options.get("stdin"))
                  for name in options["files"]]
        at = _moment(options.get("at"))
        email = options.get("email")
        if email is not None and "@" not in str(email):
            raise CommandError(f"--email {email!r} is not an email address.",
                               returncode=EXIT_UNUSABLE_ARGUMENTS)
        trust = self._trust(list(getattr(settings, "DIAGNOSE_TRUST_FILES", []))
                            + list(options["trust_file"]))
        online = options.get("online")
        # Whoever runs the command runs the server: --online works even where the site keeps it off.
        online = settings.DIAGNOSE_ONLINE if online is None else online
        try:
            report = diagnose(inputs, email=email, password=options.get("password"), trust=trust,
                              at=at, limits=limits, compliance=bool(options.get("compliance")),
                              online=site_online_checks() if online else None,
                              add_root_where=ADD_ROOT_ON_THE_COMMAND_LINE)
        except Exception as error:  # never a traceback for a person at a terminal
            raise CommandError(f"The diagnosis could not be completed: {error}",
                               returncode=EXIT_UNUSABLE_ARGUMENTS) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(report))
            if options.get("compliance"):
                # The expert sections in words (diagnostics/compliance/text.py).
                sections = report.to_dict()
                self.stdout.write("\n" + render_compatibility_text(sections.get("compatibility")))
                self.stdout.write("\n" + render_compliance_text(sections["compliance"]))
        if report.has_errors():
            sys.exit(EXIT_ERROR_FINDING)

    def _read(self, name: str, limit: int, stdin: object) -> bytes:
        """The file's bytes, at most one byte past the limit (enough for the reader to refuse it)."""
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin
            source = getattr(stream, "buffer", stream)
            data = source.read(limit + 1)
            return data.encode("utf-8") if isinstance(data, str) else bytes(data)
        path = Path(name)
        try:
            with path.open("rb") as handle:
                return handle.read(limit + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror or error}.",
                               returncode=EXIT_UNUSABLE_ARGUMENTS) from error

    def _trust(self, paths: list[str]) -> list[TrustStore]:
        stores = []
        for name in paths:
            try:
                data = Path(name).read_bytes()
                stores.append(TrustStore.from_pem(data, name="Extra trust anchors",
                                                  provenance={"source": f"file {name}"}))
            except OSError as error:
                raise CommandError(f"Cannot read trust file {name}: {error.strerror or error}.",
                                   returncode=EXIT_UNUSABLE_ARGUMENTS) from error
            except TrustStoreError as error:
                raise CommandError(f"Trust file {name} holds no certificate ({error}).",
                                   returncode=EXIT_UNUSABLE_ARGUMENTS) from error
        return stores


def _moment(text: object) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError as error:
        raise CommandError(f"--at {text!r} is not an ISO 8601 date (for example 2027-01-31 or "
                           "2027-01-31T12:00:00Z).", returncode=EXIT_UNUSABLE_ARGUMENTS) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def render_text(report: Report) -> str:
    """The report for a person at a terminal: verdict, findings with their fix, then the chain."""
    lines = [f"Verdict: {report.status.upper()}"]
    verdict = report.verdict
    if verdict is not None:
        # The same verdict as the web page and the API: its question, state and headline.
        lines.append(f"{verdict.headline} [{verdict.state}; question: {verdict.question}]")
    lines += [report.summary, ""]
    if verdict is not None and verdict.retry:
        lines += [f"To check again: {verdict.retry}", ""]
    if verdict is not None and verdict.not_checked:
        lines += ["Not covered by this answer:", *(f"  - {words}" for words in verdict.not_checked), ""]
    for severity, heading in SEVERITY_HEADINGS:
        findings = [f for f in report.findings if f.severity is severity]
        if not findings:
            continue
        lines.append(f"{heading} ({len(findings)}):")
        for finding in findings:
            lines.append(f"  - {finding.title} [{finding.code}]")
            lines.append(f"    {finding.explanation}")
            if severity is not Severity.INFO:
                lines.append(f"    Fix: {finding.fix}")
            lines.append(f"    See {finding.learn_more} ({finding.reference})")
        lines.append("")
    by_fingerprint = {c["sha256"]: c for c in report.certificates}
    if report.chain:
        lines.append("Chain (yours first):")
        for index, fingerprint in enumerate(report.chain, start=1):
            cert = by_fingerprint.get(fingerprint)
            if cert is None:
                continue
            key = cert["key"]
            size = key.get("size") or key.get("curve") or ""
            lines.append(f"  {index}. [{cert['role']}] {cert['subject'] or '(empty subject)'}")
            lines.append(f"     valid {cert['not_before'][:10]} to {cert['not_after'][:10]}; "
                         f"{key['type']} {size}; SHA-256 {fingerprint}")
        trust = report.trust
        if trust.get("trusted"):
            version = trust.get("store_version")
            lines.append(f"  Trusted by: {trust['store']}" + (f" (version {version})" if version else ""))
        else:
            lines.append("  Not trusted by: " + ", ".join(trust.get("stores_consulted") or ()))
        lines.append("")
    lines.extend(_online_lines(report.online, by_fingerprint))
    if verdict is not None:
        # The verdict's badges, so the terminal never says "can sign" when the page would not.
        if verdict.badges:
            lines.append("; ".join(badge.words for badge in verdict.badges))
    else:
        capabilities = report.capabilities
        lines.append(f"Can sign: {'yes' if capabilities['sign'] else 'no'}; can receive encrypted "
                     f"mail: {'yes' if capabilities['encrypt'] else 'no'}")
    return "\n".join(lines)


def _online_lines(online: dict, certificates: dict) -> list[str]:
    """What the online checks did, or what they did not check."""
    if not online.get("enabled"):
        return [online.get("not_checked", ""), ""]
    lines = []
    for item in online.get("fetched", ()):
        name = (certificates.get(item["sha256"]) or {}).get("subject") or item["sha256"]
        lines.append(f"Fetched: {name} from {item['url']}")
    for answer in online.get("revocation", ()):
        name = (certificates.get(answer["sha256"]) or {}).get("subject") or answer["sha256"]
        when = answer["answered_at"].strftime("%Y-%m-%d %H:%M UTC") if answer.get("answered_at") else "no date"
        lines.append(f"Revocation ({answer['source']}, answer of {when}): {answer['status']} - {name}")
    lines.append(online.get("privacy", ""))
    return [*lines, ""]
