"""Review comments in refs/notes/voice-review: their format, and that they follow amend and rebase and travel with
push and fetch like the voice notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git

from gitvoice.review.comments import CommentStore, comments_from_json, comments_to_json, new_comment
from gitvoice.review.readback_comments import ReadbackCommenter
from gitvoice.review.series import load_series


def a_comment(transcript: str = "Check for None first.", line: int = 2, side: str = "new") -> object:
    return new_comment(file="app.py", start_line=line, end_line=line, side=side, transcript=transcript,
                       author="Rae Viewer <rae@example.com>", duration_s=1.5, audio_type="audio/ogg")


@pytest.fixture
def change(repo: Path) -> Path:
    (repo / "app.py").write_text("def run(x):\n    return x.value\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feat: run")
    return repo


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_comments_round_trip_and_bad_notes_read_as_none() -> None:
    comment = a_comment()
    assert comments_from_json(comments_to_json([comment])) == [comment]
    assert comments_from_json("not json") == []
    assert comments_from_json('{"comments": [{"id": "../../x", "side": "new", "transcript": "t"}, 7, null]}') == []
    with pytest.raises(ValueError):
        new_comment(file="a", start_line=3, end_line=2, side="new", transcript="t", author="")
    with pytest.raises(ValueError):
        new_comment(file="a", start_line=1, end_line=1, side="left", transcript="t", author="")


def test_store_keeps_transcript_and_audio_and_configures_rewrite(change: Path) -> None:
    store = CommentStore(change)
    comment = store.add(head(change), a_comment(), b"OggS fake audio")
    assert store.comments(head(change)) == [comment]
    assert store.audio(head(change), comment.id) == (b"OggS fake audio", "audio/ogg")
    note = git(change, "notes", "--ref=voice-review", "show", "HEAD")
    assert '"transcript": "Check for None first."' in note and '"file": "app.py"' in note
    assert git(change, "config", "--get-all", "notes.rewriteRef").split() == [
        "refs/notes/voice-review", "refs/notes/voice-review-audio"]
    updated = store.update_transcript(head(change), comment.id, "Check for None before using it.")
    assert updated is not None and store.comments(head(change))[0].transcript == "Check for None before using it."
    assert store.remove(head(change), comment.id)
    assert store.comments(head(change)) == [] and store.audio(head(change), comment.id) is None


def test_comments_follow_amend_and_rebase(change: Path) -> None:
    store = CommentStore(change)
    comment = store.add(head(change), a_comment(), b"OggS")
    git(change, "commit", "-q", "--amend", "-m", "feat: run it")
    assert store.comments(head(change)) == [comment]

    git(change, "checkout", "-q", "-b", "topic")
    git(change, "checkout", "-q", "main")
    git(change, "reset", "-q", "--hard", "HEAD~1")
    (change / "other.txt").write_text("other\n")
    git(change, "add", ".")
    git(change, "commit", "-q", "-m", "chore: other")
    git(change, "checkout", "-q", "topic")
    before = head(change)
    git(change, "rebase", "-q", "main")
    assert head(change) != before
    assert store.comments(head(change)) == [comment]
    assert store.audio(head(change), comment.id) == (b"OggS", "audio/ogg")


def test_comments_travel_with_push_and_fetch(change: Path, tmp_path: Path) -> None:
    comment = CommentStore(change).add(head(change), a_comment(), b"OggS")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(change, "remote", "add", "origin", str(remote))
    git(change, "push", "-q", "origin", "main", "refs/notes/voice*")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    git(clone, "fetch", "-q", "origin", "refs/notes/voice*:refs/notes/voice*")
    assert CommentStore(clone).comments(head(clone)) == [comment]


def test_readback_passages_map_to_commits_and_files(change: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Readback reads a header, then one passage per file: a comment on a file is on the lines it changes."""
    (change / "app.py").write_text("def run(x):\n    if x is None:\n        return None\n    return x.value\n")
    (change / "notes.md").write_text("# notes\n")
    git(change, "add", ".")
    git(change, "commit", "-q", "-m", "fix: none")
    monkeypatch.chdir(change)
    entries = load_series(["HEAD~2..HEAD"]).entries
    commenter = ReadbackCommenter(["HEAD~2..HEAD"], [e.record for e in entries])
    first, second = (git(change, "rev-parse", rev).strip() for rev in ("HEAD~1", "HEAD"))
    targets = [commenter.target(i) for i in range(5)]
    assert [(t.key, t.file.path if t.file else None) for t in targets if t] == [
        (first, None), (first, "app.py"), (second, None), (second, "app.py"), (second, "notes.md")]
    assert [(t.side, t.start_line, t.end_line) for t in targets if t and t.file] == [
        ("new", 1, 2), ("new", 2, 3), ("new", 1, 1)]
    assert commenter.target(99) is None
