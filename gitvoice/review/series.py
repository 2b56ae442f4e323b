"""What a review shows: the commits of a range, or the patches of files and `format-patch` folders with the
cover letter, each with the id its review comments are kept under."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitvoice.core.errors import GitError, GitVoiceError
from gitvoice.git.commits import CommitRecord, commit_ids, read_commit
from gitvoice.git.diff_text import FileDiff
from gitvoice.git.patch_files import patches_in_folder, read_patch_file
from gitvoice.git.patches import MESSAGE_START, PatchMessage, split_mbox
from gitvoice.git.review_notes import patch_id

PATCH_SUFFIXES = (".patch", ".diff", ".mbox", ".eml")  # as `git voice readback` decides what is a patch file


@dataclass(frozen=True)
class Entry:
    """One commit or patch of the series."""

    key: str  # the object id its review comments are attached to: the commit, or the patch's commit or patch-id
    record: CommitRecord  # subject, author, message, voice note and files
    commit: str | None  # the commit id when it exists in this repository (its audio note can be read)
    patch_text: str | None  # the mail as written, for patches (what a reply quotes)
    patch_path: Path | None

    @property
    def files(self) -> tuple[FileDiff, ...]:
        return self.record.files


@dataclass(frozen=True)
class CoverLetter:
    subject: str
    body: str  # the letter's text above the shortlog


@dataclass(frozen=True)
class Series:
    title: str  # what was asked for: "main..topic", "outgoing/"
    entries: tuple[Entry, ...]
    cover_letter: CoverLetter | None = None


def load_series(targets: Sequence[str], cwd: Path | None = None) -> Series:
    """The entries of `targets` in the order given (default HEAD): a folder means its *.patch files (its cover
    letter shown above them), an existing file or a name ending in .patch/.diff/.mbox/.eml is a patch file,
    anything else a revision or range."""
    entries: list[Entry] = []
    cover: CoverLetter | None = None
    for target in targets or ("HEAD",):
        path = Path(target)
        if path.is_dir():
            for patch in patches_in_folder(path):
                messages = patch_messages(patch)
                letter = next((m for m in messages if m.is_cover_letter), None)
                if letter is not None and cover is None:
                    cover = cover_letter_of(letter)
                entries.extend(_patch_entries(patch, messages, cwd))
        elif path.exists() or path.suffix.lower() in PATCH_SUFFIXES:
            entries.extend(_patch_entries(path, patch_messages(path), cwd))
        else:
            entries.extend(_commit_entry(commit, cwd) for commit in commit_ids(target, cwd))
    if not entries:
        raise GitVoiceError("nothing to review: no commits or patches", hint="give a range, a patch file or folder")
    return Series(" ".join(targets) or "HEAD", tuple(entries), cover)


def _commit_entry(commit: str, cwd: Path | None) -> Entry:
    return Entry(commit, read_commit(commit, cwd), commit, None, None)


def patch_messages(path: Path) -> list[PatchMessage]:
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise GitVoiceError(f"{path}: cannot read the patch file ({exc.strerror})") from exc
    first = MESSAGE_START.search(text)
    chunks = split_mbox(text[first.start():]) if first else [text]
    return [PatchMessage(chunk, path) for chunk in chunks]


def _patch_entries(path: Path, messages: list[PatchMessage], cwd: Path | None) -> list[Entry]:
    """One entry per patch mail (`messages` are the file's mails, in order); a cover letter has no diff to review."""
    entries = []
    # read_patch_file splits the file into the same mails in the same order, and reads each as a commit.
    for message, record in zip(messages, read_patch_file(path), strict=False):
        if message.is_cover_letter:
            continue
        commit = message.commit
        key = patch_key(message, cwd)
        entries.append(Entry(key, record, commit if commit and _exists(commit, cwd) else None, message.text, path))
    return entries


def patch_key(message: PatchMessage, cwd: Path | None = None) -> str:
    """The id a patch's review comments are kept under: its commit (the `From <id>` line), else its patch-id."""
    key = message.commit or patch_id(message.text, cwd)
    if key is None:
        raise GitVoiceError(f"{message.path}: no commit id and no diff to name the patch by",
                            hint="give a file written by `git format-patch`")
    return key


def _exists(commit: str, cwd: Path | None) -> bool:
    try:
        return commit_ids(commit, cwd) == [commit]
    except GitError:
        return False


def cover_letter_of(message: PatchMessage) -> CoverLetter:
    """The subject and the letter's own text (above git's shortlog, which starts with "Name (N):")."""
    body = message.text.split("\n\n", 1)[1] if "\n\n" in message.text else ""
    lines = []
    for line in body.splitlines():
        if line.strip() == "--" or (line.endswith("):") and "(" in line and not line.startswith(" ")):
            break
        lines.append(line)
    return CoverLetter(message.subject, "\n".join(lines).strip())
