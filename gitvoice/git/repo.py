"""Questions about the repository gitvoice runs in."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gitvoice.core.errors import GitError
from gitvoice.git.run import git_output, run_git


def repo_root(cwd: Path | None = None) -> Path | None:
    """The top of the work tree containing `cwd`, or None outside a repository."""
    result = run_git(["rev-parse", "--show-toplevel"], cwd)
    return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def require_repo_root(cwd: Path | None = None) -> Path:
    root = repo_root(cwd)
    if root is None:
        bare = run_git(["rev-parse", "--is-bare-repository"], cwd)
        if bare.returncode == 0 and bare.stdout.strip() == "true":
            raise GitError("this is a bare repository: gitvoice needs a work tree (staged changes, a place to commit)",
                           hint="run it in a clone with a work tree (`git clone` this repository, or `git worktree "
                           "add`)")
        raise GitError("not a git repository (or any of the parent directories)",
                       hint="run this inside a repository, or `git init` one first")
    return root


def git_dir(cwd: Path | None = None) -> Path:
    """This work tree's git directory (per worktree)."""
    return Path(git_output(["rev-parse", "--absolute-git-dir"], cwd))


def git_common_dir(cwd: Path | None = None) -> Path:
    """The git directory shared by all worktrees (hooks, notes and gitvoice's store live here)."""
    path = Path(git_output(["rev-parse", "--git-common-dir"], cwd))
    return path if path.is_absolute() else ((cwd or Path.cwd()) / path).resolve()


def config_get(key: str, cwd: Path | None = None) -> str | None:
    """A git config value as git resolves it (repository, global, system), or None if unset."""
    result = run_git(["config", "--get", key], cwd)
    return result.stdout.rstrip("\n") if result.returncode == 0 else None


def config_get_all(key: str, cwd: Path | None = None) -> list[str]:
    """Every value of a repeatable git config key, in git's order (empty when unset)."""
    result = run_git(["config", "-z", "--get-all", key], cwd)
    return [value for value in result.stdout.split("\0") if value] if result.returncode == 0 else []


def config_values(pattern: str, cwd: Path | None = None) -> dict[str, list[str]]:
    """Every git config key matching the regular expression `pattern` (lowercased) with its values, in one call."""
    result = run_git(["config", "-z", "--get-regexp", pattern], cwd)
    values: dict[str, list[str]] = {}
    for item in result.stdout.split("\0") if result.returncode == 0 else []:
        key, _, value = item.partition("\n")
        if key:
            values.setdefault(key.lower(), []).append(value)
    return values


def current_branch(cwd: Path | None = None) -> str | None:
    """The branch HEAD is on (`fix/42-empty-config`), unborn or not; None when HEAD is detached."""
    result = run_git(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd)
    return result.stdout.strip() or None if result.returncode == 0 else None


def names_in_repository(terms: Iterable[str], cwd: Path | None = None) -> frozenset[str]:
    """Which of `terms` the repository's tracked files contain: a path or file name among `git ls-files`, else
    any text in a tracked file (`git grep -F -q`, which stops at the first match)."""
    wanted = [term for term in dict.fromkeys(terms) if term]
    if not wanted:
        return frozenset()
    listed = run_git(["ls-files", "-z"], cwd)
    paths = [p for p in listed.stdout.split("\0") if p] if listed.returncode == 0 else []
    found = set()
    for term in wanted:
        listed_path = any(path == term or path.endswith("/" + term) for path in paths)
        if listed_path or run_git(["grep", "-F", "-q", "-e", term, "--"], cwd).returncode == 0:
            found.add(term)
    return frozenset(found)


def git_version() -> str | None:
    """`git --version` as git prints it, or None when git is not installed."""
    try:
        result = run_git(["--version"])
    except GitError:
        return None
    return result.stdout.strip() or None
