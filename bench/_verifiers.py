"""cryptography's own verifier, set up for mail certificates, to compare the engine against.

It answers only yes or no. Its default extension policies are for TLS, so both are relaxed to accept
any extension, and a CA must carry basicConstraints (RFC 5280 section 4.2.1.9).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store


def email_verifier(anchors: Sequence[x509.Certificate], at: dt.datetime):
    ca_policy = ExtensionPolicy.permit_all().require_present(x509.BasicConstraints, Criticality.AGNOSTIC, None)
    return (PolicyBuilder().store(Store(list(anchors))).time(at)
            .extension_policies(ca_policy=ca_policy, ee_policy=ExtensionPolicy.permit_all())
            .build_client_verifier())
