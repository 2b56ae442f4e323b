"""Words the user wants spelled their way: `--hotword` flags and `.gitvoice/hotwords.txt`."""

from __future__ import annotations

from pathlib import Path

HOTWORDS_FILE = Path(".gitvoice") / "hotwords.txt"


def read_hotwords_file(repo_root: Path | None) -> list[str]:
    """Lines of `.gitvoice/hotwords.txt` at the repository root; `#` starts a comment."""
    if repo_root is None:
        return []
    path = repo_root / HOTWORDS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return []
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words
