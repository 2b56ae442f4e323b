"""`git voice record` as users run it: a real process, a clip played into the sound server as the microphone."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import soundfile
from cli_helpers import VENV_BIN, run_git_voice
from sound_server import SoundServer

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
