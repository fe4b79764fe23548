"""A small generated content tree, so these tests do not depend on the real articles."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smimecenter.learn import current

GLOSSARY = '''title = "Glossary"
summary = "Words used on the site."
updated = 2026-11-01

[[sources]]
title = "RFC 5280"
url = "https://www.rfc-editor.org/rfc/rfc5280"

[[terms]]
id = "csr"
term = "CSR (certificate signing request)"
matches = ["CSR", "certificate signing request"]
short = "A request for a certificate."
body = "You send a CSR to a certificate authority."

[[terms]]
id = "intermediate"
term = "Intermediate certificate"
matches = ["intermediate certificate"]
short = "A certificate between yours and the root."
body = "It links your certificate to a root."
'''


def page(title: str, section: str, body: str, *, order: int = 1, extra: str = "", updated: str = "2026-10-01") -> str:
    return f'''+++
title = "{title}"
summary = "Summary of {title.lower()}."
section = "{section}"
updated = {updated}
order = {order}
{extra}
[[sources]]
title = "RFC 8551"
url = "https://www.rfc-editor.org/rfc/rfc8551"
+++

{body}
'''


def write_content(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "glossary.toml").write_text(GLOSSARY, encoding="utf-8")
    for relative, text in pages.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


SAMPLE = {
    "learn/why-trust-fails.md": page(
        "Why trust fails", "learn",
        "Mail apps build a chain.\n\n## Missing intermediate certificate {: #missing-intermediate }\n\n"
        "The intermediate certificate is missing. Send a CSR again.\n\n## Untrusted root\n\nThe root is unknown.\n",
        order=1, extra='related = ["what-is-a-csr"]\nredirect_from = ["trust-problems"]',
    ),
    "learn/what-is-a-csr.md": page(
        "What is a CSR", "learn",
        "A certificate signing request asks for a certificate.\n\n## What goes in it {: #contents }\n\n"
        "Your public key. See [trust](/learn/why-trust-fails/#missing-intermediate).\n",
        order=2,
    ),
    "guides/thunderbird.md": page(
        "Thunderbird", "guides", "## Import your certificate {: #import }\n\nOpen the certificate manager.\n",
        extra='applies_to = "Thunderbird 128"',
    ),
    "troubleshooting/p12-wrong-password.md": page(
        "A p12 file says wrong password", "troubleshooting",
        "## Modern encryption {: #modern-encryption }\n\nOpenSSL 3 uses AES for PKCS#12 files; re-export with -legacy.\n",
    ),
}


@pytest.fixture
def content(tmp_path: Path, settings) -> Iterator[Path]:
    settings.CONTENT_DIR = write_content(tmp_path, SAMPLE)
    current.reset()
    yield tmp_path
    current.reset()
