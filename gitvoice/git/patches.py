"""`git format-patch` for gitvoice: run it with the user's arguments, find the cover letter and the patches, and mark
the voice notes git puts below each patch's `---` line as spoken.

Per-patch notes use git's own mechanism (`--notes=refs/notes/voice`): git places them after the `---` line and
before the diffstat, where `git am` (git mailinfo) never reads them, in files and in `--stdout` streams alike, and
knows which commit each patch came from. We only relabel git's `Notes (voice):` header and rewrap long lines.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

from gitvoice.composition.changes import DiffContext
from gitvoice.core.atomic import write_text_atomically
from gitvoice.core.errors import GitError
from gitvoice.git.diff import DIFF_FLAGS, empty_tree, parse_name_status
from gitvoice.git.notes import VOICE_NOTES_REF
from gitvoice.git.run import git_output, run_git

SUBJECT_PLACEHOLDER = "*** SUBJECT HERE ***"
BLURB_PLACEHOLDER = "*** BLURB HERE ***"

# git labels a notes ref by its short name ("refs/notes/voice" -> "voice"); we say where the text came from.
GIT_NOTES_HEADER = "Notes (voice):"
SPOKEN_NOTES_HEADER = "Notes (voice, spoken note):"
NOTE_INDENT = "    "  # git indents every line of a note by four spaces
NOTE_WIDTH = 72  # columns, indent included

# Each message of a format-patch mbox starts with this line; the fixed date is git's magic marker (SHA-1 or
# SHA-256 ids), so a "From " line inside a commit message cannot be taken for one.
MESSAGE_START = re.compile(r"^From ([0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001$", re.MULTILINE)
# "[PATCH 0/3]", "[RFC PATCH v2 00/12]": the cover letter is number zero of the series.
COVER_NUMBER = re.compile(r"\[[^\]]*\b0+/\d+\]")
ZERO_ID = re.compile(r"^0+$")


@dataclass(frozen=True)
class PatchMessage:
    text: str  # the whole message, headers and all, exactly as written
    path: Path | None  # the file it was written to; None with --stdout

    @property
    def commit(self) -> str | None:
        """The commit the message came from (for the cover letter: the series' tip); None with --zero-commit."""
        match = MESSAGE_START.match(self.text)
        if match is None or ZERO_ID.match(match.group(1)):
            return None
        return match.group(1)

    @property
    def subject(self) -> str:
        """The Subject header, decoded and unfolded, without the "[PATCH n/m]" prefix."""
        header = message_from_string(self.text).get("Subject", "")
        decoded = " ".join(str(make_header(decode_header(str(header)))).split())
        return re.sub(r"^\[[^\]]*\]\s*", "", decoded)

    @property
    def is_cover_letter(self) -> bool:
        if self.path is not None and self.path.name.endswith("cover-letter.patch"):
            return True
        if SUBJECT_PLACEHOLDER in self.text and BLURB_PLACEHOLDER in self.text:
            return True
        header = message_from_string(self.text).get("Subject", "")
        return COVER_NUMBER.search(" ".join(str(header).split())) is not None


@dataclass(frozen=True)
class PatchSeries:
    messages: tuple[PatchMessage, ...]
    to_stdout: bool  # --stdout: `stream()` is what to print; otherwise each message has its file
    quiet: bool  # the user asked git for no list of files (-q)

    @property
    def cover_letter(self) -> PatchMessage | None:
        return next((m for m in self.messages if m.is_cover_letter), None)

    @property
    def patches(self) -> tuple[PatchMessage, ...]:
        return tuple(m for m in self.messages if not m.is_cover_letter)

    def stream(self) -> str:
        """All messages as one mbox stream, as `git format-patch --stdout` prints it."""
        return "".join(m.text for m in self.messages)

    def with_message(self, old: PatchMessage, text: str) -> PatchSeries:
        messages = tuple(replace(m, text=text) if m is old else m for m in self.messages)
        return replace(self, messages=messages)


@dataclass(frozen=True)
class FormatPatchArgs:
    """What gitvoice needs to know of the user's `git format-patch` arguments (the rest goes to git unread)."""

    args: tuple[str, ...]  # as given, minus -q/--quiet (we need git's list of files)
    to_stdout: bool
    quiet: bool
    reroll_count: str | None  # -v N / --reroll-count=N
    cover_letter: bool | None  # the user's own --cover-letter / --no-cover-letter, if any


def parse_format_patch_args(args: Sequence[str]) -> FormatPatchArgs:
    """Read the few options that change what gitvoice does; everything after `--` is a path and left alone."""
    options, paths = _split_paths(list(args))
    kept: list[str] = []
    to_stdout = quiet = False
    reroll: str | None = None
    cover: bool | None = None
    index = 0
    while index < len(options):
        arg = options[index]
        if arg in ("-q", "--quiet"):
            quiet = True
            index += 1
            continue
        if arg == "--stdout":
            to_stdout = True
        elif arg == "--cover-letter":
            cover = True
        elif arg == "--no-cover-letter":
            cover = False
        elif arg in ("-v", "--reroll-count") and index + 1 < len(options):
            reroll = options[index + 1]
            kept.extend(options[index:index + 2])
            index += 2
            continue
        elif arg.startswith("--reroll-count="):
            reroll = arg.split("=", 1)[1]
        elif arg.startswith("-v") and len(arg) > 2 and not arg.startswith("--"):
            reroll = arg[2:]
        kept.append(arg)
        index += 1
    return FormatPatchArgs(tuple(kept + paths), to_stdout, quiet, reroll, cover)


def _split_paths(args: list[str]) -> tuple[list[str], list[str]]:
    if "--" in args:
        at = args.index("--")
        return args[:at], args[at:]
    return args, []


def voice_notes_exist(cwd: Path | None = None) -> bool:
    """Whether refs/notes/voice exists (git warns about `--notes` for a missing ref)."""
    return run_git(["rev-parse", "--verify", "--quiet", VOICE_NOTES_REF], cwd).returncode == 0


def run_format_patch(parsed: FormatPatchArgs, *, cover_letter: bool | None, include_notes: bool,
                     cwd: Path | None = None) -> tuple[PatchSeries, str]:
    """Run `git format-patch` and read back what it wrote (or printed); the series and git's stderr.

    `cover_letter`: True adds --cover-letter, False --no-cover-letter, None leaves it to git (format.coverLetter).
    """
    ours = [f"--notes={VOICE_NOTES_REF}"] if include_notes else []
    # Ours go first: a later --no-notes or --cover-letter from the user wins, as git reads options in order.
    if cover_letter is not None:
        ours.append("--cover-letter" if cover_letter else "--no-cover-letter")
    result = run_git(["format-patch", *ours, *parsed.args], cwd)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise GitError(f"git format-patch failed: {lines[-1] if lines else f'exit {result.returncode}'}",
                       hint="the arguments after `--` go to git format-patch unchanged; see `git format-patch -h`")
    if parsed.to_stdout:
        messages = tuple(PatchMessage(text, None) for text in split_mbox(result.stdout))
    else:
        base = cwd or Path.cwd()
        paths = [base / line for line in result.stdout.splitlines() if line.strip()]
        # surrogateescape: a patch of a Latin-1 file reads, and is written back, byte for byte
        messages = tuple(PatchMessage(path.read_bytes().decode("utf-8", "surrogateescape"), path) for path in paths)
    return PatchSeries(messages, parsed.to_stdout, parsed.quiet), result.stderr


def split_mbox(stream: str) -> list[str]:
    """The messages of a format-patch mbox stream, each exactly as printed (joined they give `stream` back)."""
    starts = [match.start() for match in MESSAGE_START.finditer(stream)]
    if not starts:
        return [stream] if stream.strip() else []
    if starts[0] != 0:  # nothing precedes the first message in git's output; keep it anyway
        starts[0] = 0
    return [stream[start:end] for start, end in zip(starts, [*starts[1:], len(stream)], strict=True)]


def mark_spoken_notes(text: str) -> str:
    """`text` (one patch) with git's `Notes (voice):` header relabelled and long note lines rewrapped.

    Only the notes git placed after the `---` separator are touched, never the commit message above it.
    """
    lines = text.split("\n")
    try:
        separator = lines.index("---")
    except ValueError:
        return text
    for index in range(separator + 1, len(lines)):
        if lines[index].startswith("diff --git "):
            break
        if lines[index] == GIT_NOTES_HEADER:
            end = index + 1
            while end < len(lines) and lines[end].startswith(NOTE_INDENT):
                end += 1
            note = _rewrap_note(lines[index + 1:end])
            return "\n".join([*lines[:index], SPOKEN_NOTES_HEADER, *note, *lines[end:]])
    return text


def _rewrap_note(lines: list[str]) -> list[str]:
    """Rewrap paragraphs (separated by blank note lines) that have a line wider than NOTE_WIDTH columns."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        else:
            paragraphs.append([])
    result: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            result.append(NOTE_INDENT)
        if any(len(line) > NOTE_WIDTH for line in paragraph):
            words = " ".join(line.strip() for line in paragraph)
            result.extend(textwrap.wrap(words, NOTE_WIDTH, initial_indent=NOTE_INDENT, subsequent_indent=NOTE_INDENT,
                                        break_long_words=False, break_on_hyphens=False))
        else:
            result.extend(paragraph)
    return result


def series_context(series: PatchSeries, cwd: Path | None = None) -> DiffContext | None:
    """The whole series' change (`git diff <first>^ <last>`) as vocabulary; None when the commits are unknown."""
    commits = [m.commit for m in series.patches]
    if not commits or any(commit is None for commit in commits):
        return None
    return range_context(str(commits[0]), str(commits[-1]), cwd)


def commit_change_context(commit: str, cwd: Path | None = None) -> DiffContext:
    """What one commit changed (against its first parent, or the empty tree for a root commit)."""
    return range_context(commit, commit, cwd)


def range_context(first: str, last: str, cwd: Path | None = None) -> DiffContext:
    """The change from `first`'s parent (the empty tree for a root commit) to `last`."""
    has_parent = run_git(["rev-parse", "--verify", "--quiet", f"{first}^"], cwd).returncode == 0
    base = f"{first}^" if has_parent else empty_tree(cwd)
    names = git_output(["diff", *DIFF_FLAGS, "--name-status", "-z", base, last], cwd, strip=False)
    text = git_output(["diff", *DIFF_FLAGS, base, last], cwd, strip=False)
    return DiffContext(files=parse_name_status(names), diff_text=text)


def write_message(message: PatchMessage) -> None:
    """Replace the message's file through a temporary file and a rename, so it is never half written."""
    if message.path is None:
        raise ValueError("a --stdout message has no file")
    # Keep git's permissions on the file it wrote.
    mode = message.path.stat().st_mode & 0o7777 if message.path.exists() else None
    write_text_atomically(message.path, message.text, mode)
