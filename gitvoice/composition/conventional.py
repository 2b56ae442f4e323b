"""Conventional Commits 1.0.0: the message model, rendering and parsing (checking is commitlint.py's and
commitizen.py's, with the repository's own rules).

Spec: https://www.conventionalcommits.org/en/v1.0.0/ — `type(scope)!: description`, an optional body after one
blank line, optional footers after one blank line (`Token: value` or `Token #value`; tokens use `-` for spaces,
except `BREAKING CHANGE`, which `BREAKING-CHANGE` also means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitvoice.core.errors import MessageError

BREAKING_TOKENS = ("BREAKING CHANGE", "BREAKING-CHANGE")
DEFAULT_MAX_HEADER_LENGTH = 72  # the width git log --oneline and most review tools show without cutting

HEADER_RE = re.compile(
    r"^(?P<type>[^\s():!]+)"  # a noun: feat, fix, ...
    r"(?:\((?P<scope>[^()]*)\))?"  # optional (scope)
    r"(?P<bang>!)?"  # optional ! for a breaking change
    r": (?P<subject>.*)$"
)
# A footer line: a word token (hyphens for spaces), then ": " or " #", then the value.
FOOTER_RE = re.compile(r"^(?P<token>BREAKING[ -]CHANGE|[A-Za-z][A-Za-z0-9-]*)(?P<sep>: | #)(?P<value>.*)$")
# Git's scissors line (wt-status.c cut_line): the comment char, a space, then this.
SCISSORS = "------------------------ >8 ------------------------"


@dataclass(frozen=True)
class Footer:
    token: str  # "Fixes", "BREAKING CHANGE", "Signed-off-by"
    value: str  # may span lines ("\n"-joined)
    separator: str = ": "  # ": " or " #" ("Fixes #42" is token "Fixes", separator " #", value "42")

    def render(self) -> str:
        return f"{self.token}{self.separator}{self.value}"


@dataclass(frozen=True)
class CommitMessage:
    type: str
    scope: str | None
    breaking: bool  # True renders the `!` after type/scope
    subject: str  # the description after ": "
    body: str  # "" when there is none; paragraphs separated by blank lines
    footers: tuple[Footer, ...] = ()

    @property
    def header(self) -> str:
        scope = f"({self.scope})" if self.scope else ""
        return f"{self.type}{scope}{'!' if self.breaking else ''}: {self.subject}"

    @property
    def is_breaking(self) -> bool:
        """A breaking change by `!` or by a BREAKING CHANGE footer (the spec allows either)."""
        return self.breaking or any(f.token in BREAKING_TOKENS for f in self.footers)


def render_message(message: CommitMessage) -> str:
    """The message text: header, blank line, body, blank line, footers; ends with one newline."""
    parts = [message.header]
    if message.body.strip():
        parts.append(message.body.strip("\n"))
    if message.footers:
        parts.append("\n".join(f.render() for f in message.footers))
    return "\n\n".join(parts) + "\n"


def _paragraphs(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(index of first line, lines) for each run of non-blank lines."""
    result: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if line.strip():
            if not current:
                start = index
            current.append(line)
        elif current:
            result.append((start, current))
            current = []
    if current:
        result.append((start, current))
    return result


def footer_start(lines: list[str]) -> int:
    """Index in `lines` (the lines after the header) where the footers begin, or len(lines) if none.

    The footers are the trailing paragraphs whose first line is a footer; a footer's value continues on
    the following lines until the next footer line (the spec allows multi-line values).
    """
    start = len(lines)
    for index, paragraph in reversed(_paragraphs(lines)):
        # The first paragraph after the header is the body when a blank line separates them; a footer
        # needs a blank line before it, so index 0 (no blank line after the header) is never a footer.
        if index > 0 and not lines[index - 1].strip() and FOOTER_RE.match(paragraph[0]):
            start = index
        else:
            break
    return start


def parse_footers(lines: list[str]) -> tuple[Footer, ...]:
    footers: list[Footer] = []
    for line in lines:
        match = FOOTER_RE.match(line)
        if match:
            footers.append(Footer(match["token"], match["value"], match["sep"]))
        elif footers and line.strip():
            last = footers[-1]
            footers[-1] = Footer(last.token, f"{last.value}\n{line}", last.separator)
    return tuple(footers)


def parse_message(text: str) -> CommitMessage:
    """A CommitMessage from message text (comments already removed); MessageError if the header is not CC."""
    lines = text.strip("\n").splitlines()
    if not lines or not lines[0].strip():
        raise MessageError("the commit message is empty", hint="write a header like `fix(api): handle empty input`")
    match = HEADER_RE.match(lines[0])
    if not match:
        raise MessageError(f"not a Conventional Commits header: {lines[0]!r}",
                           hint="write it as `type(scope)!: subject`, e.g. `fix(api): handle empty input`")
    rest = lines[1:]
    start = footer_start(rest)
    body = "\n".join(rest[:start]).strip("\n")
    return CommitMessage(
        type=match["type"],
        scope=match["scope"] or None,
        breaking=bool(match["bang"]),
        subject=match["subject"],
        body=body,
        footers=parse_footers(rest[start:]),
    )


def message_for_validation(text: str, comment_char: str = "#") -> str:
    """The message as git stores it with `--cleanup=strip`: comment lines and everything from the scissors
    line on removed, trailing spaces stripped, blank runs collapsed, no leading or trailing blank lines."""
    scissors = f"{comment_char} {SCISSORS}"
    kept: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line == scissors:
            break
        if comment_char and line.startswith(comment_char):
            continue
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""
