"""What the staged diff changed, as the composer needs it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChangedFile:
    path: str  # repository-relative, "/"-separated (the new path for renames)
    status: str  # "A" added, "M" modified, "D" deleted, "R" renamed (git's letters)
    old_path: str | None = None  # the path before a rename


@dataclass(frozen=True)
class DiffContext:
    files: tuple[ChangedFile, ...]
    diff_text: str  # `git diff --cached` output; may be empty


EMPTY_CONTEXT = DiffContext(files=(), diff_text="")
