"""Review comments kept as git notes: the comments on a commit (a JSON document) in refs/notes/voice-review, their
recordings in refs/notes/voice-review-audio. Like the voice notes, they follow `commit --amend` and `rebase`
(notes.rewriteRef) and travel with `git push origin 'refs/notes/voice*'`.

A comment is attached to the commit it refers to. For a patch that came by mail the commit may not exist here:
git still keeps a note under its id (the id on the patch's `From <id>` line), and a patch without one is named by
its `git patch-id --stable`.
"""

from __future__ import annotations

import re
from pathlib import Path

from gitvoice.core.errors import GitError
from gitvoice.git.run import git_output, run_git

REVIEW_NOTES_REF = "refs/notes/voice-review"
REVIEW_AUDIO_NOTES_REF = "refs/notes/voice-review-audio"
REVIEW_REFS = (REVIEW_NOTES_REF, REVIEW_AUDIO_NOTES_REF)

_OBJECT_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def _checked(object_id: str) -> str:
    """Only full object ids reach git here: never a revision expression, never an option."""
    if not _OBJECT_ID.match(object_id):
        raise GitError(f"not a full object id: {object_id[:80]!r}")
    return object_id


def _read(ref: str, object_id: str, cwd: Path | None) -> str | None:
    result = run_git(["notes", f"--ref={ref}", "show", _checked(object_id)], cwd, input_bytes=b"")
    return result.stdout if result.returncode == 0 else None


def _write(ref: str, object_id: str, text: str, cwd: Path | None) -> None:
    if not text:
        run_git(["notes", f"--ref={ref}", "remove", "--ignore-missing", _checked(object_id)], cwd)
        return
    # -C with a blob written as is: git would strip and reflow a note given with -m or -F (JSON must stay intact).
    blob = git_output(["hash-object", "-w", "--stdin"], cwd, input_bytes=text.encode())
    git_output(["notes", f"--ref={ref}", "add", "-f", "-C", blob, _checked(object_id)], cwd)


def read_review_note(object_id: str, cwd: Path | None = None) -> str | None:
    """The review comments on `object_id` as stored (JSON text), or None."""
    return _read(REVIEW_NOTES_REF, object_id, cwd)


def write_review_note(object_id: str, text: str, cwd: Path | None = None) -> None:
    """Replace the review comments on `object_id`; empty text removes the note."""
    _write(REVIEW_NOTES_REF, object_id, text, cwd)


def read_review_audio_note(object_id: str, cwd: Path | None = None) -> str | None:
    """The recordings of the review comments on `object_id` (JSON text), or None."""
    return _read(REVIEW_AUDIO_NOTES_REF, object_id, cwd)


def write_review_audio_note(object_id: str, text: str, cwd: Path | None = None) -> None:
    _write(REVIEW_AUDIO_NOTES_REF, object_id, text, cwd)


def reviewed_objects(cwd: Path | None = None) -> list[str]:
    """The ids of every object that has review comments."""
    result = run_git(["notes", f"--ref={REVIEW_NOTES_REF}", "list"], cwd)
    if result.returncode != 0:
        return []
    return [line.split()[1] for line in result.stdout.splitlines() if len(line.split()) == 2]


def patch_id(diff_text: str, cwd: Path | None = None) -> str | None:
    """`git patch-id --stable` of a diff: the same id for the same change wherever it is applied."""
    result = run_git(["patch-id", "--stable"], cwd, input_bytes=diff_text.encode())
    fields = result.stdout.split()
    return fields[0] if result.returncode == 0 and fields else None


def configure_review_rewrite(cwd: Path | None = None) -> list[str]:
    """Make `commit --amend` and `rebase` carry the review notes along (notes.rewriteRef), as for voice notes;
    returns the refs added now."""
    configured = run_git(["config", "--get-all", "notes.rewriteRef"], cwd).stdout.split()
    added = []
    for ref in REVIEW_REFS:
        if ref in configured or any(_glob_matches(ref, pattern) for pattern in configured):
            continue
        git_output(["config", "--local", "--add", "notes.rewriteRef", ref], cwd)
        added.append(ref)
    return added


def _glob_matches(ref: str, pattern: str) -> bool:
    from fnmatch import fnmatchcase

    return any(c in pattern for c in "*?[") and fnmatchcase(ref, pattern)


def reviewer_identity(cwd: Path | None = None) -> tuple[str, str]:
    """The reviewer's name and email as git would sign a commit (`git var GIT_COMMITTER_IDENT`)."""
    result = run_git(["var", "GIT_COMMITTER_IDENT"], cwd)
    match = re.match(r"^(.*?) <([^>]*)>", result.stdout.strip())
    return (match.group(1), match.group(2)) if result.returncode == 0 and match else ("", "")
