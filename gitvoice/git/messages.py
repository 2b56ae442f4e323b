"""Commit messages as git sees them: the comment character of a message file, and the messages of a range."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitvoice.composition.conventional import SCISSORS
from gitvoice.core.errors import GitError
from gitvoice.git.run import run_git

# What core.commentChar=auto picks from, in git's order (builtin/commit.c, adjust_comment_line_char).
AUTO_COMMENT_CANDIDATES = "#;@!$%^&|:"
# commit.cleanup modes that keep comment lines in the commit, so a validator must not drop them.
KEEP_COMMENTS_CLEANUPS = ("verbatim", "whitespace")


def _comment_settings(cwd: Path | None) -> dict[str, str]:
    """commit.cleanup, core.commentChar and core.commentString (lowercased keys) in one git call: every commit
    pays for it."""
    result = run_git(["config", "-z", "--get-regexp", r"^(commit\.cleanup|core\.commentchar|core\.commentstring)$"],
                     cwd)
    settings: dict[str, str] = {}
    for item in result.stdout.split("\0") if result.returncode == 0 else []:
        key, _, value = item.partition("\n")
        if key:
            settings[key.lower()] = value  # the last one wins, as for `git config --get`
    return settings


def message_file_comment_char(text: str, cwd: Path | None = None) -> str:
    """The comment prefix of a message file git wrote for a hook ("" when comment lines are kept).

    core.commentString (git >= 2.45) and core.commentChar are asked from git, never assumed. With `auto`, git
    picked the first candidate that started no line of the message before it added its own comment lines, so in
    the file we recognise its choice by what git writes: the scissors line, or a comment line holding the
    character alone (git's blank comment line); failing both, git's own rule on the text as it is.
    """
    settings = _comment_settings(cwd)
    if settings.get("commit.cleanup") in KEEP_COMMENTS_CLEANUPS:
        return ""
    configured = settings.get("core.commentstring") or settings.get("core.commentchar") or "#"
    if configured != "auto":
        return configured
    lines = [line.rstrip() for line in text.splitlines()]
    for candidate in AUTO_COMMENT_CANDIDATES:
        if f"{candidate} {SCISSORS}" in lines:
            return candidate
    for candidate in AUTO_COMMENT_CANDIDATES:
        if candidate in lines:
            return candidate
    starts = {line[:1] for line in lines}
    return next((c for c in AUTO_COMMENT_CANDIDATES if c not in starts), "#")


# commit.cleanup modes that strip comment lines after the editor (builtin/commit.c: "default" is "strip" when
# editing); with any other, comment lines would be committed.
_STRIPPING_CLEANUPS = ("", "default", "strip")


def editor_comment_prefix(cwd: Path | None = None) -> str | None:
    """The comment prefix git strips after `git commit -e` (core.commentString or core.commentChar, default "#"),
    or None when comment lines added to a `-F` message would not be stripped: commit.cleanup verbatim, whitespace
    or scissors (which keeps comments above its line), or core.commentChar=auto (git picks a character no line of
    the message starts with, so lines we prefix could never be comments). Same settings as for reading a message
    file (message_file_comment_char), read in the same one git call."""
    settings = _comment_settings(cwd)
    if settings.get("commit.cleanup", "").strip().lower() not in _STRIPPING_CLEANUPS:
        return None
    prefix = settings.get("core.commentstring") or settings.get("core.commentchar") or "#"
    return None if prefix == "auto" else prefix


@dataclass(frozen=True)
class CommitText:
    sha: str  # full object name
    message: str  # the raw message (%B): header, body and trailers

    @property
    def header(self) -> str:
        return self.message.split("\n", 1)[0]


def commit_messages(rev_range: str, cwd: Path | None = None) -> list[CommitText]:
    """The messages of the commits `git log RANGE` lists (oldest first); GitError for a bad range."""
    if rev_range.startswith("-"):
        raise GitError(f"not a revision range: {rev_range!r}", hint="give a range like origin/main..HEAD")
    result = run_git(["log", "--no-color", "--reverse", "-z", "--format=%H%n%B", rev_range, "--"], cwd)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise GitError(f"cannot list commits in {rev_range!r}: {lines[0] if lines else 'git log failed'}",
                       hint="give a range git understands, e.g. origin/main..HEAD (fetch the base first in CI)")
    commits = []
    for record in result.stdout.split("\0"):
        if not record.strip():
            continue
        sha, _, message = record.lstrip("\n").partition("\n")
        commits.append(CommitText(sha, message))
    return commits
