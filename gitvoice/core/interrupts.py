"""Ctrl-C that is never lost. Python turns SIGINT into KeyboardInterrupt wherever the main thread happens to be;
raised inside a finalizer (`Exception ignored in ... __del__`) it is printed and swallowed, and the command would
go on to commit. The CLI's handler also remembers the interrupt, and the pipeline checks before anything is
committed."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

_interrupted = threading.Event()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def install() -> None:
    """Remember every Ctrl-C (main thread only: signal handlers cannot be set elsewhere)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)


def check() -> None:
    """KeyboardInterrupt if Ctrl-C came at any time, even where it was swallowed."""
    if _interrupted.is_set():
        raise KeyboardInterrupt


def interrupt() -> NoReturn:
    """Act on a Ctrl-C that came while it was deferred: remember it, and raise KeyboardInterrupt here."""
    _interrupted.set()
    raise KeyboardInterrupt


def was_interrupted() -> bool:
    return _interrupted.is_set()


@contextmanager
def deferred() -> Iterator[Callable[[], bool]]:
    """A step that must finish once begun (the voice note of a commit already made): Ctrl-C inside it is only
    noted, and the function yielded says whether it came. Without this, Ctrl-C during the note's audio encoding
    lands in a C callback, where Python prints it as "Exception ignored" and goes on anyway."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    came = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: came.set())
    try:
        yield came.is_set
    finally:
        signal.signal(signal.SIGINT, previous)
