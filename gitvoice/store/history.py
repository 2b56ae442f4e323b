"""Recordings, transcripts and draft messages, kept until the commit (or note) they became exists.

One SQLite file per repository at `<git common dir>/gitvoice/store.sqlite3`, so every worktree shares it and
`git clean` never touches it; outside a repository it lives in the user state folder. The schema grows through
named, ordered migrations recorded in `schema_migrations` (the approach of simonw/llm): a migration runs once,
in order, inside the same transaction that records it. Every write is its own transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from gitvoice.core.atomic import write_text_atomically
from gitvoice.core.errors import GitVoiceError
from gitvoice.store.recordings import gitvoice_dir

STORE_FILE = "store.sqlite3"
DRAFTS_FOLDER = "drafts"

# pending: recorded, nothing made from it yet; committed: the commit exists (`commit` says which);
# aborted: git commit failed or the message was left empty, the draft is kept for `--reuse`;
# noted: attached to an existing commit as a note; drafted: the prepare-commit-msg hook put its message into a
# `git commit` (the draft stays in the store), so it is not offered again.
STATUSES = ("pending", "committed", "aborted", "noted", "drafted")
ORIGINS = ("record", "commit", "note", "format-patch", "hook")

# Statuses whose draft and recording are still waiting for the user (what `--reuse` picks up).
UNFINISHED = ("pending", "aborted")

BUSY_TIMEOUT_S = 10.0  # another `git voice` in the same repository may hold the write lock briefly


@dataclass(frozen=True)
class RecordingEntry:
    id: int
    path: Path  # the recording (WAV) in the recordings folder
    created_at: str  # ISO 8601, UTC, seconds
    duration_s: float
    origin: str  # one of ORIGINS: the command that made it
    status: str  # one of STATUSES
    transcript: str | None
    draft_path: Path | None  # the last composed message, a plain text file
    commit: str | None  # full sha of the commit it became (status committed or noted)


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(func: Migration) -> Migration:
    """Register a migration; its function name is its permanent identity, so never rename one."""
    MIGRATIONS.append((func.__name__, func))
    return func


@migration
def m001_recordings(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE recordings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL,
            created_at TEXT NOT NULL,
            duration_s REAL NOT NULL,
            origin TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            transcript TEXT,
            draft_path TEXT,
            commit_sha TEXT
        )"""
    )
    db.execute("CREATE INDEX recordings_status ON recordings (status, id)")


@migration
def m002_updated_at(db: sqlite3.Connection) -> None:
    # When the status last changed: history shows when a draft was aborted or committed.
    db.execute("ALTER TABLE recordings ADD COLUMN updated_at TEXT")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded, in order; the names of those applied now."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, func in MIGRATIONS:
        if name in done:
            continue
        with _transaction(db):
            func(db)
            db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, _now()))
        applied.append(name)
    return applied


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so two processes never interleave read-then-write.
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (a full disk): the cause
            db.execute("ROLLBACK")                # is what was raised, never "no transaction is active"
        raise
    db.execute("COMMIT")


