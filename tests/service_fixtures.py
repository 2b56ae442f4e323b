"""Servers for the service tests: gitvoice's engine served in this process, and a real `git voice serve`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gitvoice.service.server import ServiceServer, TranscriptionService

TOKEN = "test-token-1234567890"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def served(engine: Any) -> Iterator[ServiceServer]:
    """The session's engine behind the HTTP server, in a thread of this process."""
    server = ServiceServer(TranscriptionService([("tiny.en", engine)], TOKEN))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    # A request thread still alive when the interpreter exits, having run torch, aborts it ("terminate called
    # without an active exception", as gitvoice.cli.main._leave explains): wait for the clients to be done.
    for handler in threading.enumerate():
        if "process_request_thread" in handler.name:
            handler.join(timeout=60)


@pytest.fixture(scope="module")
def jfk(speech_dir: Path) -> Path:
    return speech_dir / "human" / "jfk_inaugural_1961.wav"


def service_env(root: Path, model_cache_dir: Path) -> dict[str, str]:
    """An environment of its own for a `git voice serve` process: own HOME, state and runtime folders."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("GIT_", "GITVOICE_"))}
    runtime = root / "run"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    env.update(HOME=str(root), XDG_STATE_HOME=str(root / "state"), XDG_RUNTIME_DIR=str(runtime),
               XDG_CACHE_HOME=str(root / "cache"), GITVOICE_CACHE_DIR=str(model_cache_dir), GITVOICE_DEVICE="cpu",
               GIT_CONFIG_NOSYSTEM="1", PATH=f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}")
    return env


@dataclass(frozen=True)
class RunningService:
    url: str
    token: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def git_voice_serve(tmp_path_factory: pytest.TempPathFactory, model_cache_dir: Path) -> Iterator[RunningService]:
    """A real `git voice serve` in the foreground of its own process, as a user starts it in a terminal."""
    root = tmp_path_factory.mktemp("serve")
    env = service_env(root, model_cache_dir)
    log = (root / "serve.log").open("wb")
    process = subprocess.Popen(["git", "voice", "serve"], env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    state_file = root / "run" / "gitvoice" / "server.json"
    deadline = time.monotonic() + 180
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"git voice serve did not start: {(root / 'serve.log').read_text()}")
        time.sleep(0.2)
    state = json.loads(state_file.read_text())
    yield RunningService(state["url"], state["token"], env, process)
    process.terminate()
    process.wait(timeout=30)
    log.close()
    assert not state_file.exists(), "the service removes its state file when it stops"


def imported_modules(stderr: str) -> set[str]:
    """The modules a process imported, from its PYTHONPROFILEIMPORTTIME lines on stderr."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def without_import_lines(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))
