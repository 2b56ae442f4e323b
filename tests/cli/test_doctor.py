"""`git voice doctor` reports the machine and proves transcription works with the bundled sample."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from cli_helpers import VENV_BIN, run_main

from gitvoice.cli.doctor import bundled_sample


def test_the_bundled_sample_ships_inside_the_package() -> None:
    info = soundfile.info(bundled_sample())
    assert info.samplerate == 16000 and 5 < info.duration < 10


@pytest.mark.slow
def test_doctor_reports_and_self_tests(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(["doctor"], capsys)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for label in ("gitvoice:", "torch:", "openai-whisper:", "git:", "python:", "device:", "model:", "model cache:",
                  "audio input:", "audio output:", "ffmpeg:", "espeak-ng:", "self-test:"):
        assert label in out, out
    assert "cpu (float32)" in out
    assert "fetch_user" in out and "getUserById" in out
    rate = re.search(r"self-test WER:\s+(\d+)% of words", out)
    assert rate is not None and int(rate.group(1)) <= 15, out
    assert out.rstrip().endswith("doctor: all good")


@pytest.mark.slow
def test_doctor_fails_when_the_self_test_transcript_is_wrong(capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             human_clips: list[Any]) -> None:
    """A model that hears something else than the sample says must not pass: here the sample itself is swapped
    for another real recording, so the transcript is real and wrong."""
    from gitvoice.cli import doctor

    other = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    monkeypatch.setattr(doctor, "bundled_sample", lambda: other.path)
    result = run_main(["doctor"], capsys)
    assert result.exit_code == 1
    assert "self-test failed" in result.stderr and "doctor: all good" not in result.stdout


@pytest.mark.parametrize(("hypothesis", "expected"), [
    ("Rename getUserById to fetch_user and update the callers in api/users.py.", 0.0),
    ("rename get user by id to fetch user and update the callers in API slash users dot py", 0.0),
    ("Rename getUserById fetch_user and update the callers in api/users.py.", 1 / 16),
    ("Rename getUserById.", 11 / 16),
])
def test_word_error_rate(hypothesis: str, expected: float) -> None:
    from gitvoice.cli.doctor import SAMPLE_TEXT, word_error_rate

    spoken = hypothesis.replace(" slash ", "/").replace(" dot ", ".")
    assert word_error_rate(SAMPLE_TEXT, spoken) == pytest.approx(expected)


def test_doctor_fails_when_transcription_cannot_work(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bogus = tmp_path / "broken.pt"
    bogus.write_bytes(b"nope")
    result = run_main(["doctor", "--model", str(bogus)], capsys)
    assert result.exit_code != 0
    assert "gitvoice: error:" in result.stderr


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    long_note = tmp_path / "long.wav"
    rng = np.random.default_rng(1)
    soundfile.write(long_note, (rng.normal(0, 0.1, 16000 * 600)).astype(np.float32), 16000)
    process = subprocess.Popen([str(VENV_BIN / "git-voice"), "transcribe", str(long_note)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
