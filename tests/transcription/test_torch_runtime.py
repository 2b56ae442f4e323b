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
