"""Patch files read back as commits: `git format-patch` output, a mailbox of several patches, or a bare diff."""

from __future__ import annotations

import email.parser
import email.policy
import re
from pathlib import Path

from gitvoice.core.errors import GitVoiceError
from gitvoice.git.commits import CommitRecord
from gitvoice.git.diff_text import parse_diff
from gitvoice.git.patches import BLURB_PLACEHOLDER, MESSAGE_START, split_mbox

_PATCH_PREFIX = re.compile(r"^\s*\[[^\]]*PATCH[^\]]*\]\s*", re.IGNORECASE)


def patches_in_folder(path: Path) -> list[Path]:
    """The `*.patch` files of a `git format-patch -o` folder in order, the cover letter (0000-...) first."""
    patches = sorted(path.glob("*.patch"))
    if not patches:
        raise GitVoiceError(f"{path}: a directory without .patch files",
                            hint="name patch files, or a folder written by `git format-patch -o`")
    return patches


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
    first = MESSAGE_START.search(text)
    if first is not None:
        chunks = split_mbox(text[first.start():])  # whatever precedes the first message is no patch
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
    raw_subject = " ".join(str(message.get("Subject", "")).split())
    subject = _PATCH_PREFIX.sub("", raw_subject)
    author_header = message.get("From")
    author = None
    if author_header is not None:
        addresses = getattr(author_header, "addresses", ())
        author = (addresses[0].display_name or addresses[0].addr_spec) if addresses else str(author_header)
    content = text[headers_end + 2:] if headers_end >= 0 else ""
    cover = _COVER_NUMBER.search(raw_subject)
    if cover is not None:
        return CommitRecord(f"cover letter {path.name}", subject or None, author, _cover_blurb(content), None, (),
                            patches_in_series=int(cover.group(1)))
    body, _, rest = content.partition("\n---\n")
    if not rest and content.startswith("---\n"):
        body, rest = "", content[4:]
    diff_start = rest.find("diff --git ")
    note = _notes_from_patch(rest[: diff_start if diff_start >= 0 else len(rest)])
    source = f"patch {path.name}" if total == 1 else f"patch {number} of {total} in {path.name}"
    files = tuple(parse_diff(rest[diff_start:])) if diff_start >= 0 else ()
    return CommitRecord(source, subject or None, author, body.strip(), note, files)


# "[PATCH 0/3]", "[RFC PATCH v2 00/12]": number zero of a series is its cover letter.
_COVER_NUMBER = re.compile(r"\[[^\]]*\b0+/(\d+)\]")
# The shortlog git puts under the blurb: "Ada Tester (2):" then the indented subjects, then the diffstat.
_SHORTLOG_HEADER = re.compile(r"^\S.* \(\d+\):$")


def _cover_blurb(content: str) -> str:
    """What the author wrote in a cover letter: the text above git's shortlog, diffstat and signature."""
    lines: list[str] = []
    for line in content.splitlines():
        if _SHORTLOG_HEADER.match(line) or line == "-- ":
            break
        lines.append(line)
    blurb = "\n".join(lines).strip()
    return "" if blurb == BLURB_PLACEHOLDER else blurb


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
