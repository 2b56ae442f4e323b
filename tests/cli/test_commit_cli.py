"""`git voice commit`, `history`, `show` and `play`: arguments and messages in-process, the whole flow as a real
`git voice` subprocess with a dummy editor, hooks, and the shared clips as speech."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_git_voice, run_main
from click.testing import CliRunner
from support import Clip, conflicting_branches, git

from gitvoice.cli.main import cli
from gitvoice.composition.commitlint import lint
from gitvoice.git.notes import read_audio_note, read_transcript_note
from gitvoice.store.history import Store

# Per synthetic clip: files before and after a change whose diff holds the clip's identifiers.
CHANGES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "dev02_rename_fetch_user": (
        {"api/users.py": "def getUserById(user_id):\n    return db.get(user_id)\n\n\n"
                         "def show(user_id):\n    return render(getUserById(user_id))\n"},
        {"api/users.py": "def fetch_user(user_id):\n    return db.get(user_id)\n\n\n"
                         "def show(user_id):\n    return render(fetch_user(user_id))\n"},
    ),
    "dev04_settings_toml": (
        {"app/config.py": "import os\n\nDATABASE_URL = os.environ[\"DATABASE_URL\"]\n"},
        {"app/config.py": "from app.settings import load_settings\n\n"
                          "DATABASE_URL = load_settings()[\"database_url\"]\n",
         "settings.toml": "database_url = \"postgres://localhost/app\"\n",
         "app/settings.py": "import tomllib\n\n\ndef load_settings():\n"
                            "    with open(\"settings.toml\", \"rb\") as f:\n        return tomllib.load(f)\n"},
    ),
    "dev07_handle_webhook": (
        {"hooks/webhook.py": "def handle_webhook(request):\n    response = forward(request)\n"
                             "    return response.json()\n"},
        {"hooks/webhook.py": "def handle_webhook(request):\n    request_id = request.headers[\"X-Request-Id\"]\n"
                             "    response = forward(request)\n    if response is None:\n"
                             "        log.warning(\"no response for %s\", request_id)\n        return None\n"
                             "    return response.json()\n"},
    ),
}


def _write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)


def _staged_change(repo: Path, clip_id: str) -> None:
    before, after = CHANGES[clip_id]
    _write(repo, before)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "chore: before")
    _write(repo, after)
    git(repo, "add", "-A")


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def _error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("gitvoice: error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def _entry_transcript(repo: Path, entry_id: int) -> str | None:
    with Store.open(repo) as store:
        entry = store.get(entry_id)
    return entry.transcript if entry else None


def _nothing_recorded(repo: Path) -> None:
    recordings = repo / ".git" / "gitvoice" / "recordings"
    assert not recordings.exists() or not any(recordings.iterdir())
    with Store.open(repo) as store:
        assert store.history() == []


# --- arguments and repository states (no model) -----------------------------------------------------------

def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(cli, ["commit", "--help"])
    assert result.exit_code == 0
    for option in ("--audio", "--all", "--signoff", "--amend", "--no-edit", "--no-verify", "--type", "--scope",
                   "--breaking", "--dry-run", "--reuse", "--hotword", "--no-context", "--model"):
        assert option in result.output
    for verb in ("commit", "history", "show", "play"):
        assert verb in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.parametrize(("setup", "args", "expected"), [
    ("nothing", [], "nothing staged to commit"),
    ("untracked", ["-a"], "no tracked file is modified"),
    ("merge", [], "a merge is in progress"),
    ("unborn", ["--amend"], "nothing to amend"),
    ("staged", ["--type", "feature"], "--type feature: not a commit type"),
])
def test_refuses_before_recording(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, synthetic_clips: list[Clip], setup: str,
                                  args: list[str], expected: str) -> None:
    if setup == "unborn":
        repo = tmp_path / "unborn"
        git(tmp_path, "init", "-q", str(repo))
        (repo / "a.py").write_text("a = 1\n")
        git(repo, "add", "a.py")
    elif setup == "untracked":
        (repo / "new.py").write_text("x = 1\n")
    elif setup == "staged":
        (repo / "new.py").write_text("x = 1\n")
        git(repo, "add", "new.py")
    elif setup == "merge":
        conflicting_branches(repo)
        git(repo, "merge", "other", check=False)
    monkeypatch.chdir(repo)
    result = run_main(["commit", "--audio", str(synthetic_clips[0].path), *args], capsys)
    assert result.exit_code in (1, 2)
    assert expected in _error_line(result.stderr)
    assert "hint:" in result.stderr
    _nothing_recorded(repo)


def test_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_main(["commit"], capsys)
    assert result.exit_code == 1
    assert "not a git repository" in _error_line(result.stderr)


def test_reuse_with_nothing_to_reuse(repo: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "a.py").write_text("a = 1\n")
    git(repo, "add", "a.py")
    monkeypatch.chdir(repo)
    result = run_main(["commit", "--reuse"], capsys)
    assert result.exit_code == 1
    assert "nothing to reuse" in _error_line(result.stderr)
    result = run_main(["commit", "--reuse", "--audio", "x.wav"], capsys)
    assert result.exit_code == 2
    assert "cannot be combined with --audio" in _error_line(result.stderr)


def test_show_play_and_history_without_notes(repo: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run_main(["show", "HEAD"], capsys)
    assert result.exit_code == 1 and "has no voice note" in _error_line(result.stderr)
    assert "git fetch origin 'refs/notes/voice*:refs/notes/voice*'" in result.stderr
    result = run_main(["play", "HEAD"], capsys)
    assert result.exit_code == 1 and "has no audio note" in _error_line(result.stderr)
    result = run_main(["show", "nope"], capsys)
    assert result.exit_code == 1 and "does not name a commit" in _error_line(result.stderr)
    result = run_main(["history", "--json"], capsys)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    result = run_main(["history"], capsys)
    assert result.exit_code == 0 and "no recordings yet" in result.stderr


# --- composing from the shared clips (the session's model) -------------------------------------------------

@pytest.mark.slow
def test_each_synthetic_clip_becomes_a_valid_code_aware_commit(
        engine: object, synthetic_clips: list[Clip], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitvoice.audio.files import read_audio
    from gitvoice.pipeline.message import compose_commit_message
    from gitvoice.pipeline.vocabulary import commit_vocabulary
    from gitvoice.transcription.engine import WhisperEngine

    assert isinstance(engine, WhisperEngine)
    carried = []
    for clip in synthetic_clips:
        repo = tmp_path / clip.id
        repo.mkdir()
        git(repo, "init", "-q")
        _staged_change(repo, clip.id)
        monkeypatch.chdir(repo)
        vocabulary = commit_vocabulary()
        transcript = engine.transcribe(read_audio(clip.path), vocabulary=vocabulary.words).text
        message = compose_commit_message(vocabulary.restore(transcript), vocabulary)
        assert lint(message).valid and not lint(message).warnings, (message, lint(message))
        if all(identifier in message for identifier in clip.identifiers):
            carried.append(clip.id)
    assert len(carried) >= 2, carried


# --- the whole flow as a real `git voice` subprocess --------------------------------------------------------

@pytest.mark.slow
def test_nothing_is_lost_until_reuse_commits(repo: Path, tmp_path: Path, synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev02_rename_fetch_user")
    _staged_change(repo, clip.id)

    # 1. --dry-run: the message on stdout, nothing committed, the recording pending with its draft.
    dry = run_git_voice(["commit", "--audio", str(clip.path), "--dry-run"], repo)
    assert dry.exit_code == 0, dry.stderr
    assert lint(dry.stdout).valid and not lint(dry.stdout).warnings, dry.stdout
    assert git(repo, "log", "--format=%s") == "chore: before\nchore: start\n"
    with Store.open(repo) as store:
        entry = store.latest_pending("commit")
    assert entry is not None and entry.status == "pending" and entry.draft_path is not None
    assert entry.path.is_file() and entry.path != clip.path and clip.path.is_file()
    assert entry.draft_path.read_text() == dry.stdout

    # 2. The editor empties the message: git aborts; draft and recording are kept and named.
    emptying = _script(tmp_path / "empty-editor", ": > \"$1\"\n")
    aborted = run_git_voice(["commit", "--reuse"], repo, env={"GIT_EDITOR": str(emptying)})
    assert aborted.exit_code == 1
    error = _error_line(aborted.stderr)
    assert "left empty" in error and str(entry.draft_path) in error and str(entry.path) in error
    assert "--reuse" in aborted.stderr
    assert entry.draft_path.read_text() == dry.stdout and entry.path.is_file()

    # 3. A commit-msg hook rejects the edited message: the user's edit becomes the draft.
    hook = _script(repo / ".git" / "hooks" / "commit-msg", "echo 'commit-msg: rejected' >&2\nexit 1\n")
    appending = _script(tmp_path / "append-editor", "printf '\\nReviewed on the phone.\\n' >> \"$1\"\n")
    rejected = run_git_voice(["commit", "--reuse"], repo, env={"GIT_EDITOR": str(appending)})
    assert rejected.exit_code == 1
    assert "git commit failed" in _error_line(rejected.stderr) and "commit-msg: rejected" in rejected.stderr
    assert "Reviewed on the phone." in entry.draft_path.read_text()
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert [(e["id"], e["status"]) for e in history] == [(entry.id, "aborted")]

    # 4. --reuse completes the commit without recording again; the notes are attached.
    hook.unlink()
    done = run_git_voice(["commit", "--reuse", "--no-edit", "-s"], repo)
    assert done.exit_code == 0, done.stderr
    body = git(repo, "log", "-1", "--format=%B")
    assert body.startswith(dry.stdout.splitlines()[0]) and "Reviewed on the phone." in body
    assert body.count("Signed-off-by: Ada Tester <ada@example.com>") == 1
    assert "notes.rewriteRef" in done.stderr  # said once, when configured
    head = git(repo, "rev-parse", "HEAD").strip()
    transcript = read_transcript_note(head, repo)
    assert transcript is not None and transcript == _entry_transcript(repo, entry.id)
    assert read_audio_note(head, repo) is not None
    assert run_git_voice(["show"], repo).stdout.strip() == transcript
    out = tmp_path / "again.wav"
    played = run_git_voice(["play", "HEAD", "-o", str(out)], repo)
    assert played.exit_code == 0 and out.read_bytes()[:4] == b"RIFF"
    history = json.loads(run_git_voice(["history", "--json"], repo).stdout)
    assert [(e["status"], e["commit"]) for e in history] == [("committed", head)]
    assert not entry.draft_path.exists() and not entry.path.exists()  # cleaned up only now; the note holds it
    table = run_git_voice(["history"], repo).stdout
    assert "committed" in table and head[:10] in table

    # 5. The notes follow a later amend (notes.rewriteRef is configured).
    git(repo, "commit", "-q", "--amend", "-m", "refactor(api): rename getUserById to fetch_user")
    assert read_transcript_note("HEAD", repo) == transcript


@pytest.mark.slow
def test_commit_all_with_a_capped_audio_note(repo: Path, synthetic_clips: list[Clip]) -> None:
    clip = next(c for c in synthetic_clips if c.id == "dev04_settings_toml")
    before, after = CHANGES[clip.id]
    _write(repo, {**before, "settings.toml": "placeholder = true\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "chore: before")
    _write(repo, after)  # modified, not staged: only -a commits them
    (repo / "untracked.txt").write_text("not part of -a\n")
    git(repo, "config", "voice.maxAudioNoteBytes", "1k")
    result = run_git_voice(["commit", "-a", "--audio", str(clip.path), "--no-edit", "--type", "refactor",
                            "--scope", "config"], repo)
    assert result.exit_code == 0, result.stderr
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject.startswith("refactor(config): ")
    committed = set(git(repo, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == {"app/config.py", "settings.toml"}  # app/settings.py is new and untracked
    assert "over the 1,024-byte cap" in result.stderr
    assert read_transcript_note("HEAD", repo) is not None and read_audio_note("HEAD", repo) is None
    with Store.open(repo) as store:
        entry = store.history(1)[0]
    assert entry.status == "committed" and entry.path.is_file()  # not in a note, so the recording stays


@pytest.mark.slow
def test_a_one_word_explanation_is_never_committed_unseen(repo: Path, tmp_path: Path) -> None:
    """"Done." would make the subject `done`: with --no-edit that stops, the draft kept; --reuse opens it."""
    _staged_change(repo, "dev07_handle_webhook")
    spoken = tmp_path / "done.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(spoken), "Done."], check=True)
    before = git(repo, "log", "--format=%H")
    refused = run_git_voice(["commit", "--audio", str(spoken), "--no-edit"], repo)
    assert refused.exit_code == 1
    error = _error_line(refused.stderr)
    assert "not committed" in error and "1 word" in error and "--reuse" in refused.stderr
    assert git(repo, "log", "--format=%H") == before
    with Store.open(repo) as store:
        entry = store.latest_pending("commit")
    assert entry is not None and entry.draft_path is not None and entry.draft_path.is_file()
    fixing = _script(tmp_path / "fix-editor",
                     "sed -i '1s/.*/fix(hooks): guard against a None response/' \"$1\"\n")
    done = run_git_voice(["commit", "--reuse"], repo, env={"GIT_EDITOR": str(fixing)})
    assert done.exit_code == 0, done.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "fix(hooks): guard against a None response"
