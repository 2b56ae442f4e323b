"""Committing: is the repository ready, footers through `git interpret-trailers`, and `git commit` itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitvoice.composition.conventional import Footer, message_for_validation
from gitvoice.core.errors import GitError
from gitvoice.git.messages import message_file_comment_char
from gitvoice.git.repo import git_dir, require_repo_root
from gitvoice.git.run import git_output, run_git, run_git_attached

# Files git leaves in the (per-worktree) git directory while an operation waits for a commit of its own.
OPERATIONS_IN_PROGRESS = (
    ("rebase-merge", "a rebase", "git rebase --continue"),
    ("rebase-apply", "a rebase or `git am`", "git rebase --continue` or `git am --continue"),
    ("MERGE_HEAD", "a merge", "git commit"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue"),
    ("REVERT_HEAD", "a revert", "git revert --continue"),
)



@dataclass(frozen=True)
class RepoState:
    root: Path  # top of the work tree
    git_dir: Path  # this worktree's git directory
    head: str | None  # the commit HEAD points at; None on an unborn branch (no commit yet)


def head_commit(cwd: Path | None = None) -> str | None:
    result = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd)
    return result.stdout.strip() or None if result.returncode == 0 else None


def head_message(cwd: Path | None = None) -> str:
    """HEAD's message as git stores it (\"\" on an unborn branch)."""
    result = run_git(["log", "-1", "--format=%B", "HEAD", "--"], cwd)
    return result.stdout if result.returncode == 0 else ""


def operation_in_progress(directory: Path) -> tuple[str, str] | None:
    """(what, how to finish it) for a merge, rebase, cherry-pick, revert or am that is waiting; else None."""
    for marker, what, finish in OPERATIONS_IN_PROGRESS:
        if (directory / marker).exists():
            return what, finish
    return None


def has_staged_changes(cwd: Path | None = None) -> bool:
    # --cached compares with the empty tree on an unborn branch, so a first commit counts too.
    return run_git(["diff", "--cached", "--quiet", "--no-ext-diff"], cwd).returncode == 1


def has_tracked_changes(cwd: Path | None = None) -> bool:
    """Whether `git commit -a` would find anything: a staged change or a modified or deleted tracked file."""
    if has_staged_changes(cwd):
        return True
    return run_git(["diff", "--quiet", "--no-ext-diff"], cwd).returncode == 1


def has_unmerged_paths(cwd: Path | None = None) -> bool:
    return bool(git_output(["ls-files", "--unmerged"], cwd))


def committer_identity(cwd: Path | None = None) -> str:
    """`Name <email>` as git will write it; GitError when git would refuse to commit for want of one."""
    result = run_git(["var", "GIT_COMMITTER_IDENT"], cwd)
    if result.returncode != 0:
        raise GitError("git does not know who you are (user.name and user.email are not set)",
                       hint='git config --global user.name "Your Name" && '
                       'git config --global user.email you@example.com')
    # "Name <email> 1700000000 +0000": drop the timestamp and the time zone.
    return result.stdout.strip().rsplit(" ", 2)[0]


def check_ready_to_commit(*, all_tracked: bool, amend: bool, cwd: Path | None = None) -> RepoState:
    """The repository's state, or a GitError with a hint for each reason `git commit` would fail or do
    something other than a plain commit. Runs before any recording starts, so nobody talks in vain."""
    root = require_repo_root(cwd)
    directory = git_dir(cwd)
    waiting = operation_in_progress(directory)
    if waiting is not None:
        what, finish = waiting
        raise GitError(f"{what} is in progress; its commit message is git's to write",
                       hint=f"finish it first (`{finish}`) or abort it, then run `git voice commit`")
    if has_unmerged_paths(cwd):
        raise GitError("the index has unmerged paths (unresolved conflicts)",
                       hint="resolve them and `git add` the files, then run `git voice commit`")
    head = head_commit(cwd)
    if amend and head is None:
        raise GitError("nothing to amend: this branch has no commit yet",
                       hint="leave out --amend to make the first commit")
    changed = has_tracked_changes(cwd) if all_tracked else has_staged_changes(cwd)
    if not changed and not amend:
        if all_tracked:
            raise GitError("nothing to commit: no tracked file is modified or deleted",
                           hint="new files are not part of -a: `git add` them first")
        raise GitError("nothing staged to commit",
                       hint="stage changes with `git add`, or use -a to commit every modified tracked file")
    committer_identity(cwd)
    return RepoState(root=root, git_dir=directory, head=head)


