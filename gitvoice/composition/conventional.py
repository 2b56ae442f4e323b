"""Conventional Commits 1.0.0: the message model, rendering, parsing and validation.

Spec: https://www.conventionalcommits.org/en/v1.0.0/ — `type(scope)!: description`, an optional body after one
blank line, optional footers after one blank line (`Token: value` or `Token #value`; tokens use `-` for spaces,
except `BREAKING CHANGE`, which `BREAKING-CHANGE` also means).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
# Headers git and its tools write themselves; commitizen and commitlint let them through too.
EXEMPT_RE = re.compile(r"^(Merge |Merge$|Revert |Revert$|fixup! |squash! |amend! )")


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


@dataclass(frozen=True)
class Violation:
    rule: str  # a stable name: "header-format", "type-enum", "header-max-length", ...
    line_number: int  # 1-based, in the message as git stores it (comments and scissors part removed)
    line: str  # the offending line's text
    fix: str  # what to do about it, one sentence

    def render(self) -> str:
        return f"{self.rule}: line {self.line_number}: {self.line!r}\n  fix: {self.fix}"


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


def is_exempt(header: str) -> bool:
    """Headers that git writes itself (merges, reverts, autosquash): not held to the convention."""
    return bool(EXEMPT_RE.match(header))


def validate_message(text: str, types: Sequence[str], comment_char: str = "#",
                     max_header_length: int = DEFAULT_MAX_HEADER_LENGTH,
                     scopes: Sequence[str] = ()) -> list[Violation]:
    """Every way `text` (as git hands it to commit-msg) breaks Conventional Commits 1.0.0; [] when it is fine.

    `types` are the allowed types; `scopes`, when given, the allowed scopes.
    """
    message = message_for_validation(text, comment_char)
    lines = message.splitlines()
    if not lines:
        return [Violation("message-empty", 1, "", "write a header like `fix(api): handle empty input`")]
    header = lines[0]
    if is_exempt(header):
        return []
    violations = _header_violations(header, types, scopes, max_header_length)
    if len(lines) > 1 and lines[1].strip():
        violations.append(Violation("body-leading-blank", 2, lines[1],
                                    "leave line 2 empty: put one blank line between the header and the body"))
    violations.extend(_footer_violations(lines))
    return violations


def _header_violations(header: str, types: Sequence[str], scopes: Sequence[str],
                       max_header_length: int) -> list[Violation]:
    violations: list[Violation] = []
    allowed = ", ".join(types)
    match = HEADER_RE.match(header)
    if not match:
        loose = re.match(r"^(?P<type>[A-Za-z]+)(?:\([^()]*\))?!?(?P<sep>:|\s*:\s*)", header)
        if loose and loose["sep"] != ": ":
            fix = "write exactly one colon and one space after the type: `type(scope): subject`"
        else:
            fix = f"start with a type, a colon and a space: `type(scope): subject` (types: {allowed})"
        violations.append(Violation("header-format", 1, header, fix))
    else:
        kind = match["type"]
        if kind not in types:
            lower = kind.lower()
            fix = f"write the type in lowercase: `{lower}`" if lower in types else f"use one of the types: {allowed}"
            violations.append(Violation("type-enum", 1, header, fix))
        scope = match["scope"]
        if scope is not None and not scope.strip():
            violations.append(Violation("scope-empty", 1, header, "name a scope inside the parentheses or drop them"))
        elif scope is not None and scopes and scope not in scopes:
            violations.append(Violation("scope-enum", 1, header, f"use one of the scopes: {', '.join(scopes)}"))
        subject = match["subject"]
        if not subject.strip():
            violations.append(Violation("subject-empty", 1, header, "say what the change does after `: `"))
        elif subject != subject.lstrip():
            violations.append(Violation("subject-leading-space", 1, header, "use one space after the colon"))
    if len(header) > max_header_length:
        violations.append(Violation(
            "header-max-length", 1, header,
            f"shorten the header to {max_header_length} characters (it has {len(header)}); "
            "move details into the body"))
    return violations


def _footer_violations(lines: list[str]) -> list[Violation]:
    violations: list[Violation] = []
    rest = lines[1:]
    start = footer_start(rest)
    for offset, line in enumerate(rest):
        number = offset + 2
        in_footers = offset >= start
        breaking = re.match(r"^(?P<token>breaking[ -]change)\s*:\s*(?P<value>.*)$", line, re.IGNORECASE)
        if breaking and breaking["token"] not in BREAKING_TOKENS:
            violations.append(Violation("footer-token", number, line,
                                        "write the token in capitals: `BREAKING CHANGE: <what breaks>`"))
            continue
        if breaking and not breaking["value"].strip():
            violations.append(Violation("breaking-change-description", number, line,
                                        "say what breaks after `BREAKING CHANGE: `"))
        if not in_footers and FOOTER_RE.match(line) and _looks_like_footer(line):
            violations.append(Violation("footer-leading-blank", number, line,
                                        "put one blank line before the footers"))
        elif in_footers:
            spaced = re.match(r"^(?P<token>[A-Z][a-z]+(?: [a-z]+)+): \S", line)
            if spaced and not FOOTER_RE.match(line):
                token = spaced["token"].replace(" ", "-")
                violations.append(Violation("footer-token", number, line,
                                            f"use `-` for spaces in footer tokens: `{token}: ...`"))
    return violations


# Tokens that are footers wherever they appear, so a missing blank line before them is a mistake, not prose.
_WELL_KNOWN_TOKENS = ("BREAKING CHANGE", "BREAKING-CHANGE", "Fixes", "Closes", "Resolves", "Refs", "Signed-off-by",
                      "Co-authored-by", "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Helped-by")


def _looks_like_footer(line: str) -> bool:
    match = FOOTER_RE.match(line)
    if not match:
        return False
    return match["token"] in _WELL_KNOWN_TOKENS or (match["sep"] == " #" and match["value"][:1].isdigit())
