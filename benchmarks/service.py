"""The warm service against transcribing in the command: a whole `git voice transcribe` process on a ~30 s note,
with `voice.server=auto` and a warm `git voice serve` against `voice.server=off`; peak RSS of the client and of
the service; requests per minute for 10 s clips. Writes the `service` section of docs/benchmarks.md.

    python benchmarks/service.py [--runs 3] [--requests 8]

`--whole-process` measures instead a whole `git voice commit --audio note.wav --no-edit` with no service (int8 and
float32 weights) against faster-whisper transcribing the same file in a process of its own, and where the
command's time goes (writes the `whole-process` section):

    python benchmarks/service.py --whole-process [--runs 5] [--fw-python /tmp/fws-venv/bin/python]
        [--before DIR]   # also time the gitvoice source tree in DIR (e.g. `git archive HEAD | tar -x -C DIR`)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, peak_rss_mib, speech_dir, today, write_section
from whole_process import whole_process

from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
from gitvoice.service.wire import wav_bytes

NOTE_CLIPS = ("jfk_inaugural_1961", "librispeech_2412-153948-0000", "ljspeech_LJ001-0006")
GAP_S = 0.8
VENV_BIN = Path(sys.executable).parent


def build_note(folder: Path) -> tuple[Path, float]:
    """Three shared human clips with 0.8 s pauses: about 30 s of speech, as a 16 kHz WAV."""
    gap = np.zeros(int(GAP_S * SAMPLE_RATE_HZ), dtype=np.float32)
    pieces: list[np.ndarray] = []
    for name in NOTE_CLIPS:
        pieces += [read_audio(speech_dir() / "human" / f"{name}.wav"), gap]
    note = np.concatenate(pieces[:-1])
    path = folder / "note30.wav"
    path.write_bytes(wav_bytes(note))
    return path, len(note) / SAMPLE_RATE_HZ


def run_measured(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Like run_command, with the peak RSS of the `git-voice` process itself (git execs it as a child)."""
    started = time.perf_counter()
    child = subprocess.Popen([str(VENV_BIN / "git-voice"), *args], env=env, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    stdout = child.stdout.read() if child.stdout else b""
    stderr = child.stderr.read() if child.stderr else b""
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"git voice {' '.join(args)} failed: {stderr.decode()}")
    return wall, usage.ru_maxrss / 1024, stdout.decode()


def requests_per_minute(url: str, token: str, clip: Path, requests: int, concurrency: int) -> float:
    from gitvoice.service.client import ServiceClient

    samples = read_audio(clip)[: 10 * SAMPLE_RATE_HZ]
    wav = wav_bytes(samples)
    client = ServiceClient(url, token, timeout_s=600)
    left = list(range(requests))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not left:
                    return
                left.pop()
            client.transcribe(wav, model="tiny.en", audio_s=10.0)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - started) * 60


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--whole-process", action="store_true", help="git voice commit against faster-whisper")
    parser.add_argument("--fw-python", type=Path, help="a Python with faster-whisper (default: this one)")
    parser.add_argument("--before", type=Path, help="with --whole-process: also run the gitvoice tree in this folder")
    options = parser.parse_args()
    if options.whole_process:
        body = whole_process(options.runs, options.fw_python or Path(sys.executable), options.before, build_note)
        print(body)
        if not options.no_write:
            write_section("whole-process", body)
        return
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gitvoice-bench-service-") as tmp:
        root = Path(tmp)
        (root / "run").mkdir(mode=0o700)
        note, note_s = build_note(root)
        env = {**os.environ, "HOME": str(root), "XDG_STATE_HOME": str(root / "state"),
               "XDG_RUNTIME_DIR": str(root / "run"), "GITVOICE_DEVICE": "cpu",
               "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
        env.pop("GITVOICE_SERVER", None)
        local = [run_measured(["transcribe", str(note)], {**env, "GITVOICE_SERVER": "off"}, root)
                 for _ in range(options.runs)]
        started = time.perf_counter()
        subprocess.run(["git", "voice", "serve", "--background", "--idle-seconds", "0"], env=env, cwd=root,
                       check=True, capture_output=True)
        start_s = time.perf_counter() - started
        state = json.loads((root / "run" / "gitvoice" / "server.json").read_text())
        served_env = {**env, "GITVOICE_SERVER": "auto", "GITVOICE_SERVER_FALLBACK": "error"}
        run_measured(["transcribe", str(note)], served_env, root)  # the service's first request: warm-up
        served = [run_measured(["transcribe", str(note)], served_env, root) for _ in range(options.runs)]
        rpm_1 = requests_per_minute(state["url"], state["token"], speech_dir() / "human" / f"{NOTE_CLIPS[0]}.wav",
                                    options.requests, 1)
        rpm_2 = requests_per_minute(state["url"], state["token"], speech_dir() / "human" / f"{NOTE_CLIPS[0]}.wav",
                                    options.requests, 2)
        service_rss = peak_rss_mib(state["pid"])
        subprocess.run(["git", "voice", "serve", "--stop"], env=env, cwd=root, check=True, capture_output=True)
    same = {run[2] for run in local} == {run[2] for run in served}

    def row(name: str, runs: list[tuple[float, float, str]]) -> str:
        walls = [run[0] for run in runs]
        return (f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} / {max(walls):.2f} | "
                f"{statistics.median(run[1] for run in runs):.0f} |")

    body = "\n".join([
        f"## The warm service: `git voice transcribe` on a {note_s:.1f} s note ({today()})",
        "",
        f"Machine: {machine()}; shared with other jobs (load average before the runs: "
        f"{', '.join(f'{x:.2f}' for x in load_before)}), so absolute times are noisy; the ratio is what "
        f"matters. `python benchmarks/service.py --runs {options.runs} --requests {options.requests}`.",
        "",
        f"The note: {', '.join(NOTE_CLIPS)} with {GAP_S} s pauses. Each run is a whole `git-voice transcribe` "
        "process (interpreter start, imports, reading the file, transcribing, printing); peak RSS is that "
        "process's own (`wait4`).",
        "",
        "| voice.server | wall, median (s) | min / max (s) | client peak RSS (MiB) |",
        "|---|---:|---:|---:|",
        row("off (the model loads in the command)", local),
        row("auto, service warm", served),
        "",
        f"- The same text both ways: {'yes' if same else 'no'}.",
        f"- Starting the service (`git voice serve --background` until it answers healthy, model loaded and warmed "
        f"up): {start_s:.1f} s; it is paid once, by the first command, then again only after "
        "voice.serverIdleSeconds unused.",
        f"- The service's peak RSS: {service_rss:.0f} MiB (the model, torch and silero-vad, kept loaded).",
        f"- Throughput for 10 s clips (the first 10 s of {NOTE_CLIPS[0]}): {rpm_1:.1f} requests/minute one at a "
        f"time, {rpm_2:.1f} with two clients at once (the second waits in the queue: one decode at a time).",
        "- GPU: no GPU machine was used for this table; a CUDA `git voice serve --device cuda` (or vLLM for a team) "
        "is what `python benchmarks/service.py` on such a machine would measure.",
    ])
    print(body)
    if not options.no_write:
        write_section("service", body)


if __name__ == "__main__":
    main()
