"""The store: named, ordered migrations; entries from recorded to committed or aborted; one store per repository,
shared by its worktrees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import git

from gitvoice.store import history as store_module
from gitvoice.store.history import Store


def test_migrations_run_once_in_order_and_are_recorded(repo: Path) -> None:
    path = Store.open(repo).path
    assert path == repo / ".git" / "gitvoice" / "store.sqlite3"
    names = [name for name, _ in store_module.MIGRATIONS]
    db = sqlite3.connect(path)
    assert [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY rowid")] == names
    db.close()
    with sqlite3.connect(path) as db:
        assert store_module.migrate(db) == []  # reopening applies nothing again


def test_a_new_migration_runs_on_an_existing_store(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(repo) as store:
        kept = store.add_recording(repo / "a.wav", 1.0, "commit")

    def m999_tags(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE recordings ADD COLUMN tags TEXT")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, ("m999_tags", m999_tags)])
    with Store.open(repo) as store:
        entry = store.get(kept)
        assert entry is not None and entry.path == repo / "a.wav"  # the data survived the migration
    db = sqlite3.connect(Store.open(repo).path)
    assert "tags" in [row[1] for row in db.execute("PRAGMA table_info(recordings)")]
    assert db.execute("SELECT count(*) FROM schema_migrations WHERE name = 'm999_tags'").fetchone() == (1,)


def test_a_failing_migration_leaves_nothing_half_done(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(repo).close()

    def m998_broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE recordings ADD COLUMN half TEXT")
        raise RuntimeError("boom")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, ("m998_broken", m998_broken)])
    with pytest.raises(RuntimeError):
        Store.open(repo)
    db = sqlite3.connect(repo / ".git" / "gitvoice" / "store.sqlite3")
    assert "half" not in [row[1] for row in db.execute("PRAGMA table_info(recordings)")]
    assert db.execute("SELECT count(*) FROM schema_migrations WHERE name = 'm998_broken'").fetchone() == (0,)


def test_an_entry_from_recording_to_commit(repo: Path) -> None:
    with Store.open(repo) as store:
        entry_id = store.add_recording(repo / "take.wav", 7.25, "commit")
        entry = store.get(entry_id)
        assert entry is not None and entry.status == "pending" and entry.transcript is None
        store.set_transcript(entry_id, "Rename getUserById to fetch_user")
        draft = store.save_draft(entry_id, "refactor(api): rename getUserById to fetch_user")
        assert draft.read_text() == "refactor(api): rename getUserById to fetch_user\n"
        assert draft.parent == store.drafts_dir
        pending = store.latest_pending("commit")
        assert pending is not None and pending.id == entry_id and pending.draft_path == draft
        store.mark_committed(entry_id, "a" * 40)
        assert store.latest_pending("commit") is None
        done = store.history()[0]
        assert (done.status, done.commit, done.duration_s) == ("committed", "a" * 40, 7.25)


def test_latest_pending_is_the_newest_unfinished_of_its_origin(repo: Path) -> None:
    with Store.open(repo) as store:
        first = store.add_recording(repo / "1.wav", 1.0, "commit")
        store.mark_status(first, "aborted")
        store.add_recording(repo / "2.wav", 1.0, "note")
        third = store.add_recording(repo / "3.wav", 1.0, "commit")
        store.mark_committed(third, "b" * 40)
        latest = store.latest_pending("commit")
        assert latest is not None and latest.id == first and latest.status == "aborted"
        any_origin = store.latest_pending()
        assert any_origin is not None and any_origin.origin == "note"
        assert [e.id for e in store.history(2)] == [third, third - 1]  # newest first, limited


def test_bad_values_are_refused(repo: Path) -> None:
    with Store.open(repo) as store:
        entry_id = store.add_recording(repo / "x.wav", 1.0, "commit")
        with pytest.raises(ValueError, match="status"):
            store.mark_status(entry_id, "lost")
        with pytest.raises(ValueError, match="origin"):
            store.add_recording(repo / "x.wav", 1.0, "somewhere")


def test_worktrees_share_the_store(repo: Path, tmp_path: Path) -> None:
    worktree = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", str(worktree))
    with Store.open(worktree) as store:
        entry_id = store.add_recording(worktree / "w.wav", 2.0, "commit")
    with Store.open(repo) as store:
        assert store.path == (repo / ".git" / "gitvoice" / "store.sqlite3")
        assert store.get(entry_id) is not None


def test_outside_a_repository_the_store_is_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITVOICE_STATE_DIR", str(tmp_path / "state"))
    outside = tmp_path / "plain"
    outside.mkdir()
    with Store.open(outside) as store:
        assert store.path == tmp_path / "state" / "store.sqlite3"
