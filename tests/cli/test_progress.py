"""Progress while a recording given as a file is transcribed: on a terminal, one line redrawn in place
(`transcribing: chunk 2/3, 4 s`) and erased when done; through a pipe, not one byte more. Real `git voice`
processes on a real pseudo-terminal, in real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import Clip, git, long_recording
from terminal_screen import assert_progress_shown_then_erased, run_in_terminal


@pytest.fixture
def three_sentences(tmp_path: Path, synthetic_clips: list[Clip]) -> Path:
    by_id = {c.id: c for c in synthetic_clips}
    order = ["dev07_handle_webhook", "dev02_rename_fetch_user", "dev04_settings_toml"]
    return long_recording(tmp_path / "three sentences.wav", [by_id[name] for name in order])


@pytest.mark.slow
def test_transcribe_shows_progress_on_a_terminal_and_nothing_through_a_pipe(repo: Path,
                                                                             three_sentences: Path) -> None:
    shown = run_in_terminal(["git", "voice", "transcribe", str(three_sentences)], repo)
    assert shown.exit_code == 0, shown.output
    assert_progress_shown_then_erased(shown)
    transcript = " ".join(shown.screen)
    assert "webhook" in transcript.lower() and "settings" in transcript.lower(), shown.screen

    piped = run_in_terminal(["git", "voice", "transcribe", str(three_sentences)], repo, stderr_to_pipe=True)
    assert piped.exit_code == 0
    assert piped.stderr == ""  # CI logs and `2>file` get nothing extra
    assert "transcribing" not in piped.output and "\x1b" not in piped.output


@pytest.mark.slow
def test_several_files_name_the_one_being_transcribed(repo: Path, three_sentences: Path,
                                                      synthetic_clips: list[Clip]) -> None:
    short = synthetic_clips[0].path
    shown = run_in_terminal(["git", "voice", "transcribe", str(three_sentences), str(short)], repo)
    assert shown.exit_code == 0, shown.output
    assert "transcribing three sentences.wav: chunk 1/" in shown.output
    assert f"transcribing {short.name}: chunk 1/1" in shown.output
    assert not any("transcribing" in row for row in shown.screen), shown.screen
    printed = "".join(shown.screen)  # rows a long path wrapped onto, joined again
    assert printed.index(f"{three_sentences}: ") < printed.index(f"{short}: ")


@pytest.mark.slow
def test_commit_with_audio_shows_progress_then_only_its_own_lines(repo: Path, three_sentences: Path) -> None:
    (repo / "hooks").mkdir()
    (repo / "hooks" / "webhook.py").write_text("def handle_webhook(request):\n    return forward(request)\n")
    git(repo, "add", "-A")
    shown = run_in_terminal(["git", "voice", "commit", "--audio", str(three_sentences), "--no-edit"], repo)
    assert shown.exit_code == 0, shown.output
    assert_progress_shown_then_erased(shown)
    head = git(repo, "rev-parse", "HEAD").strip()
    assert any(row.startswith(f"voice note on {head[:12]}") for row in shown.screen), shown.screen
    assert "webhook" in git(repo, "log", "-1", "--format=%B").lower()


@pytest.mark.slow
def test_format_patch_with_audio_shows_progress_then_only_the_patch_files(repo: Path, three_sentences: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    for number in (1, 2):
        (repo / f"file{number}.txt").write_text(f"{number}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"feat: add file {number}")
    shown = run_in_terminal(["git", "voice", "format-patch", "--audio", str(three_sentences), "--", "-o", "out",
                             f"{base}..HEAD"], repo)
    assert shown.exit_code == 0, shown.output
    assert_progress_shown_then_erased(shown)
    names = ["0000-cover-letter.patch", "0001-feat-add-file-1.patch", "0002-feat-add-file-2.patch"]
    assert "".join(shown.screen) == "".join(str(repo / "out" / name) for name in names)  # git's lines, no more
    assert "webhook" in (repo / "out" / "0000-cover-letter.patch").read_text().lower()
