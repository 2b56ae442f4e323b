"""What a commit will contain, as a DiffContext for composing its message and prompting Whisper."""

from __future__ import annotations

from pathlib import Path

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.git.run import git_output, run_git

# Fixed output whatever the user's config says: no external diff drivers or colours, git's usual a/ b/
# prefixes (diff.noprefix and diff.mnemonicPrefix change them), rename detection on (diff.renames may be off).
DIFF_FLAGS = ("--no-ext-diff", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "-M")

# name-status letters -> the ChangedFile statuses composition knows: a copy adds a file, a type change
# (file <-> symlink) and an unmerged path modify one.
STATUS_LETTERS = {"A": "A", "M": "M", "D": "D", "R": "R", "C": "A", "T": "M", "U": "M"}


def parse_name_status(output: str) -> tuple[ChangedFile, ...]:
    """Parse `git diff --name-status -z` output (renames and copies carry two paths)."""
    fields = output.split("\0")
    files: list[ChangedFile] = []
    index = 0
    while index < len(fields) and fields[index]:
        letter = fields[index][0]
        if letter in ("R", "C"):
            old_path, path = fields[index + 1], fields[index + 2]
            files.append(ChangedFile(path, STATUS_LETTERS[letter], old_path if letter == "R" else None))
            index += 3
        else:
            files.append(ChangedFile(fields[index + 1], STATUS_LETTERS.get(letter, "M")))
            index += 2
    return tuple(files)


def _context(diff_args: list[str], cwd: Path | None) -> DiffContext:
    names = git_output(["diff", *DIFF_FLAGS, "--name-status", "-z", *diff_args], cwd, strip=False)
    text = git_output(["diff", *DIFF_FLAGS, *diff_args], cwd, strip=False)
    return DiffContext(files=parse_name_status(names), diff_text=text)


def staged_context(cwd: Path | None = None) -> DiffContext:
    """The staged changes: `git diff --cached`, which honours GIT_INDEX_FILE (a hook's temporary index).

    On an unborn branch git compares the index with the empty tree, so a first commit has context too.
    """
    return _context(["--cached"], cwd)


def empty_tree(cwd: Path | None = None) -> str:
    """The id of the empty tree in this repository's hash (SHA-1 or SHA-256)."""
    return git_output(["hash-object", "-t", "tree", "--stdin"], cwd, input_text="")


def _commit_or_empty_tree(rev: str, cwd: Path | None) -> str:
    result = run_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else empty_tree(cwd)


def all_tracked_context(cwd: Path | None = None) -> DiffContext:
    """What `git commit -a` would commit: every change to tracked files, staged or not, against HEAD.

    `git diff HEAD` compares HEAD with the work tree for paths in the index, which is exactly -a's set:
    modified and deleted tracked files plus files already added; untracked files are left out, as -a does.
    On an unborn branch there is no HEAD, so the base is the empty tree.
    """
    return _context([_commit_or_empty_tree("HEAD", cwd)], cwd)


def commit_context(all_tracked: bool = False, amend: bool = False, cwd: Path | None = None) -> DiffContext:
    """The changes the commit `git commit [-a] [--amend]` is about to make will contain.

    With --amend the new commit replaces HEAD, so its changes are measured from HEAD's parent (the empty tree
    for a root commit): HEAD's own changes plus what is staged (`--cached`) or, with -a, modified.
    """
    if not amend:
        return all_tracked_context(cwd) if all_tracked else staged_context(cwd)
    base = _commit_or_empty_tree("HEAD^", cwd)
    return _context([base] if all_tracked else ["--cached", base], cwd)
