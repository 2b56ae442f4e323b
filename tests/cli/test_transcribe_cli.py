"""`git voice transcribe` and the CLI's error handling, in-process and as a real `git voice` subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cli_helpers import run_git_voice, run_main
from click.testing import CliRunner
from support import Clip

from gitvoice.cli.main import cli


def _one_error_line(stderr: str, expected: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("gitvoice: error:")]
    assert len(errors) == 1, stderr
    assert expected in errors[0], stderr
    assert "Traceback" not in stderr


def test_help_lists_the_commands_and_options() -> None:
    result = CliRunner().invoke(cli, ["transcribe", "--help"])
    assert result.exit_code == 0
    for option in ("--json", "--model", "--device", "--language", "--hotword"):
        assert option in result.output
    assert "transcribe" in CliRunner().invoke(cli, ["--help"]).output


def test_transcribe_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(["transcribe"], capsys)
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty file"),
    (b"definitely not audio\n" * 50, "not a readable audio file"),
])
def test_bad_files_fail_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                      expected: str) -> None:
    path = tmp_path / "note.wav"
    path.write_bytes(content)
    result = run_main(["transcribe", str(path)], capsys)
    assert result.exit_code == 1
    _one_error_line(result.stderr, expected)
    assert "hint:" in result.stderr


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(["transcribe", str(tmp_path / "gone.flac")], capsys)
    assert result.exit_code == 1
    _one_error_line(result.stderr, "gone.flac: no such file")


def test_unsupported_format_without_ffmpeg(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "memo.webm"
    path.write_bytes(b"\x1a\x45\xdf\xa3" + b"\0" * 64)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_main(["transcribe", str(path)], capsys)
    assert result.exit_code == 1
    _one_error_line(result.stderr, ".webm audio needs ffmpeg")


def test_unknown_model(speech_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(["transcribe", "--model", "huge", str(speech_dir / "human" / "sr_english_one_two_three.wav")],
                      capsys)
    assert result.exit_code == 1
    _one_error_line(result.stderr, "unknown model 'huge'")
    assert "hint: use tiny.en" in result.stderr


def test_bad_device(speech_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_main(["transcribe", "--device", "tpu", str(speech_dir / "human" / "sr_english_one_two_three.wav")],
                      capsys)
    assert result.exit_code == 2
    _one_error_line(result.stderr, "unknown device 'tpu'")


def test_unavailable_device_from_git_config(repo: Path, speech_dir: Path) -> None:
    clip = speech_dir / "human" / "sr_english_one_two_three.wav"
    (repo / ".git" / "config").open("a").write("[voice]\n\tdevice = cuda\n")
    result = run_git_voice(["transcribe", str(clip)], repo, env={"GITVOICE_DEVICE": ""})
    assert result.exit_code == 1
    _one_error_line(result.stderr, "device cuda was requested")


@pytest.mark.slow
def test_silence_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(16000 * 3, dtype=np.float32), 16000)
    result = run_main(["transcribe", str(path)], capsys)
    assert result.exit_code == 1
    _one_error_line(result.stderr, f"no speech detected in {path}")


@pytest.mark.slow
def test_json_output_per_file(human_clips: list[Clip], capsys: pytest.CaptureFixture[str]) -> None:
    clips = [c for c in human_clips if c.id in ("jfk_inaugural_1961", "pocketsphinx_goforward")]
    result = run_main(["transcribe", "--json", *(str(c.path) for c in clips)], capsys)
    assert result.exit_code == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["file"] for o in objects] == [str(c.path) for c in clips]
    for obj, clip in zip(objects, clips, strict=False):
        for key in ("text", "segments", "language", "model", "device", "dtype", "audio_s", "load_s", "transcribe_s"):
            assert key in obj
        assert obj["model"] == "tiny.en" and obj["device"] == "cpu" and obj["dtype"] == "float32"
        assert abs(obj["audio_s"] - clip.duration_s) < 0.05
        assert obj["segments"] and all({"start_s", "end_s", "text"} <= set(s) for s in obj["segments"])
    assert "ask not what your country" in objects[0]["text"].lower()
    assert "forward" in objects[1]["text"].lower()


@pytest.mark.slow
def test_real_git_voice_in_a_repository_uses_the_hotwords_file(repo: Path, synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev04_settings_toml")
    plain = run_git_voice(["transcribe", str(clip.path)], repo)
    assert plain.exit_code == 0, plain.stderr
    (repo / ".gitvoice").mkdir()
    (repo / ".gitvoice" / "hotwords.txt").write_text("# project words\nsettings.toml\nos.environ\nload_settings\n")
    hinted = run_git_voice(["transcribe", str(clip.path)], repo)
    assert hinted.exit_code == 0, hinted.stderr
    # the glossary steers Whisper towards the project's spelling
    assert "settings.toml" in hinted.stdout
    assert "settings.toml" not in plain.stdout


def test_unexpected_errors_leave_a_log(speech_dir: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, hermetic_env: Path) -> None:
    import gitvoice.audio.files as files

    def explode(path: Path) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(files, "read_audio", explode)
    result = run_main(["transcribe", str(speech_dir / "human" / "sr_english_one_two_three.wav")], capsys)
    assert result.exit_code == 70
    _one_error_line(result.stderr, "unexpected ZeroDivisionError: simulated bug")
    log_path = Path(result.stderr.split("details are in ")[1].split(";")[0])
    log = log_path.read_text()
    assert log_path.is_relative_to(hermetic_env)
    assert "Traceback" in log and "simulated bug" in log and "python:" in log


def test_a_ctrl_c_wrapped_by_python_is_an_interruption_not_a_crash(
        speech_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C while a module creates a class reaches us as RuntimeError("Error calling __set_name__ ..."),
    caused by the KeyboardInterrupt: it exits 130 like any Ctrl-C, with no crash log."""
    import gitvoice.audio.files as files

    def interrupted_import(path: Path) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'dynamism'") from interrupt

    monkeypatch.setattr(files, "read_audio", interrupted_import)
    result = run_main(["transcribe", str(speech_dir / "human" / "sr_english_one_two_three.wav")], capsys)
    assert result.exit_code == 130, result.stderr
    assert "interrupted" in result.stderr and "unexpected" not in result.stderr


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "gitvoice" in result.output


@pytest.mark.slow
def test_staged_identifiers_are_spelled_as_in_the_code_unless_no_context(
        repo: Path, synthetic_clips: list[Clip], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from support import git

    clip = next(c for c in synthetic_clips if c.id == "dev02_rename_fetch_user")
    (repo / "api").mkdir()
    (repo / "api" / "users.py").write_text("def getUserById(user_id):\n    return db.get(user_id)\n\n\n"
                                           "def show(user_id):\n    return render(getUserById(user_id))\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feat: users")
    (repo / "api" / "users.py").write_text("def fetch_user(user_id):\n    return db.get(user_id)\n\n\n"
                                           "def show(user_id):\n    return render(fetch_user(user_id))\n")
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)

    aware = run_main(["transcribe", str(clip.path)], capsys)
    assert aware.exit_code == 0, aware.stderr
    assert "fetch_user" in aware.stdout and "getUserById" in aware.stdout
    plain = run_main(["transcribe", "--no-context", str(clip.path)], capsys)
    assert plain.exit_code == 0, plain.stderr
    assert "fetch_user" not in plain.stdout and "getUserById" not in plain.stdout
