"""Where a comment points: the numbered lines of a file's diff, the hunk a line range falls in, and that hunk as
diff text (the words Whisper should spell as the code does). Pure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.git.diff_text import FileDiff, Hunk


@dataclass(frozen=True)
class NumberedLine:
    kind: str  # "+", "-" or " "
    old_line: int | None  # its number in the old file (None for an added line)
    new_line: int | None  # its number in the new file (None for a removed line)
    text: str

    def number(self, side: str) -> int | None:
        return self.old_line if side == "old" else self.new_line


def numbered_lines(hunk: Hunk) -> Iterator[NumberedLine]:
    old, new = hunk.old_start, hunk.new_start
    for line in hunk.lines:
        if line.kind == "+":
            yield NumberedLine("+", None, new, line.text)
            new += 1
        elif line.kind == "-":
            yield NumberedLine("-", old, None, line.text)
            old += 1
        else:
            yield NumberedLine(" ", old, new, line.text)
            old, new = old + 1, new + 1


def hunk_header(hunk: Hunk) -> str:
    old_count = sum(1 for line in hunk.lines if line.kind != "+")
    new_count = sum(1 for line in hunk.lines if line.kind != "-")
    context = f" {hunk.context}" if hunk.context else ""
    return f"@@ -{hunk.old_start},{old_count} +{hunk.new_start},{new_count} @@{context}"


def hunk_of(file: FileDiff, side: str, start_line: int, end_line: int) -> Hunk | None:
    """The hunk holding the line range (on `side`), or None when no hunk shows those lines."""
    for hunk in file.hunks:
        numbers = {n for line in numbered_lines(hunk) if (n := line.number(side)) is not None}
        if start_line in numbers and end_line in numbers:
            return hunk
    return None


def hunk_diff_text(file: FileDiff, hunks: tuple[Hunk, ...] | list[Hunk]) -> str:
    """`hunks` of `file` as unified diff text."""
    old = file.old_path or file.path
    lines = [f"diff --git a/{old} b/{file.path}", f"--- a/{old}", f"+++ b/{file.path}"]
    for hunk in hunks:
        lines.append(hunk_header(hunk))
        lines.extend(f"{line.kind}{line.text}" for line in hunk.lines)
    return "\n".join(lines) + "\n"


def comment_context(file: FileDiff, hunk: Hunk | None) -> DiffContext:
    """The change a comment is about, for its vocabulary: the hunk, or the whole file's diff without one."""
    hunks = [hunk] if hunk is not None else list(file.hunks)
    return DiffContext(files=(ChangedFile(file.path, file.status, file.old_path),),
                       diff_text=hunk_diff_text(file, hunks))


def file_line_span(file: FileDiff) -> tuple[str, int, int] | None:
    """(side, first, last): the lines the file's hunks change, on the new side when any are there (a deletion or
    a change that only removes lines has them on the old side)."""
    for side in ("new", "old"):
        numbers = [n for hunk in file.hunks for line in numbered_lines(hunk)
                   if line.kind != " " and (n := line.number(side)) is not None]
        if numbers:
            return side, min(numbers), max(numbers)
    return None
