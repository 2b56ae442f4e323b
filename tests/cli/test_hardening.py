"""Hostile repositories, odd bytes and full disks: each case reproduced with real files, real git and the real
command, and what the user sees checked (a one-line error and a hint, never a traceback, nothing lost)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import VENV_BIN, run_git_voice, run_main
from support import Clip, git

from gitvoice.config.hotwords import read_hotwords_file
from gitvoice.config.repo_files import RepositoryFileError, read_repository_file
from gitvoice.config.templates import TemplateError, cover_letter_template


def _error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("gitvoice: error:")]


# --- non-UTF-8 bytes ----------------------------------------------------------------------------------------------

@pytest.fixture
def latin1_repo(repo: Path) -> Path:
    (repo / "menu.py").write_bytes(b"caf\xe9 = 1\n")
    git(repo, "add", "menu.py")
    return repo


def test_format_patch_keeps_non_utf8_bytes_exact_and_git_am_applies_them(latin1_repo: Path, tmp_path: Path) -> None:
    git(latin1_repo, "commit", "-q", "-m", "feat: add the menu")
    (latin1_repo / "menu.py").write_bytes(b"caf\xe9 = 1\nd\xe9j\xe0 = 2\n")
    git(latin1_repo, "commit", "-q", "-am", "feat: extend the menu")
    done = subprocess.run(["git", "voice", "format-patch", "--text", "Add the menu in Latin-1", "--",
                           "--cover-letter", "--stdout", "-2"], cwd=latin1_repo, capture_output=True, check=False,
                          env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"d\xe9j\xe0 = 2" in done.stdout  # the byte, not U+FFFD
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(latin1_repo), str(clone))
    git(clone, "reset", "-q", "--hard", "HEAD~2")
    patches = done.stdout.split(b"\nFrom ")[1:]  # the two patches after the cover letter
    mbox = tmp_path / "series.mbox"
    mbox.write_bytes(b"".join(b"From " + patch + b"\n" for patch in patches))
    git(clone, "am", "-q", str(mbox))
    assert (clone / "menu.py").read_bytes() == (latin1_repo / "menu.py").read_bytes()


@pytest.mark.slow
def test_commit_with_a_latin1_file_staged(latin1_repo: Path, synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    for extra in (["--no-context"], []):
        done = run_git_voice(["commit", *extra, "--audio", str(clip.path), "--dry-run"], latin1_repo)
        assert done.exit_code == 0, done.stderr
        assert _error_lines(done.stderr) == []


# --- files the repository provides --------------------------------------------------------------------------------

def test_hotwords_from_a_fifo_a_device_link_or_bad_bytes_never_block(repo: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    folder = repo / ".gitvoice"
    folder.mkdir()
    hotwords = folder / "hotwords.txt"
    os.mkfifo(hotwords)
    started = time.monotonic()
    assert read_hotwords_file(repo) == []
    assert time.monotonic() - started < 2 and "not a regular file" in caplog.text
    hotwords.unlink()
    hotwords.symlink_to("/dev/zero")
    assert read_hotwords_file(repo) == [] and "outside the repository" in caplog.text
    hotwords.unlink()
    hotwords.write_bytes(b"fetch_user\n\xff\xfe broken\nMAX_RETRIES  # a constant\n")
    assert read_hotwords_file(repo) == ["fetch_user", "MAX_RETRIES"]
    assert "hotwords.txt:2 is not UTF-8" in caplog.text


@pytest.mark.slow
def test_transcribe_goes_on_with_a_hostile_hotwords_file(repo: Path, synthetic_clips: list[Clip]) -> None:
    (repo / ".gitvoice").mkdir()
    os.mkfifo(repo / ".gitvoice" / "hotwords.txt")
    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    done = run_git_voice(["transcribe", str(clip.path)], repo)
    assert done.exit_code == 0, done.stderr
    assert "webhook" in done.stdout.lower() and "not a regular file" in done.stderr


def test_a_template_that_points_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n")
    folder = repo / ".gitvoice" / "templates"
    folder.mkdir(parents=True)
    (folder / "cover-letter.j2").symlink_to(secret)
    with pytest.raises(TemplateError, match="outside the repository") as error:
        cover_letter_template(repo)
    assert "hunter2" not in str(error.value.message)


@pytest.mark.parametrize(("source", "message"), [
    ("{{ 'x' * 300000000 }}", "longer than"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop iterations"),
    ("{% include 'cover-letter.j2' %}", "cannot include"),
    ("{% extends 'base.j2' %}", "cannot include"),
])
def test_a_template_cannot_run_away_or_pull_in_other_files(repo: Path, source: str, message: str) -> None:
    folder = repo / ".gitvoice" / "templates"
    folder.mkdir(parents=True)
    (folder / "cover-letter.j2").write_text(source)
    started = time.monotonic()
    with pytest.raises(TemplateError, match=message):
        cover_letter_template(repo).render({})
    assert time.monotonic() - started < 5


def test_repository_files_are_read_only_when_regular_and_small(repo: Path) -> None:
    assert read_repository_file(repo, "absent.txt") is None
    (repo / "big.txt").write_bytes(b"x" * 2048)
    with pytest.raises(RepositoryFileError, match="larger than 1 KiB"):
        read_repository_file(repo, "big.txt", max_bytes=1024)
    (repo / "dir").mkdir()
    with pytest.raises(RepositoryFileError, match="not a regular file"):
        read_repository_file(repo, "dir")


# --- full disks and bare repositories -----------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_recording_copied_onto_a_full_disk_says_so_and_leaves_no_part_file(tiny_disk: Path, repo: Path,
                                                                            synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev04_settings_toml")  # 280 kB: more than the disk holds
    (repo / ".git" / "gitvoice").symlink_to(tiny_disk)  # gitvoice's folder (store, recordings) on the tiny disk
    done = run_git_voice(["note", "--audio", str(clip.path)], repo)
    assert done.exit_code == 1, done.stderr
    errors = _error_lines(done.stderr)
    assert len(errors) == 1 and "no space left on the device" in errors[0], done.stderr
    assert "hint: free some space" in done.stderr
    assert not list(tiny_disk.rglob("*.part"))
    assert clip.path.is_file()


def test_a_bare_repository_asks_for_a_work_tree(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    done = run_git_voice(["note", "--audio", "/nonexistent.wav"], bare)
    assert done.exit_code == 1
    assert _error_lines(done.stderr) == [
        "gitvoice: error: this is a bare repository: gitvoice needs a work tree (staged changes, a place to commit)"]


# --- one error style ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["commit", "--max-seconds", "-3"], "gitvoice: error: Invalid value for '--max-seconds'"),
    (["nosuchcommand"], "gitvoice: error: No such command 'nosuchcommand'."),
    (["check", "--rev-range"], "gitvoice: error: Option '--rev-range' requires an argument."),
])
def test_clicks_usage_errors_speak_gitvoices_style(repo: Path, args: list[str], message: str) -> None:
    done = run_git_voice(args, repo)
    assert done.exit_code == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith(message), done.stderr
    assert lines[1].startswith("hint: see `git voice") and "Usage:" not in done.stderr


def test_history_json_says_which_files_are_gone(repo: Path, synthetic_clips: list[Clip]) -> None:
    from gitvoice.store.history import Store

    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    with Store.open(repo) as store:
        kept = store.add_recording(clip.path, 5.0, "record")
        gone = store.add_recording(repo / "vanished.wav", 5.0, "record")
        store.save_draft(kept, "feat: x\n")
    import json

    entries = {e["id"]: e for e in json.loads(run_git_voice(["history", "--json"], repo).stdout)}
    assert entries[kept]["path_exists"] is True and entries[kept]["draft_exists"] is True
    assert entries[gone]["path_exists"] is False and entries[gone]["draft_exists"] is False


def test_note_edit_corrects_the_transcript_and_keeps_the_recording(repo: Path, tmp_path: Path) -> None:
    from gitvoice.git.notes import audio_note_blob, read_transcript_note, write_voice_note

    write_voice_note("HEAD", "Guard against her non-response in Handel webhook.", b"OggS fake audio", repo)
    audio_before = audio_note_blob("HEAD", repo)
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/her non-response in Handel webhook/a None response in handle_webhook/' "
                      "\"$1\"\n")
    editor.chmod(0o755)
    done = run_git_voice(["note", "--edit"], repo, env={"GIT_EDITOR": str(editor)})
    assert done.exit_code == 0, done.stderr
    assert read_transcript_note("HEAD", repo) == "Guard against a None response in handle_webhook."
    assert audio_note_blob("HEAD", repo) == audio_before
    git(repo, "commit", "-q", "--allow-empty", "-m", "chore: no note here")
    missing = run_git_voice(["note", "--edit"], repo, env={"GIT_EDITOR": str(editor)})
    assert missing.exit_code == 1 and "has no voice note to edit" in missing.stderr


@pytest.mark.slow
def test_reuse_passes_over_an_attempt_without_speech_and_takes_an_id(repo: Path, tmp_path: Path,
                                                                    synthetic_clips: list[Clip]) -> None:
    import json

    import numpy as np
    import soundfile

    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    (repo / "hooks.py").write_text("def handle_webhook(request):\n    return None\n")
    git(repo, "add", "hooks.py")
    drafted = run_git_voice(["commit", "--audio", str(clip.path), "--dry-run"], repo)
    assert drafted.exit_code == 0, drafted.stderr
    silence = tmp_path / "silence.wav"
    soundfile.write(silence, np.zeros(16000 * 3, dtype=np.float32), 16000)
    nothing = run_git_voice(["commit", "--audio", str(silence), "--no-edit"], repo)
    assert nothing.exit_code != 0 and "no speech" in nothing.stderr
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    good, empty = history[1]["id"], history[0]["id"]
    bad_id = run_git_voice(["commit", "--reuse", str(empty + 100), "--no-edit"], repo)
    assert bad_id.exit_code == 1 and "no such recording" in bad_id.stderr
    done = run_git_voice(["commit", "--reuse", "--no-edit"], repo)
    assert done.exit_code == 0, done.stderr
    assert f"recording #{good}" in done.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == drafted.stdout.splitlines()[0]


# --- read-only folders, failures once the commit exists, crashes --------------------------------------------------

@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system (permissions alone stop nobody when the tests run as root, as CI does)."""
    mount = tmp_path / "read-only"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mount)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_read_only_gitvoice_folder_fails_in_one_line_before_anything_is_recorded(
        read_only_disk: Path, repo: Path, synthetic_clips: list[Clip]) -> None:
    (repo / "app.py").write_text("print('hi')\n")
    git(repo, "add", "app.py")
    (repo / ".git" / "gitvoice").symlink_to(read_only_disk)  # where the store and the recordings would go
    done = run_git_voice(["commit", "--audio", str(synthetic_clips[0].path), "--no-edit"], repo)
    assert done.exit_code == 1
    assert _error_lines(done.stderr) == [
        f"gitvoice: error: cannot open gitvoice's history at {repo / '.git' / 'gitvoice' / 'store.sqlite3'}: "
        "unable to open database file"]
    assert "hint: " in done.stderr
    assert git(repo, "log", "--format=%s").splitlines() == ["chore: start"]


