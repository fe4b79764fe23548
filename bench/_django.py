"""Set up Django for a benchmark script run from the repository root."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("REQUEST_LOG", "false")  # a line per request would drown the figures
    import django

    django.setup()
