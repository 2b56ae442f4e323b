"""Comments spoken during `git voice readback`: which commit and lines the passage being read is about.

A readback reads each commit as a header passage, then one passage per file (gitvoice.readback.script). A comment
made during the header is on the commit as a whole; during a file's passage, on the lines that file's hunks change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitvoice.core.errors import GitVoiceError
from gitvoice.git.commits import CommitRecord
from gitvoice.git.repo import repo_root
from gitvoice.review.anchors import file_line_span
from gitvoice.review.comments import Comment, CommentStore
from gitvoice.review.series import load_series
from gitvoice.review.spoken import Target, spoken_comment


class ReadbackCommenter:
    """Turns "the passage now playing" into a comment target, and records comments on it."""

    def __init__(self, targets: Sequence[str], records: Sequence[CommitRecord], cwd: Path | None = None) -> None:
        root = repo_root(cwd)
        if root is None:
            raise GitVoiceError("comments are kept in a git repository, and this is none",
                                hint="run git voice readback inside the repository the patches are for")
        self.store = CommentStore(root)
        entries = list(load_series(targets, cwd).entries)
        self._targets: list[Target | None] = []
        for record in records:
            # The same commits and patches in the same order; a cover letter in a patch file has no entry.
            entry = entries.pop(0) if entries and entries[0].record == record else None
            self._targets.append(Target(entry.key) if entry else None)
            for file in record.files:
                span = file_line_span(file) if entry else None
                if entry is None:
                    self._targets.append(None)
                elif span is None:
                    self._targets.append(Target(entry.key))
                else:
                    side, first, last = span
                    self._targets.append(Target(entry.key, file, first, last, side))

    def target(self, passage: int) -> Target | None:
        return self._targets[passage] if 0 <= passage < len(self._targets) else None

    def record_comment(self, passage: int) -> Comment:
        target = self.target(passage)
        if target is None:
            raise GitVoiceError("this part cannot take a comment (a cover letter has no commit)")
        return spoken_comment(target, self.store)


def describe(comment: Comment) -> str:
    where = f"{comment.file}:{comment.lines}" if comment.file else "the commit"
    return f"comment on {where}: {comment.transcript}"
