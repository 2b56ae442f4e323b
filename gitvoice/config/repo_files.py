"""Files a repository provides (hotwords, templates, commit conventions): they come with code the user just cloned,
so they are read only when they are regular files inside the work tree, and only up to a size cap. A symlink to
a file outside (a key, another project's secret) or to /dev/zero, and a FIFO that would block, are refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gitvoice.core.errors import GitVoiceError

DEFAULT_MAX_BYTES = 256 * 1024  # far more than any hotwords list, template or linter configuration


class RepositoryFileError(GitVoiceError):
    """A repository-provided file gitvoice will not read."""


def read_repository_file(root: Path, relative: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | None:
    """The bytes of `root/relative`, or None when there is no such file; RepositoryFileError when it resolves
    outside the work tree, is not a regular file, or is larger than `max_bytes`."""
    path = root / relative
    if not os.path.lexists(path):
        return None
    name = Path(relative).as_posix()
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise RepositoryFileError(f"{name} points outside the repository ({resolved}); it is not read",
                                  hint=f"make {name} a regular file inside the repository, or remove it")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW on the resolved path is a last guard.
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise RepositoryFileError(f"{name}: cannot read it ({exc.strerror})") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise RepositoryFileError(f"{name} is not a regular file; it is not read",
                                  hint=f"make {name} a plain text file, or remove it")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RepositoryFileError(f"{name} is larger than {max_bytes // 1024} KiB; it is not read",
                                  hint=f"shorten {name}")
    return data
