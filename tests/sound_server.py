"""pytest plugin: a private PulseAudio server whose default sink is a null sink, for tests that record.

There is no sound card in CI, but a real sound server works: a clip played into the null sink (`paplay`)
comes out of its `.monitor` source, the default input, which PortAudio reaches through ALSA's `pulse`
plugin (libasound2-plugins). The server is started once per session by the `sound_server` fixture, in its
own runtime directory with an anonymous socket, so it never touches a user's own sound server and works with
the per-test HOME of support.py's hermetic_env: tests and their subprocesses find it through PULSE_SERVER.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SINK = "gitvoice_test"
START_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class SoundServer:
    socket: Path
    sink: str
    log: Path

    @property
    def address(self) -> str:
        return f"unix:{self.socket}"

    def play(self, clip: Path) -> subprocess.Popen[bytes]:
        """Start playing `clip` into the null sink (what a microphone would hear); wait() on it to finish."""
        return subprocess.Popen(["paplay", f"--device={self.sink}", str(clip)],
                                env={**os.environ, "PULSE_SERVER": self.address},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _pactl(address: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pactl", *args], env={**os.environ, "PULSE_SERVER": address},
                          capture_output=True, text=True, timeout=10, check=False)


def _daemon_environment(runtime: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
    env.update(HOME=str(runtime), XDG_RUNTIME_DIR=str(runtime), XDG_CONFIG_HOME=str(runtime / "config"),
               PULSE_RUNTIME_PATH=str(runtime / "runtime"), PULSE_STATE_PATH=str(runtime / "state"))
    return env


def _start(runtime: Path) -> tuple[subprocess.Popen[bytes], SoundServer]:
    socket = runtime / "native"
    log = runtime / "pulseaudio.log"
    command = [
        "pulseaudio", "-n",  # no default.pa: only the modules below, no hardware probing
        "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disallow-exit",
        "--log-target=stderr", "--log-level=notice",
        "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}",
        "-L", f"module-null-sink sink_name={SINK} sink_properties=device.description=gitvoice-test",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, env=_daemon_environment(runtime), stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    server = SoundServer(socket=socket, sink=SINK, log=log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while _pactl(server.address, "info").returncode != 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RuntimeError(f"PulseAudio did not start; its log:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
    for args in (("set-default-sink", SINK), ("set-default-source", f"{SINK}.monitor")):
        result = _pactl(server.address, *args)
        if result.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {result.stderr}")
    return process, server


def _rescan_portaudio() -> None:
    """PortAudio lists devices once, when initialised: a process that imported it earlier must look again."""
    if "sounddevice" in sys.modules:
        from gitvoice.audio.devices import rescan_devices

        rescan_devices()


class MissingTools(RuntimeError):
    """pulseaudio, pactl or paplay is not installed."""


@contextlib.contextmanager
def running_sound_server() -> Iterator[SoundServer]:
    """A running PulseAudio with the null sink `gitvoice_test` as default sink and its monitor as default source;
    PULSE_SERVER points this process and its children at it until the block ends."""
    missing = [tool for tool in ("pulseaudio", "pactl", "paplay") if shutil.which(tool) is None]
    if missing:
        raise MissingTools(f"{', '.join(missing)} not installed: run scripts/setup.sh --dev "
                           "(apt install pulseaudio pulseaudio-utils libasound2-plugins)")
    # A short path: unix socket paths are limited to about 100 characters.
    runtime = Path(tempfile.mkdtemp(prefix="gv-pulse-"))
    process, server = _start(runtime)
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server.address  # for this process and every subprocess it starts
    _rescan_portaudio()
    try:
        yield server
    finally:
        if previous is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = previous
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture(scope="session")
def sound_server() -> Iterator[SoundServer]:
    """The session's sound server (see running_sound_server)."""
    try:
        with running_sound_server() as server:
            yield server
    except MissingTools as missing:
        pytest.fail(f"{missing}, or deselect with -m 'not audio'")
