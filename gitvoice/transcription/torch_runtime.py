"""torch and whisper, imported once for the rest of the process, as cheaply as they can be.

Two costs of a command's start are not Whisper's work: the garbage collector walking torch's objects while it
imports and again at exit (gitvoice.core.imports pauses it, then freezes them), and numba, which whisper imports
only to compile two helpers for word timestamps, which gitvoice never asks for (`_numba_left_out`). Together about
0.9 s of the 1.75 s `python -c "import torch, whisper.model"` takes on the 2-core benchmark machine
(docs/benchmarks.md, "whole process").
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from gitvoice.core import interrupts
from gitvoice.core.imports import long_lived_imports


def torch_module() -> ModuleType:
    """The torch module, with whisper's model code imported beside it."""
    if "whisper.model" not in sys.modules:
        # Ctrl-C waits for the import: torch's C++ start-up runs Python code, and a KeyboardInterrupt raised there
        # cannot unwind through it ("terminate called after throwing ... pybind11::error_already_set": the process
        # aborts instead of exiting 130). About 1 in 30 random Ctrl-C during the import did that.
        with interrupts.deferred() as interrupted, long_lived_imports(), _numba_left_out():
            import torch  # noqa: F401
            import whisper.model  # noqa: F401 -- and with it whisper's decoding, tokenizer and timing
        if interrupted():
            interrupts.interrupt()
    return sys.modules["torch"]


def _uncompiled(*args: Any, **kwargs: Any) -> Any:
    """numba.jit's stand-in: `@jit(...)` leaves the function as it is (plain Python: right, only slower)."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda function: function


@contextmanager
def _numba_left_out() -> Iterator[None]:
    """While whisper imports, `numba` is a stand-in whose `jit` compiles nothing. whisper.timing (word-level
    timestamps: dynamic time warping) is the only part of whisper that uses numba, and gitvoice never asks for word
    timestamps; importing numba and llvmlite costs 0.25 s. The stand-in is gone afterwards: code that imports numba
    itself gets the real one."""
    if "numba" in sys.modules:
        yield
        return
    stand_in = ModuleType("numba", "gitvoice's stand-in while whisper imports (see torch_runtime.py)")
    stand_in.jit = _uncompiled  # type: ignore[attr-defined]
    sys.modules["numba"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("numba") is stand_in:
            del sys.modules["numba"]
