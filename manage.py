#!/usr/bin/env python
"""Django's command-line utility for SMIME Center."""
from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smimecenter.settings")
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
