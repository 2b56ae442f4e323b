"""Commits and ranges of a repository read as data for readback: subject, author, explanation, voice note and what
each file went through."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gitvoice.core.errors import GitError
from gitvoice.git.diff_text import FileDiff, parse_diff
from gitvoice.git.notes import read_transcript_note
from gitvoice.git.run import run_git


@dataclass(frozen=True)
class CommitRecord:
    source: str  # what the listener is told this is: "commit 1a2b3c4" or "patch 0001-fix.patch"
    subject: str | None  # None for a bare diff without a message
    author: str | None
    body: str  # the message after the subject, trailers included
    note: str | None  # the voice-note transcript attached to the commit, if any
    files: tuple[FileDiff, ...]
    patches_in_series: int = 0  # a format-patch cover letter: how many patches follow it (0: not a cover letter)

    @property
    def is_cover_letter(self) -> bool:
        return self.patches_in_series > 0



def is_range(spec: str) -> bool:
    """`A..B`, `A...B`, `X^!`, `X^@`: more than one commit; anything else names one commit."""
    return ".." in spec or spec.endswith(("^!", "^@"))


def commit_ids(spec: str, cwd: Path | None = None) -> list[str]:
    """The full ids of the commits `spec` names, oldest first; GitError for an unknown or empty one."""
    root = _work_tree(cwd)
    if is_range(spec):
        result = run_git(["rev-list", "--reverse", spec, "--"], root)
    else:
        result = run_git(["rev-parse", "--verify", "--end-of-options", f"{spec}^{{commit}}"], root)
    if result.returncode != 0:
        raise GitError(f"unknown revision or range: {spec}",
                       hint="give a commit (HEAD, a1b2c3d, v1.0), a range (main..topic) or a patch file")
    ids = result.stdout.split()
    if not ids:
        raise GitError(f"empty range: {spec} has no commits",
                       hint="the range A..B means commits in B but not in A; check the order of its ends")
    return ids


def _work_tree(cwd: Path | None) -> Path:
    result = run_git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0 or not result.stdout.strip():
        raise GitError("not a git repository (or any of the parent directories)",
                       hint="run this inside a repository, or give a patch file")
    return Path(result.stdout.strip())


# One record per commit: id, parents, author name, then the raw message; NUL-separated, as `git show -z` cannot.
_COMMIT_FORMAT = "--format=%H%x00%P%x00%an%x00%B"


def read_commit(commit_id: str, cwd: Path | None = None) -> CommitRecord:
    """Subject, author, message body, voice note and per-file changes of one commit (against its first parent)."""
    root = _work_tree(cwd)
    result = run_git(["show", "-s", _COMMIT_FORMAT, commit_id, "--"], root, input_bytes=b"")
    if result.returncode != 0:
        raise GitError(f"cannot read commit {commit_id[:12]}: {result.stderr.strip()}")
    full_id, parents, author, message = result.stdout.split("\0", 3)
    subject, _, body = message.strip("\n").partition("\n")
    files = parse_diff(_commit_diff_text(full_id, parents.split(), root))
    marked = generated_paths([f.path for f in files], root)
    files = [replace(f, generated=True) if f.path in marked else f for f in files]
    return CommitRecord(
        source=f"commit {full_id[:7]}",
        subject=subject.strip(),
        author=author,
        body=body.strip(),
        note=read_transcript_note(full_id, root),
        files=tuple(files),
    )


_DIFF_OPTIONS = ["--no-ext-diff", "--no-textconv", "--no-color", "-M", "--src-prefix=a/", "--dst-prefix=b/",
                 "--patch", "--full-index"]


def _commit_diff_text(commit_id: str, parent_ids: Sequence[str], cwd: str | Path) -> str:
    # core.quotePath=false keeps non-ASCII names readable; the user's diff.noprefix and colour settings are overridden
    # by the explicit options. A merge is read against its first parent: what the merge brought in.
    if parent_ids:
        args = ["-c", "core.quotePath=false", "diff", *_DIFF_OPTIONS, parent_ids[0], commit_id, "--"]
    else:
        args = ["-c", "core.quotePath=false", "diff-tree", "--root", "-r", *_DIFF_OPTIONS, commit_id, "--"]
    # input_bytes makes run_git decode with errors="replace": a diff may hold bytes that are not UTF-8.
    result = run_git(args, cwd, input_bytes=b"")
    if result.returncode != 0:
        raise GitError(f"git diff of {commit_id[:7]} failed: {result.stderr.strip()}")
    return result.stdout


def generated_paths(paths: Sequence[str], cwd: str | Path) -> set[str]:
    """The paths .gitattributes marks `linguist-generated` (GitHub's convention for generated files)."""
    if not paths:
        return set()
    result = run_git(["check-attr", "-z", "linguist-generated", "--", *paths], cwd, input_bytes=b"")
    if result.returncode != 0:
        return set()
    fields = result.stdout.split("\0")
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] in ("set", "true")}


def read_commits(spec: str, cwd: Path | None = None) -> Iterator[CommitRecord]:
    for commit_id in commit_ids(spec, cwd):
        yield read_commit(commit_id, cwd)
