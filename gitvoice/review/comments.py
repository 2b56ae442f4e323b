"""Spoken review comments: what one says, where it points (file, lines, side of the diff), and where it is kept.

Each commit's comments are one JSON document in refs/notes/voice-review; their recordings, base64-encoded and keyed
by comment id, are a second document in refs/notes/voice-review-audio (so a `git log --notes` of the comments stays
readable, and fetching them does not have to fetch the audio). Notes can come from anyone who pushes them, so a
document that does not parse is read as no comments, never as an error that stops the review.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gitvoice.git.review_notes import (
    configure_review_rewrite,
    read_review_audio_note,
    read_review_note,
    write_review_audio_note,
    write_review_note,
)

FORMAT_VERSION = 1
SIDES = ("new", "old")  # which side's line numbers: "old" for removed lines, "new" for added and context lines
ORIGINS = ("page", "readback")
COMMENT_ID = re.compile(r"^[0-9a-f]{12}$")
MAX_TRANSCRIPT_CHARS = 20_000  # a corrected comment; several minutes of speech are far below this


@dataclass(frozen=True)
class Comment:
    id: str  # 12 hex digits, random
    file: str | None  # the path as in the diff (after the change); None: the commit as a whole
    start_line: int | None  # first line commented on, on `side`
    end_line: int | None  # last line commented on, on `side` (the reply puts the comment below it)
    side: str  # one of SIDES
    transcript: str  # what was said, as corrected
    author: str  # "Name <email>" of the reviewer
    created_at: str  # ISO 8601, UTC, seconds
    duration_s: float | None = None  # length of the recording, when there is one
    audio_type: str | None = None  # MIME type of the recording kept for it ("audio/ogg")
    origin: str = "page"  # one of ORIGINS: where it was spoken

    @property
    def lines(self) -> str:
        """"12" or "12-14", empty for the whole commit."""
        if self.start_line is None or self.end_line is None:
            return ""
        return str(self.start_line) if self.start_line == self.end_line else f"{self.start_line}-{self.end_line}"


def new_comment(*, file: str | None, start_line: int | None, end_line: int | None, side: str, transcript: str,
                author: str, duration_s: float | None = None, audio_type: str | None = None,
                origin: str = "page") -> Comment:
    if side not in SIDES:
        raise ValueError(f"side must be one of {SIDES}")
    if (start_line is None) != (end_line is None) or (file is None and start_line is not None):
        raise ValueError("a line range needs a file and both ends")
    if start_line is not None and end_line is not None and not 0 < start_line <= end_line:
        raise ValueError("line numbers start at 1 and the range must not be reversed")
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return Comment(secrets.token_hex(6), file, start_line, end_line, side, transcript, author, created, duration_s,
                   audio_type, origin)


def comments_to_json(comments: list[Comment]) -> str:
    if not comments:
        return ""
    document = {"version": FORMAT_VERSION, "comments": [asdict(comment) for comment in comments]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def comments_from_json(text: str | None) -> list[Comment]:
    """The comments of a note; anything that is not a well-formed comment is skipped."""
    if not text:
        return []
    try:
        document = json.loads(text)
    except ValueError:
        return []
    items = document.get("comments") if isinstance(document, dict) else None
    return [comment for item in items or [] if (comment := _comment(item)) is not None]


def _optional(value: Any, kind: type) -> Any:
    return value if value is None or (isinstance(value, kind) and not isinstance(value, bool)) else _INVALID


_INVALID = object()


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _comment(item: Any) -> Comment | None:
    if not isinstance(item, dict):
        return None
    fields = {
        "id": item.get("id") if isinstance(item.get("id"), str) and COMMENT_ID.match(item["id"]) else _INVALID,
        "file": _optional(item.get("file"), str),
        "start_line": _optional(item.get("start_line"), int),
        "end_line": _optional(item.get("end_line"), int),
        "side": item.get("side") if item.get("side") in SIDES else _INVALID,
        "transcript": item.get("transcript") if isinstance(item.get("transcript"), str) else _INVALID,
        "author": item.get("author") if isinstance(item.get("author"), str) else "",
        "created_at": item.get("created_at") if isinstance(item.get("created_at"), str) else "",
        "duration_s": _seconds(item.get("duration_s")),
        "audio_type": _optional(item.get("audio_type"), str),
        "origin": item.get("origin") if item.get("origin") in ORIGINS else "page",
    }
    if any(value is _INVALID for value in fields.values()):
        return None
    return Comment(**fields)


class CommentStore:
    """Reads and writes the comments of a repository; one writer at a time within this process (the page's server
    runs requests in threads, and each change is a read, modify, write of the note)."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = cwd
        self._lock = threading.Lock()
        self._configured = False

    def comments(self, key: str) -> list[Comment]:
        return comments_from_json(read_review_note(key, self.cwd))

    def add(self, key: str, comment: Comment, audio: bytes | None = None) -> Comment:
        with self._lock:
            self._configure()
            if audio is not None:
                recordings = self._recordings(key)
                recordings[comment.id] = {"type": comment.audio_type or "audio/ogg",
                                          "data": base64.b64encode(audio).decode("ascii")}
                write_review_audio_note(key, _recordings_json(recordings), self.cwd)
            write_review_note(key, comments_to_json([*self.comments(key), comment]), self.cwd)
        return comment

    def update_transcript(self, key: str, comment_id: str, transcript: str) -> Comment | None:
        """The comment with its transcript corrected, or None when there is no such comment."""
        with self._lock:
            comments = self.comments(key)
            found = next((c for c in comments if c.id == comment_id), None)
            if found is None:
                return None
            updated = replace(found, transcript=transcript)
            write_review_note(key, comments_to_json([updated if c is found else c for c in comments]), self.cwd)
            return updated

    def remove(self, key: str, comment_id: str) -> bool:
        with self._lock:
            comments = self.comments(key)
            kept = [c for c in comments if c.id != comment_id]
            if len(kept) == len(comments):
                return False
            write_review_note(key, comments_to_json(kept), self.cwd)
            recordings = self._recordings(key)
            if recordings.pop(comment_id, None) is not None:
                write_review_audio_note(key, _recordings_json(recordings), self.cwd)
            return True

    def audio(self, key: str, comment_id: str) -> tuple[bytes, str] | None:
        """The recording of a comment and its MIME type, or None."""
        item = self._recordings(key).get(comment_id)
        if not isinstance(item, dict) or not isinstance(item.get("data"), str):
            return None
        try:
            data = base64.b64decode(item["data"], validate=True)
        except (binascii.Error, ValueError):
            return None
        kind = item.get("type")
        return data, kind if isinstance(kind, str) and kind.startswith("audio/") else "audio/ogg"

    def _recordings(self, key: str) -> dict[str, Any]:
        try:
            document = json.loads(read_review_audio_note(key, self.cwd) or "{}")
        except ValueError:
            return {}
        recordings = document.get("recordings") if isinstance(document, dict) else None
        return dict(recordings) if isinstance(recordings, dict) else {}

    def _configure(self) -> None:
        if not self._configured:
            configure_review_rewrite(self.cwd)
            self._configured = True


def _recordings_json(recordings: dict[str, Any]) -> str:
    if not recordings:
        return ""
    return json.dumps({"version": FORMAT_VERSION, "recordings": recordings}) + "\n"
