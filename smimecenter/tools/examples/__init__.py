"""The "Try an example" inputs of the certificate check: fixed files, committed, made by build.py.

Each example runs the ordinary check on its files. The examples' own root is given as trusted for that
one check only (as a person adds their organisation's root), and the result names it so.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..forms import DiagnosisRequest

HERE = Path(__file__).resolve().parent
ROOT_FILE = "example-root.pem"
# How results name the examples' root. It is trusted for the example's check only, on no device; the form
# says so, and results add that a root given with a check trusts only where it is installed.
EXAMPLE_ROOT_NAME = "the examples' own root"


@dataclass(frozen=True)
class Example:
    slug: str
    label: str
    what: str        # what the person will see, in one sentence
    files: tuple[str, ...]


EXAMPLES: tuple[Example, ...] = (
    Example("good-chain", "A good chain", "A mailbox certificate with its intermediate: it works.",
            ("good-chain.pem",)),
    Example("missing-intermediate", "A missing intermediate",
            "The same certificate without its intermediate, as it is often pasted.", ("missing-intermediate.pem",)),
    Example("tampered-message", "A changed signed message",
            "A signed email whose text was changed after it was signed.", ("tampered-message.eml",)),
)
_BY_SLUG = {example.slug: example for example in EXAMPLES}


@functools.cache
def _read(name: str) -> bytes:
    return (HERE / name).read_bytes()


def example_request(slug: str) -> DiagnosisRequest | None:
    """The check of one example, as if its files had been uploaded with the examples' root; None if unknown."""
    example = _BY_SLUG.get(slug)
    if example is None:
        return None
    return DiagnosisRequest(inputs=[_read(name) for name in example.files],
                            names=[f"the example file “{name}”" for name in example.files],
                            trust=[_read(ROOT_FILE)], trust_name=EXAMPLE_ROOT_NAME)
