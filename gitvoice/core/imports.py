"""Importing the modules that stay loaded until the process exits (torch, whisper, silero-vad) without the cyclic
garbage collector walking them over and over.

Importing torch creates a few hundred thousand Python objects. While it imports, the collector's thresholds are
crossed again and again, and each full collection walks everything made so far; at exit, the interpreter's last
collection walks them all once more. None of them is ever garbage: they live as long as the process. Pausing the
collector during the import and then freezing what exists (`gc.freeze()`: moved out of the collector's sight, still
freed by reference counting) took `python -c "import torch, whisper.model"` from 1.75 s to 1.05 s on the 2-core
benchmark machine (docs/benchmarks.md, "whole process").
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.RLock()  # two threads may import at once (the VAD while the model loads)


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """Run the imports in the block with the collector paused, then freeze every object that exists."""
    with _lock:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
