"""Facts about the current run (model, device, dtype) for crash logs, and the crash log writer."""

from __future__ import annotations

import platform
import sys
import time
import traceback
from pathlib import Path

from gitvoice import __version__
from gitvoice.core.paths import unused_path, user_state_dir

_facts: dict[str, str] = {}


def record(**facts: str) -> None:
    _facts.update(facts)


def write_crash_log(exc: BaseException, argv: list[str]) -> Path:
    """Write the traceback with versions, device and dtype; return the log's path."""
    lines = [
        f"gitvoice {__version__} crash log, {time.strftime('%Y-%m-%dT%H:%M:%S%z')}",
        f"argv: {argv}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
    ]
    torch = sys.modules.get("torch")
    if torch is not None:
        lines.append(f"torch: {torch.__version__}")
    lines += [f"{key}: {value}" for key, value in sorted(_facts.items())]
    lines.append("")
    lines += traceback.format_exception(exc)
    path = unused_path(user_state_dir() / "logs", "crash-", ".log")  # never overwrites an earlier crash's log
    path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n")
    return path
