"""`git voice note [REV]`: a spoken note on an existing commit, as `git voice commit` leaves one."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Result, run_main
from support import Clip, git

from gitvoice.git.notes import read_audio_note, read_transcript_note
from gitvoice.store.history import Store


def _voice(repo: Path, args: list[str], capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(repo)
    return run_main(args, capsys)


@pytest.fixture
def webhook_repo(repo: Path) -> Path:
    """A commit that adds handle_webhook, and one after it, so the note goes on a commit that is not HEAD."""
    (repo / "app").mkdir()
    (repo / "app" / "webhooks.py").write_text(
        "def handle_webhook(request):\n    if request.response is None:\n"
        "        log.warning('empty', request_id=request.request_id)\n        return None\n")
    git(repo, "add", "app/webhooks.py")
    git(repo, "commit", "-q", "-m", "fix(webhooks): guard against a None response")
    (repo / "CHANGES.md").write_text("- webhooks\n")
    git(repo, "add", "CHANGES.md")
    git(repo, "commit", "-q", "-m", "docs: mention the webhook fix")
    return repo


@pytest.mark.slow
def test_note_replaces_the_voice_note_of_an_earlier_commit(webhook_repo: Path, synthetic_clips: list[Clip],
                                                           engine: object, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    repo = webhook_repo
    clip = next(c for c in synthetic_clips if c.id == "dev07_handle_webhook")
    target = git(repo, "rev-parse", "HEAD~1").strip()
    git(repo, "notes", "--ref=voice", "add", "-m", "typed earlier", target)

    result = _voice(repo, ["note", "HEAD~1", "--audio", str(clip.path)], capsys, monkeypatch)
    assert result.exit_code == 0, result.stderr
    note = read_transcript_note(target, repo)
    assert note is not None and note != "typed earlier"
    # What the commit changed is the vocabulary: its identifiers come out spelled as code (tiny.en does not
    # always get every one; the transcription tests measure how many).
    assert sum(name in note for name in clip.identifiers) >= 1, note
    assert result.stdout.strip() == note
    assert f"replaced the voice note on {target[:12]}" in result.stderr
    assert read_audio_note(target, repo) is not None  # the recording travels too (refs/notes/voice-audio)
    assert read_transcript_note("HEAD", repo) is None  # only the named commit got a note
    assert clip.path.is_file()  # the user's own file is never moved
    assert "refs/notes/voice" in git(repo, "config", "--get-all", "notes.rewriteRef")

    with Store.open(repo) as store:
        entry = store.history(1)[0]
    assert (entry.origin, entry.status, entry.commit, entry.transcript) == ("note", "noted", target, note)

    # The note now rides below the `---` of that commit's patch.
    patch = _voice(repo, ["format-patch", "--", "--stdout", "-1", "HEAD~1"], capsys, monkeypatch)
    assert patch.exit_code == 0, patch.stderr
    below = patch.stdout.split("\n---\n", 1)[1].split("diff --git")[0]
    assert "Notes (voice, spoken note):" in below and note.split()[-1] in below


def test_a_bad_revision_fails_before_anything_is_recorded(webhook_repo: Path, synthetic_clips: list[Clip],
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    result = _voice(webhook_repo, ["note", "no-such-branch", "--audio", str(synthetic_clips[0].path)], capsys,
                    monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith("gitvoice: error: 'no-such-branch' does not name a commit")
    with Store.open(webhook_repo) as store:
        assert store.history() == []


def test_an_unreadable_recording_is_a_clear_error(webhook_repo: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bogus = tmp_path / "note.wav"
    bogus.write_bytes(b"not audio at all")
    result = _voice(webhook_repo, ["note", "--audio", str(bogus)], capsys, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith("gitvoice: error: ") and "Traceback" not in result.stderr
    assert read_transcript_note("HEAD", webhook_repo) is None


def test_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    result = _voice(tmp_path, ["note"], capsys, monkeypatch)
    assert result.exit_code == 1
    assert "not a git repository" in result.stderr
