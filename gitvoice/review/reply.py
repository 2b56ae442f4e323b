"""The mailing-list answer to a patch: the patch quoted with "> ", each review comment under the lines it is about,
as a mail `git send-email` sends as it is (or whose body pastes into any mail client).

Interleaved, bottom-posted replies are how patches are reviewed on mailing lists (the kernel's
Documentation/process/submitting-patches.rst, "Respond to review comments"): the reviewer's words sit right below
the quoted lines they answer.
"""

from __future__ import annotations

import email.parser
import email.policy
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from gitvoice.git.diff_text import unquote_path
from gitvoice.review.comments import Comment

WRAP_COLUMNS = 72
_HUNK = "@@ "


@dataclass(frozen=True)
class QuotedLine:
    text: str  # the line of the mail body, unquoted
    file: str | None  # the file it belongs to, for diff lines
    old_line: int | None
    new_line: int | None
    ends_message: bool = False  # the `---` line that closes the commit message


def body_lines(body: str) -> list[QuotedLine]:
    """The lines of a patch mail's body with the file and line numbers of each diff line."""
    lines: list[QuotedLine] = []
    file: str | None = None
    old_path: str | None = None
    old = new = 0
    old_left = new_left = 0
    in_message = True
    for text in body.split("\n"):
        numbers: tuple[int | None, int | None] = (None, None)
        ends_message = False
        if in_message and text == "---":
            in_message, ends_message = False, True
        elif text.startswith("diff --git "):
            in_message, file, old_path, old_left, new_left = False, None, None, 0, 0
        elif old_left == 0 and new_left == 0 and text.startswith("--- "):
            old_path = _path(text[4:])
        elif old_left == 0 and new_left == 0 and text.startswith("+++ "):
            file = _path(text[4:]) or old_path
        elif text.startswith(_HUNK) and file is not None:
            old, old_left, new, new_left = _hunk_start(text)
        elif old_left > 0 or new_left > 0:
            marker = text[:1]
            if marker == "+":
                numbers, new, new_left = (None, new), new + 1, new_left - 1
            elif marker == "-":
                numbers, old, old_left = (old, None), old + 1, old_left - 1
            elif marker in (" ", ""):
                numbers = (old, new)
                old, new, old_left, new_left = old + 1, new + 1, old_left - 1, new_left - 1
        lines.append(QuotedLine(text, file if numbers != (None, None) else None, *numbers, ends_message))
    return lines


def _path(text: str) -> str | None:
    path = unquote_path(text.split("\t")[0])
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def _hunk_start(header: str) -> tuple[int, int, int, int]:
    old_range, new_range = header.split(" ")[1:3]
    old_start, _, old_count = old_range[1:].partition(",")
    new_start, _, new_count = new_range[1:].partition(",")
    return int(old_start), int(old_count or 1), int(new_start), int(new_count or 1)


def _anchor(lines: Sequence[QuotedLine], comment: Comment) -> int | None:
    """The index of the quoted line a comment goes below: its last line, on its side of the diff."""
    if comment.file is None:
        return next((i for i, line in enumerate(lines) if line.ends_message), None)
    found = None
    for index, line in enumerate(lines):
        number = line.old_line if comment.side == "old" else line.new_line
        if line.file == comment.file and number == comment.end_line:
            found = index
    return found


def comment_block(comment: Comment, *, unplaced: bool = False) -> list[str]:
    text = comment.transcript.strip()
    if unplaced and comment.file:
        text = f"On {comment.file} line{'s' if '-' in comment.lines else ''} {comment.lines}: {text}"
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    wrapped = ["\n".join(textwrap.wrap(" ".join(p.split()), WRAP_COLUMNS, break_long_words=False,
                                       break_on_hyphens=False)) for p in paragraphs]
    return ["", *"\n\n".join(wrapped).split("\n"), ""]


def quote_with_comments(body: str, comments: Sequence[Comment]) -> str:
    """`body` quoted line by line, each comment below its line; comments whose lines are gone go at the end."""
    lines = body_lines(body.rstrip("\n"))
    below: dict[int, list[Comment]] = {}
    unplaced: list[Comment] = []
    for comment in comments:
        index = _anchor(lines, comment)
        if index is None:
            unplaced.append(comment)
        else:
            # The message's comments go above the `---`, that is below the line before it.
            below.setdefault(index - 1 if comment.file is None and index > 0 else index, []).append(comment)
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(f"> {line.text}".rstrip() if line.text else ">")
        for comment in below.get(index, []):
            out.extend(comment_block(comment))
    for comment in unplaced:
        out.extend(comment_block(comment, unplaced=True))
    # Blank lines between consecutive comments collapse to one.
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def reply_mail(patch_text: str, comments: Sequence[Comment], *, reviewer: str) -> str:
    """The whole reply: mbox `From ` line and headers (git send-email reads To, Cc, Subject, In-Reply-To from
    them), the attribution line, then the quoted patch with the comments."""
    headers_end = patch_text.find("\n\n")
    header_text = patch_text[:headers_end] if headers_end >= 0 else patch_text
    if header_text.startswith("From "):  # the mbox separator line is no header
        header_text = header_text.partition("\n")[2]
    headers = email.parser.Parser(policy=email.policy.default).parsestr(header_text + "\n\n", headersonly=True)
    body = patch_text[headers_end + 2:] if headers_end >= 0 else ""
    subject = " ".join(str(headers.get("Subject", "")).split())
    author = str(headers.get("From", "")).strip()
    message_id = str(headers.get("Message-ID", "")).strip()
    references = " ".join(str(headers.get("References", "")).split())
    out = ["From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"]
    if reviewer:
        out.append(f"From: {reviewer}")
    if author:
        out.append(f"To: {author}")
    if headers.get("Cc"):
        out.append(f"Cc: {' '.join(str(headers['Cc']).split())}")
    out.append(f"Subject: {subject if subject.lower().startswith('re:') else 'Re: ' + subject}")
    if message_id:
        out.append(f"In-Reply-To: {message_id}")
        out.append(f"References: {(references + ' ' + message_id).strip()}")
    out += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit", ""]
    date = str(headers.get("Date", "")).strip()
    who = author or "you"
    out.append(f"On {date}, {who} wrote:" if date else f"{who} wrote:")
    return "\n".join(out) + "\n" + quote_with_comments(body, comments)
