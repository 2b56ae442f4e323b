"""`git voice record` as users run it: a real process, a clip played into the sound server as the microphone."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import soundfile
from cli_helpers import VENV_BIN, run_git_voice
from sound_server import SoundServer
from terminal_screen import run_in_terminal, screen

from gitvoice.audio.files import read_audio


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def _git_voice(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    """`git-voice ARGS` in its own process group, as a shell runs a foreground job; stdin is not a terminal.
    (Through `git voice`, Ctrl-C also ends git itself, which the shell reports as 130 all the same.)"""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen([str(VENV_BIN / "git-voice"), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.mark.audio
@pytest.mark.slow
def test_record_prints_the_file_and_the_same_transcript_as_the_whole_file(
        sound_server: SoundServer, human_clips: list[Any], repo: Path, engine: Any) -> None:
    clip = next(c for c in human_clips if c.id == "librivox_sense_sensibility_0880")
    recorder = _git_voice(["record", "--silence-seconds", "1.5", "--max-seconds", "40"], repo)
    time.sleep(1.0)  # the recorder is listening before the "speaker" starts
    player = sound_server.play(clip.path)
    stdout, stderr = recorder.communicate(timeout=120)
    assert player.wait(timeout=10) == 0
    assert recorder.returncode == 0, stderr
    path_line, transcript = stdout.strip().split("\n", 1)
    recording = Path(path_line)
    assert recording.is_file() and soundfile.info(recording).duration > clip.duration_s
    expected = _words(clip.text)
    assert len(expected & _words(transcript)) >= 0.7 * len(expected), transcript
    # Transcribed while recording, yet exactly what transcribing the finished file gives.
    assert transcript.strip() == engine.transcribe(read_audio(recording)).text
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert history[0]["status"] == "pending" and history[0]["transcript"] == transcript.strip()


@pytest.mark.audio
def test_ctrl_c_keeps_a_playable_recording_and_exits_130(
        sound_server: SoundServer, human_clips: list[Any], repo: Path) -> None:
    clip = next(c for c in human_clips if c.id == "librivox_sense_sensibility_0880")
    recorder = _git_voice(["record", "--silence-seconds", "0", "--max-seconds", "60"], repo)
    player = sound_server.play(clip.path)
    folder = repo / ".git" / "gitvoice" / "recordings"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the file grows on disk as it is captured: wait for 2 s of it
        takes = list(folder.glob("*.wav")) if folder.is_dir() else []
        if takes and soundfile.info(takes[0]).duration >= 2.0:
            break
        time.sleep(0.1)
    os.killpg(recorder.pid, signal.SIGINT)  # what Ctrl-C in the terminal does to the foreground job
    _stdout, stderr = recorder.communicate(timeout=60)
    player.kill()
    assert recorder.returncode == 130, stderr
    assert "Traceback" not in stderr and "terminate called" not in stderr
    kept = re.search(r"kept in (\S+)", stderr)
    assert kept, stderr
    info = soundfile.info(kept.group(1))
    assert 2.0 <= info.duration < 30 and info.samplerate == 16000
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert Path(history[0]["path"]) == Path(kept.group(1)).resolve()


def test_without_a_terminal_it_refuses_to_wait_for_an_enter_that_never_comes(repo: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(["git", "voice", "record", "--silence-seconds", "0"], cwd=repo, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 2, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("gitvoice: error:")]
    assert len(error) == 1 and "not a terminal" in error[0], result.stderr
    assert "--max-seconds" in result.stderr
    assert time.monotonic() - started < 30  # failed fast, did not wait


@pytest.mark.audio
def test_no_such_input_device_is_a_one_line_error_with_a_hint(sound_server: SoundServer, repo: Path) -> None:
    result = run_git_voice(["record", "--input-device", "no-such-microphone", "--max-seconds", "1"], repo)
    assert result.exit_code != 0
    error = [line for line in result.stderr.splitlines() if line.startswith("gitvoice: error:")]
    assert len(error) == 1 and "no input device" in error[0], result.stderr
    assert "--audio FILE" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.audio
def test_an_input_index_that_is_no_device_names_the_inputs_there_are(sound_server: SoundServer, repo: Path) -> None:
    result = run_git_voice(["record", "--input-device", "97", "--max-seconds", "1", "--no-transcribe"], repo)
    assert result.exit_code == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("gitvoice: error:")]
    assert error and "no input device 97 (the inputs are " in error[0], result.stderr
    assert "sound system reports none" not in result.stderr
    assert "hint: pick one from `git voice devices`" in result.stderr


@pytest.mark.audio
@pytest.mark.slow
def test_ctrl_c_during_record_no_transcribe_always_registers_the_recording(sound_server: SoundServer,
                                                                           repo: Path) -> None:
    """Repeated at random moments: the interrupt once surfaced as "release unlocked lock" and lost the entry."""
    import random

    rng = random.Random(11)
    for attempt in range(8):
        recorder = _git_voice(["record", "--no-transcribe", "--silence-seconds", "0", "--max-seconds", "60"], repo)
        time.sleep(rng.uniform(0.6, 2.0))
        os.killpg(recorder.pid, signal.SIGINT)
        _stdout, stderr = recorder.communicate(timeout=60)
        assert recorder.returncode == 130, (attempt, stderr)
        assert "Traceback" not in stderr and "RuntimeError" not in stderr, stderr
        kept = re.search(r"kept in (\S+)", stderr)
        assert kept, stderr
        history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
        assert Path(history[0]["path"]) == Path(kept.group(1)).resolve(), (attempt, history[0])


class _PressEnter:
    """Types Enter into the terminal once `ready(output)` holds, and keeps the screen as it was just before."""

    def __init__(self, ready: Callable[[str], bool], columns: int) -> None:
        self.ready = ready
        self.columns = columns
        self.screen_before: list[str] | None = None

    def __call__(self, output: str, terminal: int) -> None:
        if self.screen_before is None and self.ready(output):
            self.screen_before = screen(output, self.columns)
            os.write(terminal, b"\n")


@pytest.mark.audio
def test_enter_stops_the_recording_and_leaves_no_meter_on_the_screen(sound_server: SoundServer, repo: Path) -> None:
    """Enter used to be echoed: the cursor went down a line and the meter stayed above the path, for good."""
    started: list[float] = []

    def a_second_of_meter(output: str) -> bool:
        if "speak now" in output and not started:
            started.append(time.monotonic())
        return bool(started) and time.monotonic() - started[0] > 1.0

    enter = _PressEnter(a_second_of_meter, columns=80)
    shown = run_in_terminal([str(VENV_BIN / "git-voice"), "record", "--no-transcribe", "--max-seconds", "60"], repo,
                            on_output=enter)
    assert shown.exit_code == 0, shown.output
    assert enter.screen_before is not None and enter.screen_before[-1].startswith("● 0:0")
    assert "press Enter to stop" in enter.screen_before[-1]
    recording = repo / ".git" / "gitvoice" / "recordings"
    assert Path("".join(shown.screen)).parent == recording  # the path alone (wrapped at 80 columns): no meter
    assert shown.modes_after == shown.modes_before  # echo is back on


@pytest.mark.audio
@pytest.mark.slow
def test_the_words_recognised_show_under_the_meter_while_recording(sound_server: SoundServer,
                                                                   human_clips: list[Any], repo: Path) -> None:
    clip = next(c for c in human_clips if c.id == "jfk_inaugural_1961")  # 11 s, with pauses between phrases
    playing: list[subprocess.Popen[bytes]] = []

    def heard_the_end(output: str) -> bool:
        if "speak now" in output and not playing:
            playing.append(sound_server.play(clip.path))
        return re.search(r"for your country\.?\r", output[-400:], re.IGNORECASE) is not None  # the words line

    columns = 60  # narrower than the meter: it is cut, never wrapped
    enter = _PressEnter(heard_the_end, columns)
    shown = run_in_terminal([str(VENV_BIN / "git-voice"), "record", "--silence-seconds", "8", "--max-seconds", "60"],
                            repo, columns=columns, on_output=enter)
    assert playing and playing[0].wait(timeout=30) == 0
    assert shown.exit_code == 0, shown.output
    assert enter.screen_before is not None, shown.output
    meter, words = enter.screen_before[-2:]
    assert meter.startswith("● 0:") and meter.endswith("…") and len(meter) == columns - 1
    assert words.startswith("  ") and words.lower().rstrip(".").endswith("for your country"), words
    assert len(words) <= columns - 1
    # Stopped: the meter and the words are gone; the path and the transcript are all that is left.
    printed = "".join(shown.screen)
    assert printed.startswith(str(repo / ".git" / "gitvoice" / "recordings")) and "●" not in printed
    assert "asknotwhatyourcountrycandoforyou" in printed.lower().replace(" ", "")  # (a wrap drops a space)
    assert shown.modes_after == shown.modes_before
