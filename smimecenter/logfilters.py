"""Logging filters that keep the log useful under attack: one line per refusal, and no flood on demand.

They change which records are written and how much of them, never the format (set by LOGGING in settings):
- RefusalsWithoutTraceback: a refused request (a 4xx that Django logs, a suspicious request it drops) is
  an expected event, so its record keeps its one line and loses the traceback Django attaches.
- RepeatCap: a line repeated more than `per_minute` times a minute (same logger, level and message
  template) is written that often and then dropped for the rest of the minute; the first line of the next
  minute says how many were dropped. Counted per process. The request log is not capped: one line per
  request is its promise (every request line has the same template, so a cap would keep 20 a minute).
"""
from __future__ import annotations

import logging
import threading
import time

REFUSAL_LOGGERS = ("django.request", "django.security")


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        refused = (status is not None and 400 <= int(status) < 500) or record.name.startswith("django.security")
        if refused and record.name.startswith(REFUSAL_LOGGERS):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


class RepeatCap(logging.Filter):
    def __init__(self, per_minute: int = 20, uncapped: tuple[str, ...] | list[str] = ()) -> None:
        super().__init__()
        self.per_minute = per_minute
        self.uncapped = tuple(uncapped)   # loggers whose every line is written
        self._lock = threading.Lock()
        self._minute = -1
        self._counts: dict[tuple[str, int, str], int] = {}
        self._dropped: dict[tuple[str, int, str], int] = {}

    def reset(self) -> None:
        """Forget the counts: a new minute starts now (for tests, and after a log rotation)."""
        with self._lock:
            self._minute = -1
            self._counts.clear()
            self._dropped.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in self.uncapped:
            return True
        key = (record.name, record.levelno, str(record.msg))
        minute = int(time.monotonic() // 60)
        with self._lock:
            if minute != self._minute:
                self._minute = minute
                self._counts.clear()
                dropped, self._dropped = self._dropped, {}
            else:
                dropped = {}
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
            if count > self.per_minute:
                self._dropped[key] = self._dropped.get(key, 0) + 1
                return False
        earlier = dropped.get(key, 0) + sum(n for k, n in dropped.items() if k != key)
        if earlier:
            record.msg = f"{record.msg} [{earlier} repeated log lines were dropped in the minute before]"
        return True