class Store:
    """The history of recordings for one repository (or for the user, outside repositories)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GitVoiceError(f"cannot write gitvoice's folder {path.parent}: {exc.strerror}",
                                hint="check that the repository's .git folder is writable by you") from exc
        try:
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE ... COMMIT).
            self._db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            migrate(self._db)
        except sqlite3.DatabaseError as exc:
            raise GitVoiceError(f"cannot open gitvoice's history at {path}: {exc}",
                                hint="if the file is damaged, move it aside; recordings stay in the folder beside it"
                                ) from exc

    @classmethod
    def open(cls, cwd: Path | None = None) -> Store:
        return cls(gitvoice_dir(cwd) / STORE_FILE)

    @property
    def drafts_dir(self) -> Path:
        return self.path.parent / DRAFTS_FOLDER

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _update(self, recording_id: int, **columns: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with _transaction(self._db):
            cursor = self._db.execute(f"UPDATE recordings SET {assignments}, updated_at = ? WHERE id = ?",
                                      (*columns.values(), _now(), recording_id))
            if cursor.rowcount != 1:
                raise GitVoiceError(f"no recording #{recording_id} in gitvoice's history ({self.path})")

    def add_recording(self, path: Path, duration_s: float, origin: str) -> int:
        """Register a recording as pending; its id."""
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}; expected one of {ORIGINS}")
        now = _now()
        with _transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO recordings (path, created_at, duration_s, origin, status, updated_at)"
                " VALUES (?, ?, ?, ?, 'pending', ?)",
                (str(Path(path).resolve()), now, float(duration_s), origin, now))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_transcript(self, recording_id: int, transcript: str) -> None:
        self._update(recording_id, transcript=transcript)

    def save_draft(self, recording_id: int, message: str) -> Path:
        """Write `message` to this recording's draft file (replacing an older draft); the file's path."""
        path = self.drafts_dir / f"{recording_id}.txt"
        write_text_atomically(path, message if message.endswith("\n") else message + "\n")
        self._update(recording_id, draft_path=str(path))
        return path

    def mark_committed(self, recording_id: int, commit: str) -> None:
        self._update(recording_id, status="committed", commit_sha=commit)

    def mark_noted(self, recording_id: int, commit: str) -> None:
        self._update(recording_id, status="noted", commit_sha=commit)

    def mark_status(self, recording_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {STATUSES}")
        self._update(recording_id, status=status)

    def get(self, recording_id: int) -> RecordingEntry | None:
        rows = self._select("WHERE id = ?", (recording_id,))
        return rows[0] if rows else None

    def latest_pending(self, origin: str | None = None) -> RecordingEntry | None:
        """The newest entry still waiting for the user (pending or aborted), optionally of one origin."""
        marks = ", ".join("?" for _ in UNFINISHED)
        if origin is None:
            rows = self._select(f"WHERE status IN ({marks}) ORDER BY id DESC LIMIT 1", UNFINISHED)
        else:
            rows = self._select(f"WHERE status IN ({marks}) AND origin = ? ORDER BY id DESC LIMIT 1",
                                (*UNFINISHED, origin))
        return rows[0] if rows else None

    def latest_reusable(self, origin: str) -> RecordingEntry | None:
        """The newest unfinished entry of `origin` that can still become a commit: one with a draft, a transcript,
        or not transcribed yet; an attempt in which no speech was heard (transcript "") is skipped."""
        marks = ", ".join("?" for _ in UNFINISHED)
        for entry in self._select(f"WHERE status IN ({marks}) AND origin = ? ORDER BY id DESC LIMIT 50",
                                  (*UNFINISHED, origin)):
            has_draft = entry.draft_path is not None and entry.draft_path.is_file()
            if has_draft or entry.transcript is None or entry.transcript.strip():
                return entry
        return None

    def unfinished_at(self, path: Path) -> list[RecordingEntry]:
        """Unfinished entries whose recording is the file at `path` (a `git voice record` file handed to
        `--audio` later: once its copy is committed, the original must not be offered again)."""
        marks = ", ".join("?" for _ in UNFINISHED)
        return self._select(f"WHERE status IN ({marks}) AND path = ?", (*UNFINISHED, str(path.resolve())))

    def with_status(self, status: str, limit: int = 20) -> list[RecordingEntry]:
        """The newest `limit` entries with `status`, newest first."""
        return self._select("WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit))

    def history(self, limit: int = 20) -> list[RecordingEntry]:
        """The newest `limit` entries, newest first."""
        return self._select("ORDER BY id DESC LIMIT ?", (limit,))

    def _select(self, where: str, parameters: tuple[object, ...]) -> list[RecordingEntry]:
        rows = self._db.execute(
            "SELECT id, path, created_at, duration_s, origin, status, transcript, draft_path, commit_sha"
            f" FROM recordings {where}", parameters).fetchall()
        return [
            RecordingEntry(id=row[0], path=Path(row[1]), created_at=row[2], duration_s=float(row[3]),
                           origin=row[4], status=row[5], transcript=row[6],
                           draft_path=Path(row[7]) if row[7] else None, commit=row[8])
            for row in rows
        ]
