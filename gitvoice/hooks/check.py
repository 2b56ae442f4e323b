"""Checking commit messages against Conventional Commits with the repository's own types: one rule set for the
commit-msg hook, the pre-commit framework and `git voice check` in CI.

Pure stdlib plus gitvoice's composition rules, so the commit-msg hook never waits for torch or click.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitvoice.composition.conventional import Violation, is_exempt, message_for_validation, validate_message
from gitvoice.config.conventions import Conventions, repository_conventions
from gitvoice.core.atomic import write_text_atomically
from gitvoice.core.paths import unused_path
from gitvoice.git.messages import message_file_comment_char


@dataclass(frozen=True)
class Rules:
    types: tuple[str, ...]  # allowed commit types: the repository's declared ones, else gitvoice's defaults
    scopes: tuple[str, ...]  # allowed scopes; empty: any
    max_header_length: int  # characters in the header line

    @classmethod
    def from_conventions(cls, conventions: Conventions) -> Rules:
        return cls(types=tuple(t.name for t in conventions.types), scopes=conventions.scopes,
                   max_header_length=conventions.subject_width)


def repository_rules(cwd: Path | None = None) -> Rules:
    return Rules.from_conventions(repository_conventions(cwd))


def message_violations(text: str, rules: Rules, comment_char: str = "#", allow_empty: bool = False) -> list[Violation]:
    """Every broken rule in `text`; [] when it passes or is exempt (Merge, Revert, fixup!, squash!, amend!).

    `allow_empty`: an empty message passes (in a hook, git aborts an empty commit itself, with its own words).
    """
    cleaned = message_for_validation(text, comment_char)
    if (allow_empty and not cleaned.strip()) or is_exempt(cleaned.split("\n", 1)[0]):
        return []
    return validate_message(text, rules.types, comment_char, rules.max_header_length, rules.scopes)


def save_rejected_message(text: str, folder: Path) -> Path:
    """Keep a rejected message (git's COMMIT_EDITMSG is overwritten by the next commit); the copy's path."""
    path = unused_path(folder, "rejected-", ".txt")
    write_text_atomically(path, text)
    return path


def rejection_report(violations: list[Violation], rules: Rules, saved: Path | None) -> list[str]:
    """Lines telling which rule failed on which line, how to fix it, and where the message is kept."""
    lines = ["gitvoice: commit message rejected: it does not follow Conventional Commits 1.0.0"]
    for violation in violations:
        lines.append(f"  line {violation.line_number}: {violation.line!r}")
        lines.append(f"    rule {violation.rule}: {violation.fix}")
    if saved is not None:
        lines.append(f"hint: your message is saved in {saved}; fix it and commit with `git commit -e -F {saved}`")
    return lines


def commit_msg_file_violations(path: Path, rules: Rules, cwd: Path | None = None) -> tuple[str, list[Violation]]:
    """The file's text and what is wrong with it, reading it the way git will (comment char, scissors line)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return text, message_violations(text, rules, message_file_comment_char(text, cwd), allow_empty=True)


def check_commit_msg_file(message_file: Path, cwd: Path | None = None) -> list[str]:
    """The one commit-msg rejection routine (the hook, the pre-commit framework, `git voice check
    --commit-msg-file`): [] when the file passes; else the report to show, the message saved first."""
    from gitvoice.store.recordings import gitvoice_dir

    rules = repository_rules(cwd)
    text, violations = commit_msg_file_violations(message_file, rules, cwd)
    if not violations:
        return []
    saved = save_rejected_message(text, gitvoice_dir(cwd))
    return rejection_report(violations, rules, saved)
