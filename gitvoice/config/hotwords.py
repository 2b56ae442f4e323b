"""Words the user wants spelled their way: `--hotword` flags and `.gitvoice/hotwords.txt`."""

from __future__ import annotations

import logging
from pathlib import Path

from gitvoice.config.repo_files import RepositoryFileError, read_repository_file

HOTWORDS_FILE = Path(".gitvoice") / "hotwords.txt"
MAX_HOTWORDS_BYTES = 64 * 1024  # thousands of words; Whisper's prompt holds a few dozen anyway
log = logging.getLogger("gitvoice")


def read_hotwords_file(repo_root: Path | None) -> list[str]:
    """Lines of `.gitvoice/hotwords.txt` at the repository root; `#` starts a comment. A file gitvoice will not
    read (outside the work tree, not a regular file, too large) and lines that are not UTF-8 are skipped with a
    warning: a bad hotwords file must never stop a commit."""
    if repo_root is None:
        return []
    try:
        data = read_repository_file(repo_root, HOTWORDS_FILE, MAX_HOTWORDS_BYTES)
    except RepositoryFileError as error:
        log.warning(f"warning: {error.message}; no hotwords used")
        return []
    if data is None:
        return []
    words = []
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            log.warning(f"warning: {HOTWORDS_FILE.as_posix()}:{number} is not UTF-8; that line is skipped")
            continue
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words
