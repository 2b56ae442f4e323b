"""Ctrl-C inside a step that must finish: noted, never printed from a C callback, and Ctrl-C works after it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import io, os, signal
    import numpy as np
    import soundfile
    from gitvoice.core import interrupts

    interrupts.install()
    samples = np.zeros(16000 * 20, dtype="float32")
    with interrupts.deferred() as interrupted:
        buffer = io.BytesIO()
        # Ctrl-C while libsndfile calls back into Python to write the encoded bytes.
        original = buffer.write
        def write(data):
            os.kill(os.getpid(), signal.SIGINT)
            return original(data)
        buffer.write = write
        soundfile.write(buffer, samples, 16000, format="OGG", subtype="VORBIS")
    print("finished", interrupted(), len(buffer.getvalue()) > 0, flush=True)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        import time; time.sleep(1)
        print("not interrupted")
    except KeyboardInterrupt:
        print("interrupted after")
""")


def test_ctrl_c_during_a_deferred_step_is_noted_and_works_again_after_it() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.splitlines() == ["finished True True", "interrupted after"], result.stdout
