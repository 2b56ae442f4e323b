"""Where recordings are kept until the user is done with them.

Inside a repository: `<git common dir>/gitvoice/recordings/` (shared by worktrees, never committed,
survives `git clean`). Outside one: `$GITVOICE_STATE_DIR` (XDG state) `/recordings/`.
"""

from __future__ import annotations

from pathlib import Path

from gitvoice.core.paths import unused_path, user_state_dir
from gitvoice.git.repo import git_common_dir, repo_root


def gitvoice_dir(cwd: Path | None = None) -> Path:
    """gitvoice's own folder for this repository (or the user state folder outside repositories)."""
    if repo_root(cwd) is None:
        return user_state_dir()
    return git_common_dir(cwd) / "gitvoice"


def recordings_dir(cwd: Path | None = None) -> Path:
    path = gitvoice_dir(cwd) / "recordings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_recording_path(cwd: Path | None = None, suffix: str = ".wav") -> Path:
    """A fresh, unused file name like `20261123-114501-3.wav` in the recordings folder."""
    return unused_path(recordings_dir(cwd), "", suffix)
