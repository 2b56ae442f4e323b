"""Playback through a real sound server: what the null sink's monitor hears while gitvoice speaks."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import VENV_BIN
from sound_server import SoundServer
from support import Clip, git

from gitvoice.audio.files import Samples
from gitvoice.audio.playback import PASSAGE_GAP_S, PlaybackControl, Utterance, join_utterances, play_sentences
from gitvoice.readback.engines import load_tts_engine

RATE_HZ = 22_050  # espeak-ng's output rate; the monitor is recorded at the same rate
SILENCE = 0.01  # amplitude below which a sample counts as silence
SENTENCES = [(0, "Fix: stop the download when the network drops."), (0, "By Ada Tester."),
             (1, "Modified fetch dot py, two lines added.")]


class Monitor:
    """`parecord` of the null sink's monitor: everything played into the default sink."""

    def __init__(self, server: SoundServer, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._process = subprocess.Popen(
            ["parecord", f"--device={server.sink}.monitor", "--raw", "--format=float32le", f"--rate={RATE_HZ}",
             "--channels=1", "--latency-msec=20"], stdout=self._file, stderr=subprocess.DEVNULL)

    def samples(self) -> Samples:
        return np.fromfile(self.path, dtype="<f4")

    def stop(self) -> Samples:
        self._process.send_signal(signal.SIGINT)
        self._process.wait(timeout=10)
        self._file.close()
        return self.samples()


@pytest.fixture
def monitor(sound_server: SoundServer, tmp_path: Path) -> Iterator[Monitor]:
    recorder = Monitor(sound_server, tmp_path / "monitor.raw")
    time.sleep(0.3)  # let parecord connect before anything plays
    yield recorder
    recorder.stop()


def voiced_s(samples: Samples) -> float:
    """Seconds from the first to the last sample above SILENCE: how long speech came out."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE)
    return 0.0 if loud.size == 0 else (loud[-1] - loud[0] + 1) / RATE_HZ


def synthesized_s(sentences: list[tuple[int, str]]) -> float:
    tts = load_tts_engine("espeak-ng")
    samples, _rate = join_utterances([Utterance(p, *tts.synthesize(text)) for p, text in sentences])
    return voiced_s(samples)


@pytest.mark.audio
def test_speech_reaches_the_sound_server_at_full_length(monitor: Monitor) -> None:
    expected_s = synthesized_s(SENTENCES)
    result = play_sentences(SENTENCES, load_tts_engine("espeak-ng").synthesize)
    time.sleep(0.3)
    heard = monitor.stop()
    assert result.finished
    assert float(np.sqrt(np.mean(heard**2))) > 0.005
    assert abs(voiced_s(heard) - expected_s) < 0.15 * expected_s, (voiced_s(heard), expected_s)


@pytest.mark.audio
def test_next_skips_the_rest_of_a_passage_and_quit_stops(monitor: Monitor) -> None:
    control = PlaybackControl()
    tts = load_tts_engine("espeak-ng")
    skipped_first = play_sentences(SENTENCES, tts.synthesize, control=control,
                                   on_passage=lambda passage: control.skip() if passage == 0 else None)
    assert skipped_first.finished
    only_file = synthesized_s(SENTENCES[2:])
    assert abs(skipped_first.played_s - only_file) < 0.2 * only_file + PASSAGE_GAP_S

    control = PlaybackControl()
    quit_at_file = play_sentences(SENTENCES, tts.synthesize, control=control,
                                  on_passage=lambda passage: control.quit() if passage == 1 else None)
    assert not quit_at_file.finished
    header = synthesized_s(SENTENCES[:2])
    assert abs(quit_at_file.played_s - header) < 0.2 * header


@pytest.mark.audio
def test_ctrl_c_stops_the_sound_at_once_and_exits_130(repo: Path, monitor: Monitor) -> None:
    long_body = " ".join(["The parser now reads every configuration file before it starts the server."] * 6)
    git(repo, "commit", "-q", "--allow-empty", "-m", "docs: explain the configuration", "-m", long_body)
    # Its own process group, signalled as a whole, as a terminal does on Ctrl-C (espeak-ng children included).
    process = subprocess.Popen([str(VENV_BIN / "git-voice"), "readback"], cwd=repo, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while voiced_s(monitor.samples()) < 1.0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no sound reached the monitor"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert err.strip().endswith("gitvoice: interrupted")
    time.sleep(0.5)
    heard = monitor.stop()
    # The whole readback is over 25 s of speech; the monitor heard only what played before the interrupt.
    assert voiced_s(heard) < 10.0


@pytest.mark.audio
def test_keys_in_a_terminal_pause_and_quit_and_the_terminal_is_restored(repo: Path, monitor: Monitor) -> None:
    import pty
    import termios

    long_body = " ".join(["Every request now carries a timeout so that a stuck server cannot hang the client."] * 6)
    git(repo, "commit", "-q", "--allow-empty", "-m", "fix: time out requests", "-m", long_body)
    leader, follower = pty.openpty()
    before = termios.tcgetattr(follower)
    process = subprocess.Popen([str(VENV_BIN / "git-voice"), "readback"], cwd=repo, stdin=follower,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while voiced_s(monitor.samples()) < 1.0:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no sound reached the monitor"
            time.sleep(0.05)
        os.write(leader, b" ")
        time.sleep(0.3)
        os.write(leader, b" ")
        time.sleep(0.3)
        os.write(leader, b"q")
        _out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "space pauses, n skips to the next file, c records a review comment, q quits" in err
        assert "paused (space resumes)\nresumed\n" in err
        assert err.endswith("stopped\n")
        assert termios.tcgetattr(follower) == before  # cbreak mode undone: echo and line editing are back
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
        os.close(follower)


@pytest.mark.audio
@pytest.mark.slow
def test_c_during_readback_records_a_review_comment_on_the_passage(repo: Path, monitor: Monitor,
                                                                   sound_server: SoundServer,
                                                                   synthetic_clips: list[Clip]) -> None:
    """In a terminal, `c` pauses the readback, records from the microphone, transcribes with the passage's
    identifiers and keeps the comment in refs/notes/voice-review; `q` then quits."""
    import json
    import pty

    from gitvoice.git.review_notes import read_review_note

    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    (repo / "hooks.py").write_text("def handle_webhook(request):\n    request_id = request.id\n    return None\n")
    git(repo, "add", "hooks.py")
    body = " ".join(["The webhook handler now logs the request id of every delivery it answers."] * 4)
    git(repo, "commit", "-q", "-m", "fix(hooks): log the request id", "-m", body)
    head = git(repo, "rev-parse", "HEAD").strip()
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(VENV_BIN / "git-voice"), "readback"], cwd=repo, stdin=follower,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while voiced_s(monitor.samples()) < 1.0:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no sound reached the monitor"
            time.sleep(0.05)
        os.write(leader, b"c")
        time.sleep(2.0)  # the readback pauses and the recorder opens the microphone
        player = sound_server.play(clip.path)
        assert player.wait(timeout=30) == 0
        deadline = time.monotonic() + 120  # silence stop, then the model transcribes the comment
        while read_review_note(head, repo) is None:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no comment was stored"
            time.sleep(0.2)
        os.write(leader, b"q")
        _out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "review comment: speak now" in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    comments = json.loads(read_review_note(head, repo) or "{}")
    text = json.dumps(comments).lower()
    assert "webhook" in text and "request" in text, comments
