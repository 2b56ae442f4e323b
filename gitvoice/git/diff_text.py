"""git's diff text parsed into files and hunks (pure): the same facts whether the text comes from `git diff` of a
commit or from a patch file on disk (status, renames, binaries, line counts, hunks with their function context)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HunkLine:
    kind: str  # "+" added, "-" removed, " " context
    text: str  # the line without its marker


@dataclass(frozen=True)
class Hunk:
    old_start: int  # first line number in the old file
    new_start: int  # first line number in the new file
    context: str  # what git prints after the second @@: the enclosing function or class, if any
    lines: tuple[HunkLine, ...]


@dataclass(frozen=True)
class FileDiff:
    path: str  # the path after the change (the old path for a deletion)
    status: str  # "A" added, "M" modified, "D" deleted, "R" renamed, "C" copied
    old_path: str | None = None  # the source of a rename or copy
    binary: bool = False
    added: int = 0  # lines added
    removed: int = 0  # lines removed
    hunks: tuple[Hunk, ...] = ()
    old_mode: str | None = None
    new_mode: str | None = None
    generated: bool = False  # marked linguist-generated in .gitattributes



_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}


def unquote_path(text: str) -> str:
    """Undo git's C-style quoting of unusual paths (`"caf\\303\\251.txt"` -> `café.txt`)."""
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    raw = bytearray()
    body, index = text[1:-1], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if following in "01234567" and index + 3 < len(body) + 1:
                raw.append(int(body[index + 1: index + 4], 8))
                index += 4
                continue
            raw.extend(_ESCAPES.get(following, following).encode())
            index += 2
            continue
        raw.extend(char.encode())
        index += 1
    return raw.decode("utf-8", "replace")


def _strip_prefix(path: str) -> str | None:
    path = unquote_path(path.split("\t")[0])
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def _paths_from_diff_git(line: str) -> tuple[str, str]:
    """Both paths of `diff --git a/X b/Y`; an unquoted line with equal paths is split in the middle."""
    rest = line[len("diff --git "):]
    if rest.startswith('"'):
        end = rest.index('"', 1) + 1
        while rest[end - 2] == "\\":
            end = rest.index('"', end) + 1
        return _strip_prefix(rest[:end]) or "", _strip_prefix(rest[end + 1:]) or ""
    half = (len(rest) - 1) // 2
    if rest[half] == " " and rest[2:half] == rest[half + 3:]:
        return rest[2:half], rest[half + 3:]
    old, _, new = rest.partition(" b/")
    return _strip_prefix(old) or "", new


@dataclass
class _FileBuilder:
    old_path: str | None = None
    new_path: str | None = None
    status: str = "M"
    binary: bool = False
    old_mode: str | None = None
    new_mode: str | None = None

    def finish(self, hunks: list[Hunk]) -> FileDiff:
        added = sum(1 for hunk in hunks for line in hunk.lines if line.kind == "+")
        removed = sum(1 for hunk in hunks for line in hunk.lines if line.kind == "-")
        path = self.new_path if self.status != "D" else self.old_path
        moved = self.status in ("R", "C")
        return FileDiff(path=path or self.old_path or "", status=self.status,
                        old_path=self.old_path if moved else None, binary=self.binary, added=added,
                        removed=removed, hunks=tuple(hunks), old_mode=self.old_mode, new_mode=self.new_mode)


def parse_diff(text: str) -> list[FileDiff]:
    """Every file in git's (or a plain unified) diff text, in order."""
    files: list[FileDiff] = []
    lines = text.splitlines()
    current: _FileBuilder | None = None
    hunks: list[Hunk] = []
    index = 0

    def flush() -> None:
        if current is not None:
            files.append(current.finish(hunks))

    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("diff --git "):
            flush()
            old, new = _paths_from_diff_git(line)
            current, hunks = _FileBuilder(old_path=old, new_path=new), []
        elif line.startswith("--- ") and index < len(lines) and lines[index].startswith("+++ "):
            if current is None or hunks:  # a plain `diff -u` file starts here
                flush()
                current, hunks = _FileBuilder(), []
            current.old_path = _strip_prefix(line[4:]) or current.old_path
            new_path = _strip_prefix(lines[index][4:])
            current.new_path = new_path or current.new_path
            if line[4:].split("\t")[0] == "/dev/null":
                current.status = "A"
            if new_path is None:
                current.status = "D"
            index += 1
        elif current is None:
            continue
        elif line.startswith("@@ "):
            hunk, index = _read_hunk(line, lines, index)
            if hunk is not None:
                hunks.append(hunk)
        elif line.startswith("new file mode "):
            current.status, current.new_mode = "A", line.split()[-1]
        elif line.startswith("deleted file mode "):
            current.status, current.old_mode = "D", line.split()[-1]
        elif line.startswith("old mode "):
            current.old_mode = line.split()[-1]
        elif line.startswith("new mode "):
            current.new_mode = line.split()[-1]
        elif line.startswith(("rename from ", "copy from ")):
            current.status = "R" if line.startswith("rename") else "C"
            current.old_path = unquote_path(line.split(" ", 2)[2])
        elif line.startswith(("rename to ", "copy to ")):
            current.new_path = unquote_path(line.split(" ", 2)[2])
        elif line.startswith("Binary files ") or line == "GIT binary patch":
            current.binary = True
            if line.endswith("/dev/null differ"):
                current.status = "D"
            elif line.startswith("Binary files /dev/null "):
                current.status = "A"
    flush()
    return files


def _read_hunk(header: str, lines: Sequence[str], index: int) -> tuple[Hunk | None, int]:
    """The hunk whose header is `header`; it ends when its line counts are used up (a format-patch signature
    `-- ` right after the last hunk would otherwise read as a removed line)."""
    match = _HUNK_HEADER.match(header)
    if match is None:
        return None, index
    old_left = int(match.group(2) or 1)
    new_left = int(match.group(4) or 1)
    body: list[HunkLine] = []
    while index < len(lines) and (old_left > 0 or new_left > 0):
        line = lines[index]
        marker, text = line[:1], line[1:]
        if marker == "\\":  # "\ No newline at end of file"
            index += 1
            continue
        if marker == "+":
            new_left -= 1
        elif marker == "-":
            old_left -= 1
        elif marker in (" ", ""):
            old_left, new_left, marker = old_left - 1, new_left - 1, " "
        else:
            break
        body.append(HunkLine(marker, text))
        index += 1
    while index < len(lines) and lines[index].startswith("\\"):
        index += 1
    return Hunk(int(match.group(1)), int(match.group(3)), match.group(5).strip(), tuple(body)), index
