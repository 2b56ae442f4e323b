"""Checking commit messages with the repository's own rules: one routine for the commit-msg hook, the pre-commit
framework and `git voice check` in CI.

The rules are commitlint's (config-conventional by default, or the repository's configuration) or commitizen's,
decided exactly as those tools decide (gitvoice/composition/commitlint.py, commitizen.py). Warnings are shown
but never reject. Pure stdlib plus gitvoice's own modules, so the commit-msg hook never waits for torch or click.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitvoice.composition.commitizen import cz_check
from gitvoice.composition.commitlint import Problem, lint, lint_commit_msg_file
from gitvoice.composition.conventional import message_for_validation
from gitvoice.config.conventions import MessageRules, repository_conventions
from gitvoice.core.atomic import write_atomically
from gitvoice.core.paths import unused_path
from gitvoice.git.messages import message_file_comment_char

COMMITIZEN_RULE = "commitizen"  # the one "rule" cz check has: its schema pattern


@dataclass(frozen=True)
class Verdict:
    errors: tuple[Problem, ...]  # each rejects the message
    warnings: tuple[Problem, ...]  # shown, never rejecting

    @property
    def passed(self) -> bool:
        return not self.errors


def repository_rules(cwd: Path | None = None) -> MessageRules:
    return repository_conventions(cwd).rules


def check_message(text: str, rules: MessageRules, comment_char: str | None = None) -> Verdict:
    """The verdict on `text`. `comment_char` None: a message as git stores it (`-m`, a commit in a range); else a
    message file as git hands it to commit-msg, whose comment lines and scissors part git will drop ("" when
    commit.cleanup keeps comments)."""
    if not text.strip():  # commitlint itself stops with "input is empty"
        return Verdict((Problem("subject-empty", 2, "subject may not be empty"),
                        Problem("type-empty", 2, "type may not be empty")), ())
    if rules.commitizen is not None:
        cz = rules.commitizen
        result = cz_check(text, name=cz.name, schema_pattern=cz.schema_pattern, allowed_prefixes=cz.allowed_prefixes,
                          from_file=comment_char is not None)
        return Verdict(tuple(Problem(COMMITIZEN_RULE, 2, error) for error in result.errors), ())
    if comment_char:
        linted = lint_commit_msg_file(text, rules.lint_rules, comment_char=comment_char,
                                      default_ignores=rules.default_ignores)
    else:
        linted = lint(text, rules.lint_rules, default_ignores=rules.default_ignores)
    return Verdict(tuple(linted.errors), tuple(linted.warnings))


def save_rejected_message(data: bytes, folder: Path) -> Path:
    """Keep a rejected message byte for byte (git's COMMIT_EDITMSG is overwritten by the next commit)."""
    path = unused_path(folder, "rejected-", ".txt")
    write_atomically(path, lambda handle: handle.write(data))
    return path


def problem_lines(verdict: Verdict) -> list[str]:
    return [*(f"  ✖ {p.name}: {p.message}" for p in verdict.errors),
            *(f"  ⚠ {p.name}: {p.message}" for p in verdict.warnings)]


def report(verdict: Verdict, rules: MessageRules, saved: Path | None) -> list[str]:
    """What the user reads: which rules failed (and warned), whose rules they are, where the message is kept."""
    if verdict.passed:
        if not verdict.warnings:
            return []
        return [f"gitvoice: commit message warnings ({rules.source}; they do not stop the commit):",
                *problem_lines(verdict)]
    lines = [f"gitvoice: commit message rejected by {rules.source}:", *problem_lines(verdict)]
    if saved is not None:
        lines.append(f"hint: your message is saved in {saved}; fix it and commit with `git commit -e -F {saved}`")
    return lines


@dataclass(frozen=True)
class FileCheck:
    passed: bool
    lines: list[str]  # the report to show on stderr (warnings alone when it passed)


def check_commit_msg_file(message_file: Path, cwd: Path | None = None) -> FileCheck:
    """The one commit-msg routine (the hook, the pre-commit framework, `git voice check --commit-msg-file`):
    a message file as git hands it over; a rejected one is saved first, byte for byte."""
    from gitvoice.store.recordings import gitvoice_dir

    data = message_file.read_bytes()
    text = data.decode("utf-8", "replace")
    comment_char = message_file_comment_char(text, cwd)
    if not message_for_validation(text, comment_char).strip():
        return FileCheck(True, [])  # git aborts an empty commit itself, with its own words
    rules = repository_rules(cwd)
    verdict = check_message(text, rules, comment_char)
    saved = None if verdict.passed else save_rejected_message(data, gitvoice_dir(cwd))
    return FileCheck(verdict.passed, report(verdict, rules, saved))
