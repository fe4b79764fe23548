#!/usr/bin/env python
"""Django's command-line utility for SMIME Center."""
from __future__ import annotations

import os
import secrets
import sys

# Commands that sign nothing, keep no session and write nothing a secret protects: they run on any
# checkout, with DEBUG off and no SECRET_KEY, under a key made for this run only.
KEYLESS_COMMANDS = frozenset({"diagnose", "lock_links", "build_trust_store", "render_content"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smimecenter.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reads the environment: a bad value stops here)
    except ImproperlyConfigured as problem:
        # A configuration mistake is the person's to fix: say what it is, without a traceback.
        sys.stderr.write(f"SMIME Center is not configured: {problem}\n"
                         "On a development checkout, run commands with DEBUG=true (as `make run` does); "
                         "the README lists every setting.\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
