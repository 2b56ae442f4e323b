"""Per-user directories (XDG), each overridable by an environment variable."""

from __future__ import annotations

import os
import time
from pathlib import Path


def user_cache_dir() -> Path:
    """Where converted model weights live: $GITVOICE_CACHE_DIR, else $XDG_CACHE_HOME/gitvoice."""
    override = os.environ.get("GITVOICE_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gitvoice"


def user_state_dir() -> Path:
    """Where crash logs and out-of-repository recordings live: $GITVOICE_STATE_DIR, else XDG state."""
    override = os.environ.get("GITVOICE_STATE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "gitvoice"


def unused_path(folder: Path, prefix: str, suffix: str) -> Path:
    """A file name in `folder` that nothing uses yet, like `PREFIX20261123-114501-3SUFFIX`: the time keeps the
    names in order, the counter keeps two in the same second apart. `folder` is created if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        candidate = folder / f"{prefix}{stamp}-{n}{suffix}"
        if not candidate.exists():
            return candidate
    raise RuntimeError(f"no free file name in {folder}")
