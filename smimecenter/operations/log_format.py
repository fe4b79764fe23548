"""One JSON object per log line, so that a log collector can read fields instead of guessing at text."""
from __future__ import annotations

import datetime as dt
import json
import logging


class JsonLineFormatter(logging.Formatter):
    """time, level, logger and message, the request fields when a line is about a request, and the
    exception's traceback (escaped onto the same line) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            line.update(http)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["traceback"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)