@pytest.mark.slow
def test_a_voice_note_git_cannot_write_after_the_commit_is_a_warning_and_the_recording_stays(
        repo: Path, synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    (repo / "hooks.py").write_text("def handle_webhook(request):\n    return None\n")
    git(repo, "add", "hooks.py")
    lock = repo / ".git" / "refs" / "notes" / "voice.lock"  # as another git process updating the notes leaves it
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    done = run_git_voice(["commit", "--audio", str(clip.path), "--no-edit"], repo)
    assert done.exit_code == 0, done.stderr  # the commit exists: failing now would say it does not
    head = git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "log", "-1", "--format=%s").startswith("fix")
    warning = [line for line in done.stderr.splitlines() if "the commit was made but its voice note was not" in line]
    assert len(warning) == 1 and warning[0].startswith("gitvoice: warning: "), done.stderr
    kept = Path(warning[0].split("the recording stays at ")[1])
    assert kept.is_file()
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert (history[0]["status"], history[0]["commit"]) == ("committed", head)


def test_every_crash_keeps_its_own_log(speech_dir: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, hermetic_env: Path) -> None:
    import gitvoice.audio.files as files

    def explode(path: Path) -> None:
        raise ZeroDivisionError(f"simulated bug reading {path.name}")

    monkeypatch.setattr(files, "read_audio", explode)
    logs = []
    for name in ("first.wav", "second.wav"):
        result = run_main(["transcribe", str(speech_dir / name)], capsys)
        assert result.exit_code == 70
        logs.append(Path(result.stderr.split("details are in ")[1].split(";")[0]))
    first, second = logs
    assert first != second and first.parent == second.parent  # two crashes in one second: two logs
    assert first.name.startswith("crash-") and first.suffix == ".log"
    assert "first.wav" in first.read_text() and "second.wav" in second.read_text()
