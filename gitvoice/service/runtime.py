"""The local service's state on disk (address, process, token) and starting it on demand, in the background.

The state is one file, `server.json`, readable by the user only (mode 0600, in a 0700 folder): in
$XDG_RUNTIME_DIR/gitvoice (a per-user tmpfs that the login session clears), else the user state folder. It holds
the bearer token that every request but the health check needs, so another user on the machine cannot use or stop
the service. The log is `server.log` in the user state folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from gitvoice.core.errors import GitVoiceError
from gitvoice.core.paths import user_state_dir
from gitvoice.service.client import ServiceClient, ServiceUnavailable

STATE_NAME = "server.json"
LOG_NAME = "server.log"
START_TIMEOUT_S = 90.0  # importing torch and loading the model, on a busy 2-core machine: about 5-15 s


@dataclass(frozen=True)
class ServerState:
    url: str  # http://127.0.0.1:PORT
    pid: int
    token: str
    models: list[str]
    device: str
    log: str  # the log file's path
    idle_s: float  # 0: never exits on its own


def runtime_dir() -> Path:
    """$XDG_RUNTIME_DIR/gitvoice, else the user state folder; created private to the user."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "gitvoice" if base and Path(base).is_dir() else user_state_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


def state_path() -> Path:
    return runtime_dir() / STATE_NAME


def log_path() -> Path:
    folder = user_state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / LOG_NAME


def write_state(state: ServerState) -> Path:
    """Write the state file atomically, created with mode 0600 (never readable by others, not even briefly)."""
    target = state_path()
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(asdict(state), file)
    os.replace(partial, target)
    return target


def read_state() -> ServerState | None:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def remove_state(pid: int) -> None:
    """Remove the state file if it still describes process `pid` (a newer server may have replaced it)."""
    state = read_state()
    if state is not None and state.pid == pid:
        state_path().unlink(missing_ok=True)


def client_for(state: ServerState, timeout_s: float = 60.0) -> ServiceClient:
    return ServiceClient(state.url, state.token, timeout_s,
                         fix_hint=f"see its log {state.log}; `git voice serve --stop` ends it, the next command "
                         "starts a new one")


def running_server() -> ServerState | None:
    """The local service that the state file names, if it answers as that process."""
    state = read_state()
    if state is None:
        return None
    health = client_for(state).health()
    if health is None or health.get("pid") != state.pid:
        return None
    return state


@contextlib.contextmanager
def _start_lock() -> Iterator[None]:
    """Only one command starts the service at a time; the others wait and then use it."""
    try:
        import fcntl
    except ImportError:  # Windows: two commands may both start one; the second exits, its port already taken
        yield
        return
    with open(runtime_dir() / "server.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def serve_command(models: list[str], device: str, idle_s: float, weights: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "gitvoice", "serve", "--device", device, "--idle-seconds", f"{idle_s:g}"]
    if weights:
        command += ["--cpu-weights", weights]
    for model in models:
        command += ["--model", model]
    return command


def start_in_background(models: list[str], device: str, idle_s: float,
                        timeout_s: float = START_TIMEOUT_S, *, weights: str | None = None) -> ServerState:
    """The running local service, started first (detached, logging to server.log) when there is none; `weights`
    (voice.cpuWeights) is what it runs with on the CPU."""
    with _start_lock():
        state = running_server()
        if state is not None:
            return state
        log = log_path()
        with open(log, "ab") as log_file:
            # cwd: `python -m` puts it first on sys.path, where a folder named gitvoice would shadow the package;
            # the runtime folder holds only our files, and the service keeps no repository busy.
            process = subprocess.Popen(serve_command(models, device, idle_s, weights), stdin=subprocess.DEVNULL,
                                       stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                       close_fds=True, cwd=runtime_dir())
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServiceUnavailable(f"`git voice serve` exited with code {process.returncode} while starting",
                                         hint=f"its log is {log}")
            state = read_state()
            if state is not None and state.pid == process.pid and client_for(state).health() is not None:
                return state
            time.sleep(0.1)
        process.terminate()
        raise ServiceUnavailable(f"`git voice serve` did not start within {timeout_s:.0f} s",
                                 hint=f"its log is {log}")


def stop_server(timeout_s: float = 10.0) -> ServerState | None:
    """Ask the running local service to exit, and wait until it has; None when none was running."""
    state = running_server()
    if state is None:
        stale = read_state()
        if stale is not None:
            state_path().unlink(missing_ok=True)
        return None
    with contextlib.suppress(ServiceUnavailable):
        client_for(state, timeout_s).shutdown()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and client_for(state).health(timeout_s=0.5) is not None:
        time.sleep(0.1)
    if client_for(state).health(timeout_s=0.5) is not None:
        raise GitVoiceError(f"the service (process {state.pid}) did not stop within {timeout_s:.0f} s",
                            hint=f"kill {state.pid}")
    remove_state(state.pid)
    return state
