"""Install, remove and inspect gitvoice's Git hooks without clobbering anyone else's.

A hook that is not ours is moved aside to `<hook>.pre-gitvoice` and our script runs it first, with the same
arguments, so its exit status still decides; uninstall moves it back. (Not `<hook>.legacy`: that is the name
pre-commit uses for the same purpose, and a pre-commit hook moved to `.legacy` would then call itself.)
Our scripts carry HOOK_ID, so any version of them is recognised and replaced.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from gitvoice.core.atomic import write_text_atomically
from gitvoice.core.errors import GitError
from gitvoice.git.repo import config_get, git_common_dir
from gitvoice.git.run import git_output

# post-commit attaches the voice note to a commit whose message prepare-commit-msg drafted from speech.
HOOK_NAMES = ("prepare-commit-msg", "commit-msg", "post-commit")
HOOK_ID = "gitvoice-hook-id: 6d2b9c4e-5a1f-4c87-9e3d-0b7f1a2c8e55"  # never change: it is how we know our hooks
HOOK_VERSION = 3  # bump when the script changes; `hooks status` calls older ones outdated
CHAINED_SUFFIX = ".pre-gitvoice"
BACKUP_SUFFIX = ".gitvoice-backup"
MODULE_MISSING_EXIT = 75  # the bootstrap's "this interpreter no longer has gitvoice" (EX_TEMPFAIL)

# What each hook does when neither the recorded interpreter nor `git-voice` on PATH exists:
# prepare-commit-msg only adds convenience, so the commit goes on; commit-msg enforces the team's convention,
# so it fails closed (like pre-commit) and says how to get out.
MISSING_EXIT = {"prepare-commit-msg": 0, "commit-msg": 1, "post-commit": 0}

_BOOTSTRAP = f"""import sys
try:
    from gitvoice.hooks.entry import main
except ModuleNotFoundError as error:
    if error.name in ("gitvoice", "gitvoice.hooks", "gitvoice.hooks.entry"):
        sys.exit({MODULE_MISSING_EXIT})
    raise
sys.exit(main(sys.argv[1:]))"""

_TEMPLATE = """#!/bin/sh
# gitvoice {hook} hook: written by `git voice hooks install`; `git voice hooks uninstall` removes it
# and puts back the hook it replaced (kept beside it as {hook}{chained}).
# {hook_id}
# gitvoice-hook-version: {version}
# The Python that ran `git voice hooks install`; empty means: use `git-voice` from PATH.
GITVOICE_PYTHON={python}
hook={hook}
here=$(dirname -- "$0")

# The hook that was here before gitvoice runs first, with the same arguments; its failure stops the commit.
if [ -x "$here/$hook{chained}" ]; then
    "$here/$hook{chained}" "$@" || exit $?
fi

if [ -n "$GITVOICE_PYTHON" ] && [ -x "$GITVOICE_PYTHON" ]; then
    "$GITVOICE_PYTHON" -c {bootstrap} "$hook" "$@"
    status=$?
    # {missing_code}: that interpreter no longer has gitvoice; try git-voice on PATH instead.
    [ "$status" -ne {missing_code} ] && exit "$status"
fi
if command -v git-voice >/dev/null 2>&1; then
    exec git-voice hooks run "$hook" "$@"
fi
echo "gitvoice: {missing_message}" >&2
exit {missing_exit}
"""

_MISSING_MESSAGES = {
    "prepare-commit-msg": "no gitvoice found (the Python that installed the hook is gone and git-voice is not on "
                          "PATH); committing without it. Reinstall gitvoice and run \\`git voice hooks install\\`.",
    "post-commit": "no gitvoice found (the Python that installed the hook is gone and git-voice is not on PATH); "
                   "a drafted voice note was not attached. Reinstall gitvoice and run \\`git voice hooks install\\`.",
    "commit-msg": "cannot check the commit message: no gitvoice found (the Python that installed the hook is gone "
                  "and git-voice is not on PATH). Reinstall gitvoice and run \\`git voice hooks install\\`, "
                  "commit with --no-verify to skip the check once, or delete $0.",
}


def render_hook_script(hook: str, python: str | None) -> str:
    """The hook script for `hook`, calling gitvoice through `python` (or `git-voice` on PATH when None)."""
    return _TEMPLATE.format(
        hook=hook, hook_id=HOOK_ID, version=HOOK_VERSION, chained=CHAINED_SUFFIX,
        python=shlex.quote(python or ""), bootstrap=shlex.quote(_BOOTSTRAP), missing_code=MODULE_MISSING_EXIT,
        missing_message=_MISSING_MESSAGES[hook], missing_exit=MISSING_EXIT[hook],
    )


@dataclass(frozen=True)
class HooksLocation:
    directory: Path  # where git runs hooks from for this repository
    default: Path  # <git common dir>/hooks: shared by every worktree
    hooks_path: str | None  # core.hooksPath as configured, None when unset

    @property
    def is_redirected(self) -> bool:
        """core.hooksPath sends git elsewhere than the repository's own hooks folder."""
        return self.hooks_path is not None and self.directory != self.default


def hooks_location(cwd: Path | None = None) -> HooksLocation:
    default = (git_common_dir(cwd) / "hooks").resolve()
    hooks_path = config_get("core.hooksPath", cwd) or None
    if hooks_path is None:
        return HooksLocation(default, default, None)
    # git resolves core.hooksPath (`~`, relative paths) itself in `--git-path hooks`.
    resolved = Path(git_output(["rev-parse", "--path-format=absolute", "--git-path", "hooks"], cwd))
    return HooksLocation(resolved.resolve(), default, hooks_path)


def is_our_hook(path: Path) -> bool:
    """A gitvoice hook script, of any version."""
    return HOOK_ID in (_read_text(path) or "")


