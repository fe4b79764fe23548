"""Running the engine online against the tests' local server."""
from __future__ import annotations

import datetime as dt

from smimecenter.diagnostics.engine import diagnose_parsed
from smimecenter.diagnostics.inputs import read_inputs
from smimecenter.diagnostics.online.fetch import FetchPolicy, parse_allow_list
from smimecenter.diagnostics.online.session import OnlineChecks
from smimecenter.diagnostics.trust import TrustStore
from tests.diagnostics.builders import pem

LOCAL_ONLY = FetchPolicy(allow=parse_allow_list(["127.0.0.1"]))


def diagnose_online(*certificates, root, online: OnlineChecks | None = None, at: dt.datetime | None = None,
                    policy: FetchPolicy = LOCAL_ONLY, cache=None):
    """Diagnose the PEM of `certificates` with `root` as the publicly trusted anchor, online by default."""
    store = TrustStore.from_pem(pem(root), name="Mozilla email roots")
    parsed = read_inputs([pem(*certificates)])
    checks = online if online is not None else OnlineChecks(policy=policy, cache=cache)
    return diagnose_parsed(parsed, email=None, stores=[store], public_store=store, at=at, online=checks)


def diagnose_offline(*certificates, root):
    store = TrustStore.from_pem(pem(root), name="Mozilla email roots")
    return diagnose_parsed(read_inputs([pem(*certificates)]), email=None, stores=[store],
                           public_store=store, at=None, online=None)
