"""gitvoice's hooks inside real `git commit`s: -a, PATH, --amend, merges, fixup!, comment chars, no terminal,
a pending recording, and failures that must never cost the commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import Clip, git, long_recording

from gitvoice.git.hooks import install_hooks
from gitvoice.git.notes import read_audio_note, read_transcript_note
from gitvoice.pipeline.speech import copy_into_recordings
from gitvoice.store.history import Store

VALID = "feat(api): accept empty input"


def commit(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A real `git commit` with no terminal (a new session cannot open /dev/tty), as from an IDE or CI."""
    return subprocess.run(["git", "commit", "-q", *args], cwd=repo, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL, start_new_session=True, env={**os.environ, **(env or {})})


def editor(tmp_path: Path, action: str) -> tuple[dict[str, str], Path]:
    """GIT_EDITOR that keeps a copy of what it was given (to see what the hook wrote), then runs `action`."""
    snapshot = tmp_path / "seen-by-editor.txt"
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\ncp "$1" "{snapshot}"\n{action}\n')
    script.chmod(0o755)
    return {"GIT_EDITOR": str(script)}, snapshot


def gitvoice_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("gitvoice:")]


def head_message(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%B").strip()


@pytest.fixture
def hooked(repo: Path) -> Path:
    install_hooks(repo)
    return repo


def test_a_rejection_names_the_rules_and_where_the_message_is(hooked: Path) -> None:
    head = git(hooked, "rev-parse", "HEAD")
    result = commit(hooked, "--allow-empty", "-m", "Added the thing")
    assert result.returncode == 1
    assert "✖ subject-empty: subject may not be empty" in result.stderr
    assert "✖ type-empty: type may not be empty" in result.stderr
    saved = Path(result.stderr.split("your message is saved in ")[1].split(";")[0])
    assert saved.parent == hooked / ".git" / "gitvoice"
    assert saved.read_text().startswith("Added the thing")
    assert git(hooked, "rev-parse", "HEAD") == head


def test_wrong_type_and_missing_blank_line_are_both_reported(hooked: Path) -> None:
    result = commit(hooked, "--allow-empty", "-m", "Feat: add x\nno blank line before this body")
    assert result.returncode == 1
    assert "✖ type-case: type must be lower-case" in result.stderr
    assert "⚠ body-leading-blank" in result.stderr


def test_a_warning_alone_never_stops_the_commit(hooked: Path) -> None:
    result = commit(hooked, "--allow-empty", "-m", "feat: add x\nno blank line before this body")
    assert result.returncode == 0, result.stderr
    assert "⚠ body-leading-blank" in result.stderr and "do not stop the commit" in result.stderr


def test_commit_all_path_and_amend_are_checked(hooked: Path) -> None:
    (hooked / "README.md").write_text("# changed\n")
    assert commit(hooked, "-a", "-m", "changed the readme").returncode == 1
    assert commit(hooked, "-a", "-m", "docs: change the readme").returncode == 0
    (hooked / "README.md").write_text("# changed again\n")
    assert commit(hooked, "README.md", "-m", "readme again").returncode == 1
    assert commit(hooked, "README.md", "-m", "docs(readme): change it again").returncode == 0
    assert commit(hooked, "--amend", "-m", "amended without a type").returncode == 1
    assert commit(hooked, "--amend", "-m", "docs(readme): say it better").returncode == 0
    assert head_message(hooked) == "docs(readme): say it better"


def test_merge_revert_fixup_and_squash_commits_pass(hooked: Path) -> None:
    git(hooked, "checkout", "-q", "-b", "feature")
    (hooked / "f.txt").write_text("f\n")
    git(hooked, "add", "f.txt")
    assert commit(hooked, "-m", "feat: add f").returncode == 0
    assert commit(hooked, "--allow-empty", "--fixup", "HEAD").returncode == 0
    assert head_message(hooked).startswith("fixup! feat: add f")
    assert commit(hooked, "--allow-empty", "--squash", "HEAD~1", "-m", "more").returncode == 0
    git(hooked, "checkout", "-q", "main")
    (hooked / "m.txt").write_text("m\n")
    git(hooked, "add", "m.txt")
    assert commit(hooked, "-m", "feat: add m").returncode == 0
    merge = subprocess.run(["git", "merge", "--no-ff", "--no-edit", "feature"], cwd=hooked, capture_output=True,
                           text=True, check=False, start_new_session=True)
    assert merge.returncode == 0, merge.stderr
    assert head_message(hooked).startswith("Merge branch 'feature'")
    revert = subprocess.run(["git", "revert", "--no-edit", "HEAD~1"], cwd=hooked, capture_output=True, text=True,
                            check=False, start_new_session=True)
    assert revert.returncode == 0, revert.stderr
    assert head_message(hooked).startswith('Revert "feat: add m"')


def test_a_custom_comment_char_and_the_scissors_line(hooked: Path, tmp_path: Path) -> None:
    git(hooked, "config", "core.commentChar", ";")
    (hooked / "notes.txt").write_text("notes\n")
    git(hooked, "add", "notes.txt")
    # `git commit -v` puts the diff below the scissors line; whatever is down there is not the message.
    env, snapshot = editor(tmp_path, 'printf "docs: add notes\\n\\n# with ; comments this is body\\n" '
                                     '| cat - "$1" > "$1.new" && mv "$1.new" "$1" && '
                                     'printf "breaking change: below the scissors\\n" >> "$1"')
    result = commit(hooked, "-v", env=env)
    assert result.returncode == 0, result.stderr
    assert "; ------------------------ >8 ------------------------" in snapshot.read_text()
    assert head_message(hooked) == "docs: add notes\n\n# with ; comments this is body"

    # A `#` line is text here, so right after the header it is a body without the blank line.
    env, _ = editor(tmp_path, 'printf "docs: more notes\\n# right after the header\\n" '
                              '| cat - "$1" > "$1.new" && mv "$1.new" "$1"')
    result = commit(hooked, "--allow-empty", env=env)
    assert result.returncode == 0, result.stderr  # a warning in config-conventional
    assert "⚠ body-leading-blank" in result.stderr
    assert head_message(hooked) == "docs: more notes\n# right after the header"


def test_comment_char_auto(hooked: Path, tmp_path: Path) -> None:
    """With `auto`, a message with a line starting with `#` makes git comment with `;`: that `#` line is text."""
    git(hooked, "config", "core.commentChar", "auto")
    env, snapshot = editor(tmp_path, 'printf "fix: handle auto\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"')
    result = commit(hooked, "--allow-empty", "-e", "-m", "#42 right after the header", env=env)
    assert "\n; " in snapshot.read_text()  # git chose `;`
    assert result.returncode == 0, result.stderr
    assert "⚠ body-leading-blank" in result.stderr  # the `#42` line is text, right after the header
    git(hooked, "reset", "-q", "--soft", "HEAD~1")

    env, _ = editor(tmp_path, 'printf "fix: handle auto\\n\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"')
    result = commit(hooked, "--allow-empty", "-e", "-m", "#42 is fixed", env=env)
    assert result.returncode == 0, result.stderr
    assert head_message(hooked) == "fix: handle auto\n\n#42 is fixed"


def test_no_terminal_means_no_question_and_the_message_as_git_prepared_it(hooked: Path, tmp_path: Path) -> None:
    git(hooked, "config", "voice.prompt", "true")
    env, snapshot = editor(tmp_path, 'printf "chore: typed by hand\\n" > "$1"')
    # A model that does not exist: had the hook tried to record or transcribe, it would say so.
    result = commit(hooked, "--allow-empty", env={**env, "GITVOICE_MODEL": "/nonexistent/model.pt"})
    assert result.returncode == 0, result.stderr
    assert gitvoice_lines(result.stderr) == []
    assert "press Enter" not in result.stderr + result.stdout
    seen = snapshot.read_text().splitlines()
    assert seen and all(not line or line.startswith("#") for line in seen)  # only git's own comment lines
    assert head_message(hooked) == "chore: typed by hand"


def pending_recording(repo: Path, clip: Clip) -> int:
    """What `git voice record` leaves: the recording in the recordings folder, registered as pending."""
    path = copy_into_recordings(clip.path, repo)
    with Store.open(repo) as store:
        return store.add_recording(path, clip.duration_s, "record")


def recording_status(repo: Path, recording_id: int) -> str:
    with Store.open(repo) as store:
        entry = store.get(recording_id)
    assert entry is not None
    return entry.status


def test_a_hook_failure_never_costs_the_commit(hooked: Path, tmp_path: Path, synthetic_clips: list[Clip]) -> None:
    recording_id = pending_recording(hooked, synthetic_clips[0])
    env, snapshot = editor(tmp_path, 'printf "chore: typed by hand\\n" > "$1"')
    result = commit(hooked, "--allow-empty", env={**env, "GITVOICE_MODEL": "/nonexistent/model.pt"})
    assert result.returncode == 0, result.stderr
    failures = [line for line in gitvoice_lines(result.stderr) if "skipped" in line]
    assert len(failures) == 1, result.stderr
    assert "left as git prepared it" in failures[0]
    assert "Traceback" not in result.stderr
    assert all(not line or line.startswith("#") for line in snapshot.read_text().splitlines())
    assert head_message(hooked) == "chore: typed by hand"
    assert recording_status(hooked, recording_id) == "pending"  # still there for the next try


def test_a_pending_recording_is_not_used_for_commit_m(hooked: Path, synthetic_clips: list[Clip]) -> None:
    recording_id = pending_recording(hooked, synthetic_clips[0])
    result = commit(hooked, "--allow-empty", "-m", VALID)
    assert result.returncode == 0
    assert gitvoice_lines(result.stderr) == []
    assert recording_status(hooked, recording_id) == "pending"


CHANGE_BEFORE = "def getUserById(user_id):\n    return db.get(user_id)\n\n\ndef show(user_id):\n" \
                "    return render(getUserById(user_id))\n"
CHANGE_AFTER = CHANGE_BEFORE.replace("getUserById", "fetch_user")


@pytest.mark.slow
def test_a_plain_git_commit_uses_the_pending_recording(hooked: Path, tmp_path: Path, synthetic_clips: list[Clip],
                                                        engine: object) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev02_rename_fetch_user")
    (hooked / "api").mkdir()
    (hooked / "api" / "users.py").write_text(CHANGE_BEFORE)
    git(hooked, "add", "-A")
    git(hooked, "commit", "-q", "--no-verify", "-m", "chore: before")
    (hooked / "api" / "users.py").write_text(CHANGE_AFTER)
    recording_id = pending_recording(hooked, clip)
    env, snapshot = editor(tmp_path, "exit 0")  # the user accepts what the hook wrote
    # -a: git hands the hook a temporary index (GIT_INDEX_FILE); the staged diff must come from it.
    result = commit(hooked, "-a", env=env)
    assert result.returncode == 0, result.stderr
    message = head_message(hooked)
    assert "fetch_user" in message or "getUserById" in message, message
    assert snapshot.read_text().startswith(message.split("\n")[0])
    assert "# Please enter the commit message" in snapshot.read_text()  # git's lines kept below ours
    # post-commit attached the voice note to the commit that used the draft, as `git voice commit` does.
    head = git(hooked, "rev-parse", "HEAD").strip()
    assert recording_status(hooked, recording_id) == "committed"
    with Store.open(hooked) as store:
        entry = store.get(recording_id)
    assert entry is not None and entry.commit == head
    assert entry.transcript and "user" in entry.transcript.lower()
    assert read_transcript_note(head, hooked) == entry.transcript
    assert read_audio_note(head, hooked) is not None
    assert entry.draft_path is not None and not entry.draft_path.exists()  # the note holds it now
    assert f"voice note on {head[:12]}" in result.stderr

    # Used once: the next plain commit gets git's message only, and no note.
    env, snapshot = editor(tmp_path, 'printf "chore: typed by hand\\n" > "$1"')
    assert commit(hooked, "--allow-empty", env=env).returncode == 0
    assert all(not line or line.startswith("#") for line in snapshot.read_text().splitlines())
    assert read_transcript_note("HEAD", hooked) is None


@pytest.mark.slow
def test_the_hook_shows_progress_on_the_terminal_while_it_transcribes_a_pending_recording(
        hooked: Path, tmp_path: Path, synthetic_clips: list[Clip]) -> None:
    """A plain `git commit` at a terminal: the hook transcribing a long pending recording says how far it is on
    one line, erased before git opens the editor."""
    from terminal_screen import assert_progress_shown_then_erased, run_in_terminal

    by_id = {c.id: c for c in synthetic_clips}
    long = long_recording(tmp_path / "long.wav", [by_id["dev07_handle_webhook"], by_id["dev02_rename_fetch_user"],
                                                  by_id["dev04_settings_toml"]])
    recording_id = pending_recording(hooked, Clip("long", "synthetic", long, "", [], 22.0))
    env, snapshot = editor(tmp_path, "exit 0")
    shown = run_in_terminal(["git", "commit", "-q", "--allow-empty"], hooked, env=env)
    assert shown.exit_code == 0, shown.output
    assert_progress_shown_then_erased(shown)
    assert "webhook" in head_message(hooked).lower()
    assert snapshot.read_text().lower().startswith(head_message(hooked).lower().split("\n")[0])
    assert recording_status(hooked, recording_id) == "committed"
    said = "\n".join(shown.screen)
    assert said.startswith("gitvoice: transcribing your recording from ") and "(22 s)\ngitvoice: message" in said
