"""torch and whisper imported for good: the collector paused then frozen, numba left out, and whisper still whole."""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import gc, json, sys
import numpy as np
from gitvoice.transcription.torch_runtime import torch_module
torch = torch_module()
import whisper.timing
path = whisper.timing.dtw_cpu(np.array([[0.0, 1.0], [1.0, 0.0]]))  # numba's helper, uncompiled but right
print(json.dumps({"numba": "numba" in sys.modules, "frozen": gc.get_freeze_count(), "enabled": gc.isenabled(),
                  "path": path.tolist(), "whisper_model": "whisper.model" in sys.modules}))
"""


def test_torch_and_whisper_are_imported_for_good_without_numba() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    assert facts["whisper_model"] and not facts["numba"]
    assert facts["frozen"] > 100_000 and facts["enabled"]  # torch's objects out of the collector's way, and it runs
    assert facts["path"] == [[0, 1], [0, 1]]


def test_code_that_wants_numba_still_gets_the_real_one() -> None:
    code = ("from gitvoice.transcription.torch_runtime import torch_module\n"
            "torch_module()\n"
            "import numba\n"
            "print(numba.njit(lambda x: x + 1)(41))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42"


INTERRUPTED_CHILD = """
import os, signal, sys, threading, time
from gitvoice.core import interrupts
from gitvoice.transcription.torch_runtime import torch_module
interrupts.install()
def keep_pressing_ctrl_c():  # from the moment torch begins to import until whisper's model code does
    while "torch" not in sys.modules:
        time.sleep(0.0005)
    while "whisper.model" not in sys.modules:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.002)
threading.Thread(target=keep_pressing_ctrl_c, daemon=True).start()
try:
    torch_module()
except KeyboardInterrupt:
    print("interrupted after the import:", "whisper.model" in sys.modules, interrupts.was_interrupted())
    sys.exit(130)
"""


def test_ctrl_c_during_the_import_of_torch_exits_cleanly() -> None:
    """Ctrl-C inside torch's C++ start-up aborted the process (SIGABRT, "terminate called"): it is honoured once
    the import is over."""
    done = subprocess.run([sys.executable, "-c", INTERRUPTED_CHILD], capture_output=True, text=True, timeout=120,
                          check=False)
    assert "terminate called" not in done.stderr and done.returncode == 130, (done.returncode, done.stderr)
    assert done.stdout.strip() == "interrupted after the import: True True"
