"""Commits, ranges and patch files as data for readback: subject, author, explanation and what each file went through.

One parser reads git's diff text whether it comes from `git diff` of a commit or from a patch file on disk, so both
paths give the same facts (status, renames, binaries, line counts, hunks with their function context).
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gitvoice.core.errors import GitError, GitVoiceError
from gitvoice.git.notes import read_transcript_note
from gitvoice.git.run import run_git


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


@dataclass(frozen=True)
class CommitRecord:
    source: str  # what the listener is told this is: "commit 1a2b3c4" or "patch 0001-fix.patch"
    subject: str | None  # None for a bare diff without a message
    author: str | None
    body: str  # the message after the subject, trailers included
    note: str | None  # the voice-note transcript attached to the commit, if any
    files: tuple[FileDiff, ...]


# ---------------------------------------------------------------------------------------------------------------
# Parsing git's diff text (pure)

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


# ---------------------------------------------------------------------------------------------------------------
# Patch files (format-patch output, mailboxes of several patches, or a bare diff)

# git's marker line that starts each message of a format-patch mailbox (SHA-1 or SHA-256 ids, a fixed date).
_MBOX_FROM = re.compile(r"^From (?:[0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001$", re.MULTILINE)
_PATCH_PREFIX = re.compile(r"^\s*\[[^\]]*PATCH[^\]]*\]\s*", re.IGNORECASE)


def read_patch_file(path: Path) -> list[CommitRecord]:
    """The commits in a patch file (`git format-patch` output, a mailbox of several, or a plain diff)."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise GitVoiceError(f"{path}: is a directory, not a patch file",
                            hint=f"name the patches inside it, e.g. {path}/*.patch") from exc
    except OSError as exc:
        raise GitVoiceError(f"{path}: cannot read the patch file ({exc.strerror})",
                            hint="check the path and its permissions") from exc
    text = data.decode("utf-8", "replace")
    starts = [match.start() for match in _MBOX_FROM.finditer(text)]
    if starts:
        chunks = [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
        records = [_record_from_mail(chunk, path, number, len(chunks)) for number, chunk in enumerate(chunks, 1)]
    elif re.search(r"^(diff --git |--- .*\n\+\+\+ )", text, re.MULTILINE):
        records = [CommitRecord(f"patch {path.name}", None, None, "", None, tuple(parse_diff(text)))]
    else:
        records = []
    if not records or not any(record.files or record.subject for record in records):
        raise GitVoiceError(f"{path}: not a patch (no commit message or diff in it)",
                            hint="give a file written by `git format-patch` or `git diff`")
    return records


def _record_from_mail(text: str, path: Path, number: int, total: int) -> CommitRecord:
    headers_end = text.find("\n\n")
    header_text = text[:headers_end] if headers_end >= 0 else text
    message = email.parser.Parser(policy=email.policy.default).parsestr(header_text.split("\n", 1)[-1] + "\n\n")
    subject = _PATCH_PREFIX.sub("", " ".join(str(message.get("Subject", "")).split()))
    author_header = message.get("From")
    author = None
    if author_header is not None:
        addresses = getattr(author_header, "addresses", ())
        author = (addresses[0].display_name or addresses[0].addr_spec) if addresses else str(author_header)
    content = text[headers_end + 2:] if headers_end >= 0 else ""
    body, _, rest = content.partition("\n---\n")
    if not rest and content.startswith("---\n"):
        body, rest = "", content[4:]
    diff_start = rest.find("diff --git ")
    note = _notes_from_patch(rest[: diff_start if diff_start >= 0 else len(rest)])
    source = f"patch {path.name}" if total == 1 else f"patch {number} of {total} in {path.name}"
    files = tuple(parse_diff(rest[diff_start:])) if diff_start >= 0 else ()
    return CommitRecord(source, subject or None, author, body.strip(), note, files)


def _notes_from_patch(text: str) -> str | None:
    """The indented text under `Notes:` or `Notes (voice):` that `git format-patch --notes` puts after `---`
    (`git voice format-patch` labels it `Notes (voice, spoken note):`)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^Notes(?: \([^)]*\))?:$", line):
            note_lines: list[str] = []
            for following in lines[index + 1:]:
                if following and not following.startswith("    "):
                    break
                note_lines.append(following[4:])
            note = "\n".join(note_lines).strip()
            return note or None
    return None


# ---------------------------------------------------------------------------------------------------------------
# Commits and ranges in a repository

def is_range(spec: str) -> bool:
    """`A..B`, `A...B`, `X^!`, `X^@`: more than one commit; anything else names one commit."""
    return ".." in spec or spec.endswith(("^!", "^@"))


def _repository(cwd: Path | None) -> object:
    import git

    try:
        return git.Repo(cwd or Path.cwd(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError("not a git repository (or any of the parent directories)",
                       hint="run this inside a repository, or give a patch file") from exc


def commit_ids(spec: str, cwd: Path | None = None) -> list[str]:
    """The full ids of the commits `spec` names, oldest first; GitError for an unknown or empty one."""
    import git

    repo = _repository(cwd)
    assert isinstance(repo, git.Repo)
    try:
        if is_range(spec):
            ids = [commit.hexsha for commit in repo.iter_commits(spec, reverse=True)]
        else:
            ids = [repo.commit(spec).hexsha]
    except (git.BadName, git.BadObject, git.GitCommandError, ValueError) as exc:
        raise GitError(f"unknown revision or range: {spec}",
                       hint="give a commit (HEAD, a1b2c3d, v1.0), a range (main..topic) or a patch file") from exc
    if not ids:
        raise GitError(f"empty range: {spec} has no commits",
                       hint="the range A..B means commits in B but not in A; check the order of its ends")
    return ids


def read_commit(commit_id: str, cwd: Path | None = None) -> CommitRecord:
    """Subject, author, message body, voice note and per-file changes of one commit (against its first parent)."""
    import git

    repo = _repository(cwd)
    assert isinstance(repo, git.Repo)
    commit = repo.commit(commit_id)
    root = Path(str(repo.working_dir))
    message = str(commit.message)
    subject, _, body = message.strip("\n").partition("\n")
    files = parse_diff(_commit_diff_text(commit.hexsha, [p.hexsha for p in commit.parents], root))
    marked = generated_paths([f.path for f in files], root)
    files = [replace(f, generated=True) if f.path in marked else f for f in files]
    return CommitRecord(
        source=f"commit {commit.hexsha[:7]}",
        subject=subject.strip(),
        author=str(commit.author.name),
        body=body.strip(),
        note=read_transcript_note(commit.hexsha, root),
        files=tuple(files),
    )


_DIFF_OPTIONS = ["--no-ext-diff", "--no-textconv", "--no-color", "-M", "--src-prefix=a/", "--dst-prefix=b/",
                 "--patch", "--full-index"]


def _commit_diff_text(commit_id: str, parent_ids: Sequence[str], cwd: str | Path) -> str:
    # core.quotePath=false keeps non-ASCII names readable; the user's diff.noprefix and colour settings are overridden
    # by the explicit options. A merge is read against its first parent: what the merge brought in.
    if parent_ids:
        args = ["-c", "core.quotePath=false", "diff", *_DIFF_OPTIONS, parent_ids[0], commit_id, "--"]
    else:
        args = ["-c", "core.quotePath=false", "diff-tree", "--root", "-r", *_DIFF_OPTIONS, commit_id, "--"]
    # input_bytes makes run_git decode with errors="replace": a diff may hold bytes that are not UTF-8.
    result = run_git(args, cwd, input_bytes=b"")
    if result.returncode != 0:
        raise GitError(f"git diff of {commit_id[:7]} failed: {result.stderr.strip()}")
    return result.stdout


def generated_paths(paths: Sequence[str], cwd: str | Path) -> set[str]:
    """The paths .gitattributes marks `linguist-generated` (GitHub's convention for generated files)."""
    if not paths:
        return set()
    result = run_git(["check-attr", "-z", "linguist-generated", "--", *paths], cwd, input_bytes=b"")
    if result.returncode != 0:
        return set()
    fields = result.stdout.split("\0")
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] in ("set", "true")}


def read_commits(spec: str, cwd: Path | None = None) -> Iterator[CommitRecord]:
    for commit_id in commit_ids(spec, cwd):
        yield read_commit(commit_id, cwd)