def signoff_footer(cwd: Path | None = None) -> Footer:
    """The Signed-off-by footer `git commit -s` would add."""
    return Footer("Signed-off-by", committer_identity(cwd))


def add_trailers(message: str, footers: Sequence[Footer], cwd: Path | None = None) -> str:
    """`message` with `footers` appended by `git interpret-trailers`, which joins an existing trailer block
    instead of starting a second one. Each footer gets its own alias whose key carries the exact token and
    separator, so `Fixes #42` and `BREAKING CHANGE: ...` come out as written (git's parser alone would turn them
    into `Fixes: 42` and refuse the space in the token)."""
    if not footers:
        return message
    config: list[str] = ["-c", "trailer.separators=:#"]
    arguments: list[str] = []
    for index, footer in enumerate(footers):
        alias = f"gitvoice{index}"
        key = footer.token + ("" if footer.separator.strip() == ":" else footer.separator.rstrip())
        # A value can span lines in the spec; a trailer continues on lines that start with whitespace.
        value = "\n ".join(part.strip() for part in footer.value.splitlines() if part.strip())
        config += ["-c", f"trailer.{alias}.key={key}", "-c", f"trailer.{alias}.ifExists=addIfDifferent"]
        arguments += ["--trailer", f"{alias}: {value}"]
    return git_output([*config, "interpret-trailers", "--no-divider", *arguments], cwd, input_text=message,
                      strip=False)


@dataclass(frozen=True)
class CommitOutcome:
    commit: str | None  # the new commit's sha; None when git made none
    reason: str | None  # why not: "empty" (the message was left empty) or "failed" (a hook or git refused)
    edited_message: str | None  # the message as the user left it in the editor, when git failed after editing


def _edit_message_path(cwd: Path | None) -> Path:
    path = Path(git_output(["rev-parse", "--git-path", "COMMIT_EDITMSG"], cwd))
    return path if path.is_absolute() else (cwd or Path.cwd()) / path


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def commit_arguments(message_file: Path, *, edit: bool, all_tracked: bool, signoff: bool, amend: bool,
                     no_verify: bool) -> list[str]:
    """`git commit` with the draft as the message file. No --cleanup: git's own default (strip comments after
    editing, whitespace only with --no-edit) or the user's commit.cleanup applies, as for any commit."""
    arguments = ["commit", "-F", str(message_file)]
    arguments += ["-e"] if edit else []  # git opens the editor it resolves: GIT_EDITOR, core.editor, VISUAL, EDITOR
    arguments += ["-a"] if all_tracked else []
    arguments += ["-s"] if signoff else []
    arguments += ["--amend"] if amend else []
    arguments += ["--no-verify"] if no_verify else []
    return arguments


def run_commit(message_file: Path, *, edit: bool, all_tracked: bool, signoff: bool, amend: bool,
               no_verify: bool, cwd: Path | None = None) -> CommitOutcome:
    """Run `git commit` on the user's terminal and say whether it made a commit, and if not, why."""
    before = head_commit(cwd)
    edit_path = _edit_message_path(cwd)
    stamp_before = _stamp(edit_path)
    status = run_git_attached(commit_arguments(message_file, edit=edit, all_tracked=all_tracked, signoff=signoff,
                                               amend=amend, no_verify=no_verify), cwd)
    after = head_commit(cwd)
    if status == 0 and after is not None and after != before:
        return CommitOutcome(commit=after, reason=None, edited_message=None)
    edited: str | None = None
    if edit and _stamp(edit_path) != stamp_before:
        # git rewrote COMMIT_EDITMSG in this run, so it holds what the user left in the editor.
        raw = edit_path.read_text(encoding="utf-8", errors="replace")
        edited = message_for_validation(raw, message_file_comment_char(raw, cwd))
        if not edited.strip():
            return CommitOutcome(commit=None, reason="empty", edited_message=None)
    return CommitOutcome(commit=None, reason="failed", edited_message=edited + "\n" if edited else None)