def hook_version(path: Path) -> int | None:
    """The gitvoice-hook-version of our script at `path` (0 for ours without one), None if not ours."""
    text = _read_text(path)
    if text is None or HOOK_ID not in text:
        return None
    for line in text.splitlines():
        if line.startswith("# gitvoice-hook-version:"):
            value = line.split(":", 1)[1].strip()
            return int(value) if value.isdigit() else 0
    return 0


def recorded_python(path: Path) -> str | None:
    """The interpreter our hook at `path` calls, None when it relies on PATH or is not ours."""
    text = _read_text(path)
    if text is None or HOOK_ID not in text:
        return None
    for line in text.splitlines():
        if line.startswith("GITVOICE_PYTHON="):
            words = shlex.split(line.split("=", 1)[1])
            return words[0] if words and words[0] else None
    return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@dataclass(frozen=True)
class InstallAction:
    hook: str
    path: Path
    action: str  # "installed", "updated", "chained" (a foreign hook moved aside and kept running)
    chained: Path | None  # the foreign hook now run first, if any
    backup: Path | None  # with --force: a foreign hook that could not be chained, kept here


def _write_executable(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so git never runs half a hook."""
    write_text_atomically(path, text, mode=0o755)


def _free_backup_path(path: Path) -> Path:
    candidate = path.with_name(path.name + BACKUP_SUFFIX)
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}{BACKUP_SUFFIX}-{n}")
    return candidate


def check_installable(location: HooksLocation, force: bool) -> None:
    """Refuse (GitError with a hint) to write into a core.hooksPath folder unless forced."""
    if location.is_redirected and not force:
        raise GitError(
            f"core.hooksPath is set ({location.hooks_path}): git runs hooks from {location.directory}, "
            "so gitvoice will not install there on its own",
            hint="that folder usually belongs to another hook manager (husky, a team folder) or to all your "
                 "repositories (a global setting); run `git voice hooks install --force` to install into it "
                 "anyway, or call `git voice check --commit-msg-file \"$1\"` from your own commit-msg hook")


def install_hook(directory: Path, hook: str, python: str | None, force: bool = False) -> InstallAction:
    """Install our `hook` in `directory`, chaining whatever foreign hook is already there."""
    path = directory / hook
    chained = path.with_name(hook + CHAINED_SUFFIX)
    script = render_hook_script(hook, python)
    backup: Path | None = None
    if path.is_symlink() or path.exists():
        if is_our_hook(path):
            _write_executable(path, script)
            return InstallAction(hook, path, "updated", chained if chained.exists() else None, None)
        if chained.exists():
            if not force:
                raise GitError(
                    f"{path} is not gitvoice's, and {chained.name} (a hook gitvoice already chains) is in the way",
                    hint=f"merge the two by hand, or run `git voice hooks install --force` to keep {path.name} "
                         f"as a backup that no longer runs")
            backup = _free_backup_path(path)
            os.replace(path, backup)
        else:
            os.replace(path, chained)  # keeps its mode, so it stays executable (or not, as git saw it)
            _write_executable(path, script)
            return InstallAction(hook, path, "chained", chained, None)
    _write_executable(path, script)
    return InstallAction(hook, path, "installed", chained if chained.exists() else None, backup)


def install_hooks(cwd: Path | None = None, force: bool = False,
                  python: str | None = None) -> tuple[HooksLocation, list[InstallAction]]:
    """Install both hooks where git will run them; `python` defaults to the running interpreter."""
    location = hooks_location(cwd)
    check_installable(location, force)
    interpreter = python if python is not None else sys.executable or None
    return location, [install_hook(location.directory, hook, interpreter, force) for hook in HOOK_NAMES]


@dataclass(frozen=True)
class UninstallAction:
    hook: str
    path: Path
    action: str  # "removed", "restored" (the chained hook is back), "foreign" (not ours: left alone), "absent"


def uninstall_hook(directory: Path, hook: str) -> UninstallAction:
    path = directory / hook
    chained = path.with_name(hook + CHAINED_SUFFIX)
    present = path.is_symlink() or path.exists()
    if present and not is_our_hook(path):
        return UninstallAction(hook, path, "foreign")
    if present:
        path.unlink()
    if chained.exists() or chained.is_symlink():
        os.replace(chained, path)
        return UninstallAction(hook, path, "restored")
    return UninstallAction(hook, path, "removed" if present else "absent")


def uninstall_hooks(cwd: Path | None = None) -> tuple[HooksLocation, list[UninstallAction]]:
    location = hooks_location(cwd)
    return location, [uninstall_hook(location.directory, hook) for hook in HOOK_NAMES]


@dataclass(frozen=True)
class HookStatus:
    hook: str
    path: Path
    state: str  # "installed", "outdated" (ours, older version), "foreign", "absent"
    version: int | None
    python: str | None  # the recorded interpreter (ours only)
    python_exists: bool
    chained: Path | None  # the foreign hook ours runs first


def hook_status(directory: Path, hook: str) -> HookStatus:
    path = directory / hook
    chained = path.with_name(hook + CHAINED_SUFFIX)
    version = hook_version(path)
    python = recorded_python(path)
    if version is not None:
        state = "installed" if version >= HOOK_VERSION else "outdated"
    elif path.exists():
        state = "foreign"
    else:
        state = "absent"
    return HookStatus(hook, path, state, version, python, bool(python) and os.access(python or "", os.X_OK),
                      chained if chained.exists() and version is not None else None)


def hooks_status(cwd: Path | None = None) -> tuple[HooksLocation, list[HookStatus]]:
    location = hooks_location(cwd)
    return location, [hook_status(location.directory, hook) for hook in HOOK_NAMES]
