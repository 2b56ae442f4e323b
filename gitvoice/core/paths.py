"""Per-user directories (XDG), each overridable by an environment variable."""

from __future__ import annotations

import os
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
