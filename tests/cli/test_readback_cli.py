"""`git voice readback`: arguments, errors a user can cause, WAV output and the spoken round trip."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cli_helpers import run_git_voice, run_main
from support import git

from gitvoice.audio.files import read_audio

SUBJECT = "fix: stop the download when the network drops"
# Words of SUBJECT that must come back from the transcript (the type "fix" is spoken as "Fix." and tiny.en often
# hears it as "Fixed"/"Box", so it is left out). Measured with espeak-ng 1.51 and tiny.en on three subjects: 5/6,
# 4/4 and 5/5 content words came back.
CONTENT_WORDS = ("stop", "download", "network", "drops")
MIN_RECOVERED = 0.75


@pytest.fixture
def change(repo: Path) -> Path:
    (repo / "fetch.py").write_text("def fetch(url):\n    return get(url)\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", SUBJECT)
    return repo


def test_text_prints_the_script_of_head(change: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    result = run_main(["readback", "--text"], capsys)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Fix: stop the download when the network drops.\nBy Ada Tester.\n"
        "1 file changed: 1 added. 2 lines added.\n\nAdded fetch dot py, 2 lines, defining fetch.\n")


def test_full_text_of_a_range_and_a_patch_file(change: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    patch = tmp_path / "0001-fix.patch"
    patch.write_text(git(change, "format-patch", "-1", "--stdout"))
    result = run_main(["readback", "--full", "--text", "HEAD~1..HEAD", str(patch)], capsys)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Added: def fetch open paren url close paren colon.") == 2
    assert "Commit 1 of 2." in result.stdout and "Commit 2 of 2." in result.stdout


def test_output_writes_one_wav_with_speech(change: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    out = tmp_path / "out.wav"
    result = run_main(["readback", "-o", str(out)], capsys)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    info = soundfile.info(str(out))
    assert info.format == "WAV" and info.channels == 1
    samples, _rate = soundfile.read(str(out), dtype="float32")
    assert 3.0 < len(samples) / info.samplerate < 30.0
    assert float(np.sqrt(np.mean(samples**2))) > 0.01


def test_a_faster_rate_gives_shorter_audio(change: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    assert run_main(["readback", "--rate", "120", "-o", str(slow)], capsys).exit_code == 0
    git(change, "config", "voice.ttsRate", "300")
    assert run_main(["readback", "-o", str(fast)], capsys).exit_code == 0
    assert soundfile.info(str(fast)).duration < 0.7 * soundfile.info(str(slow)).duration


@pytest.mark.slow
def test_round_trip_the_transcriber_hears_the_subject(change: Path, tmp_path: Path, engine: object,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    out = tmp_path / "readback.wav"
    assert run_main(["readback", "-o", str(out)], capsys).exit_code == 0
    text = engine.transcribe(read_audio(out)).text.lower()  # type: ignore[attr-defined]
    heard = set(re.findall(r"[a-z]+", text))
    recovered = [word for word in CONTENT_WORDS if word in heard]
    assert len(recovered) / len(CONTENT_WORDS) >= MIN_RECOVERED, text


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["HEAD..HEAD"], "gitvoice: error: empty range: HEAD..HEAD has no commits", "hint: the range A..B"),
    (["no-such-branch"], "gitvoice: error: unknown revision or range: no-such-branch", "hint: give a commit"),
    (["missing.patch"], "gitvoice: error: missing.patch: cannot read the patch file (No such file or directory)",
     "hint: check the path"),
    (["notes.txt"], "gitvoice: error: notes.txt: not a patch (no commit message or diff in it)",
     "hint: give a file written by `git format-patch`"),
    (["--engine", "festival"], "gitvoice: error: unknown speech engine: festival", "hint: choose one of auto"),
])
def test_clear_errors(change: Path, args: list[str], message: str, hint: str, capsys: pytest.CaptureFixture[str],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    (change / "notes.txt").write_text("just some words\n")
    result = run_main(["readback", *args, "-o", "x.wav"], capsys)
    assert result.exit_code != 0
    assert result.stderr.splitlines()[:2] == [message, result.stderr.splitlines()[1]]
    assert result.stderr.splitlines()[1].startswith(hint)
    assert not (change / "x.wav").exists()


def test_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_main(["readback"], capsys)
    assert result.exit_code == 1
    assert "gitvoice: error: not a git repository" in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("piper") is not None, reason="piper-tts is installed here")
def test_piper_without_the_package_says_how_to_get_it(change: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    result = run_main(["readback", "--engine", "piper"], capsys)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "gitvoice: error: speech engine piper is not installed",
        "hint: pip install piper-tts, then give a voice file: --voice VOICE.onnx or git config voice.piperVoice "
        "/path/to/VOICE.onnx",
    ]


def test_a_piper_voice_file_names_piper_and_conflicts_with_another_engine(
        change: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(change)
    result = run_main(["readback", "--voice", "en_US-amy-medium.onnx"], capsys)
    assert result.exit_code == 1  # not espeak-ng handed an .onnx path as its voice name
    assert result.stderr.splitlines()[0] == "gitvoice: error: speech engine piper is not installed"
    result = run_main(["readback", "--engine", "espeak-ng", "--voice", "amy.onnx"], capsys)
    assert result.exit_code == 2 and "is a Piper voice file" in result.stderr


@pytest.mark.parametrize(("setting", "value"), [("GITVOICE_TTS_RATE", "5000"), ("GITVOICE_TTS_RATE", "fast")])
def test_a_configured_rate_is_checked_like_the_flag(change: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, setting: str,
                                                   value: str) -> None:
    monkeypatch.chdir(change)
    monkeypatch.setenv(setting, value)
    result = run_main(["readback", "-o", str(change / "out.wav")], capsys)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("gitvoice: error:")]
    assert errors == [f"gitvoice: error: GITVOICE_TTS_RATE / git config voice.ttsRate: {value!r} is not a speech "
                      "rate from 80 to 500 words per minute"]
    assert not (change / "out.wav").exists()


def test_espeak_missing_from_path(change: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with git but no espeak-ng: the default engine on Linux names itself and the package to install."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.chdir(change)
    result = run_main(["readback", "--engine", "espeak-ng", "-o", str(tmp_path / "x.wav")], capsys)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "gitvoice: error: speech engine espeak-ng is not installed"
    assert "apt install espeak-ng" in result.stderr.splitlines()[1]


def test_git_voice_readback_as_git_runs_it(change: Path, tmp_path: Path) -> None:
    out = tmp_path / "git.wav"
    result = run_git_voice(["readback", "-o", str(out), "HEAD"], change)
    assert result.exit_code == 0, result.stderr
    assert soundfile.info(str(out)).duration > 2.0
