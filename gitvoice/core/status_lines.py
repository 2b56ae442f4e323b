"""The text of the lines a command redraws in place on a terminal while it works: how much of a line fits in the
terminal's width, and what transcription progress says. Pure; core/notices.py draws them."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def _char_columns(char: str) -> int:
    """Terminal columns one character takes: 2 for wide East Asian characters, 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def columns(text: str) -> int:
    """How many terminal columns `text` takes."""
    return sum(_char_columns(char) for char in text)


def one_line(text: str) -> str:
    """`text` with tabs, newlines and other control characters as spaces: a status line never moves the cursor."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def fit_end(text: str, width: int) -> str:
    """`text` if it fits in `width` columns, else its start and an ellipsis, within `width`."""
    if columns(text) <= width:
        return text
    if width < 1:
        return ""
    kept, used = [], 0
    for char in text:
        used += _char_columns(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS


def fit_start(text: str, width: int) -> str:
    """`text` if it fits in `width` columns, else an ellipsis and its end, within `width` (the newest words of a
    transcript that grows at its end)."""
    if columns(text) <= width:
        return text
    if width < 1:
        return ""
    kept, used = [], 0
    for char in reversed(text):
        used += _char_columns(char)
        if used > width - 1:
            break
        kept.append(char)
    return ELLIPSIS + "".join(reversed(kept)).lstrip()


def progress_line(done: int, total: int, elapsed_s: float, name: str | None = None) -> str:
    """What transcription progress says: the chunk being transcribed (the one after the `done` first), of `total`,
    and the seconds since it started, e.g. `transcribing: chunk 3/7, 12 s` (`transcribing take.wav: ...` with a
    name, where several files are transcribed)."""
    current = min(done + 1, total)
    what = f"transcribing {name}" if name else "transcribing"
    return f"{what}: chunk {current}/{total}, {int(max(elapsed_s, 0.0))} s"
