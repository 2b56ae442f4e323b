"""Files that are either whole or absent: written to a temporary name beside the target, synced, renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object], mode: int | None = None) -> None:
    """Create or replace `path` with what `write` writes to the binary handle it gets; a crash or an error
    leaves the old file (or none), never half a new one. `mode`: the file's permissions (mkstemp makes 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """`text` as UTF-8, exactly (no newline translation), through write_atomically. Bytes that were not UTF-8
    when read (decoded with surrogateescape, as git's output is) are written back as they were."""
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8", "surrogateescape")), mode)
