"""Notices from below the CLI (a GPU that fell back to the CPU, a model cache rebuilt) go to the `gitvoice` logger;
the entry points (the CLI, the hook entry) show them on stderr as `gitvoice: ...`, once each."""

from __future__ import annotations

import logging
import sys

LOGGER_NAME = "gitvoice"


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (a test runner or a hook may have replaced it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"gitvoice: {record.getMessage()}\n")
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken stderr must not fail the command
            pass


def show_notices_on_stderr() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    logger.disabled = False  # a library's logging.config.dictConfig (commitizen's, on import) disables it
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        logger.addHandler(_StderrHandler(logging.INFO))
        logger.setLevel(logging.INFO)
