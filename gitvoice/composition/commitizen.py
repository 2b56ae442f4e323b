"""`cz check`, reimplemented: the verdict commitizen 4.19.3 gives a commit message, without commitizen.

Mirrors commitizen/commands/check.py (comment and scissors filtering, `--message` / `--commit-msg-file`),
BaseCommitizen.validate_commit_message in commitizen/cz/base.py (empty messages, allowed prefixes, the length
limit, then `re.match` of the schema pattern) and the schema patterns of cz_conventional_commits, cz_jira and
cz_customize. tests/composition/test_commitizen_differential.py holds it to the installed commitizen.

Pure standard library, fast to import: the commit-msg hook calls it on every commit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CONVENTIONAL_SCHEMA_PATTERN",
    "CONVENTIONAL_TYPES",
    "DEFAULT_ALLOWED_PREFIXES",
    "JIRA_SCHEMA_PATTERN",
    "CzCheckResult",
    "cz_check",
    "filter_comments",
    "schema_pattern_for",
]

# commitizen/defaults.py settings["allowed_prefixes"]: messages starting with these always pass.
DEFAULT_ALLOWED_PREFIXES: tuple[str, ...] = ("Merge", "Revert", "Pull request", "fixup!", "squash!", "amend!")

# ConventionalCommitsCz.schema_pattern (cz/conventional_commits/conventional_commits.py): note "bump", which
# commitlint's config-conventional does not allow.
CONVENTIONAL_TYPES: tuple[str, ...] = (
    "build", "bump", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test",
)  # fmt: skip
CONVENTIONAL_SCHEMA_PATTERN = (
    r"(?s)"  # `.` matches newlines too
    r"(" + "|".join(CONVENTIONAL_TYPES) + r")"  # type
    r"(\(\S+\))?"  # scope: anything without whitespace, in parentheses
    r"!?"
    r": "
    r"([^\n\r]+)"  # subject
    r"((\n\n.*)|(\s*))?$"  # a body after a blank line, or trailing whitespace only
)
# JiraSmartCz.schema_pattern (cz/jira/jira.py).
JIRA_SCHEMA_PATTERN = r".*[A-Z]{2,}\-[0-9]+( #| .* #).+( #.+)*"

_SCISSORS = "# ------------------------ >8 ------------------------"


@dataclass(frozen=True)
class CzCheckResult:
    valid: bool  # what `cz check` exits with: True for 0 ("Commit validation: successful!")
    errors: tuple[str, ...]  # commitizen's reasons: "commit message is empty", "pattern: ...", the length limit
    message: str  # the message commitizen validated: comments and the scissors part removed, stripped


def filter_comments(message: str) -> str:
    """Check._filter_comments: drop lines starting with "#", and everything from a line that contains the
    scissors marker on (anywhere in the line, unlike git and commitlint)."""
    lines = []
    for line in message.split("\n"):
        if _SCISSORS in line:
            break
        if not line.startswith("#"):
            lines.append(line)
    return "\n".join(lines)


def schema_pattern_for(name: str, schema_pattern: str | None = None) -> str:
    """The pattern `cz check` matches for the committer `name`; `schema_pattern` is cz_customize's
    `[tool.commitizen.customize] schema_pattern` (empty or missing: "", which matches every message)."""
    if name == "cz_customize":
        return schema_pattern or ""
    if schema_pattern is not None:
        raise ValueError(f"{name} has a fixed schema pattern; schema_pattern applies to cz_customize only")
    if name == "cz_conventional_commits":
        return CONVENTIONAL_SCHEMA_PATTERN
    if name == "cz_jira":
        return JIRA_SCHEMA_PATTERN
    raise ValueError(f"The committer has not been found in the system: {name}")


@lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _universal_newlines(text: str) -> str:
    """Path.read_text translates \\r\\n and \\r to \\n: what --commit-msg-file sees of a file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cz_check(
    message: str,
    *,
    name: str = "cz_conventional_commits",
    schema_pattern: str | None = None,
    allowed_prefixes: Sequence[str] | None = None,
    allow_abort: bool = False,
    message_length_limit: int = 0,
    from_file: bool = False,
) -> CzCheckResult:
    """Decide as `cz check --message MESSAGE` does (or `cz check --commit-msg-file` for a file holding
    `message`, with `from_file=True`).

    `allowed_prefixes`: None for commitizen's default (DEFAULT_ALLOWED_PREFIXES), [] for none.
    `message_length_limit`: the first line's length limit, 0 for none; exceeding it fails the check.
    """
    pattern = _compiled(schema_pattern_for(name, schema_pattern))
    text = _universal_newlines(message) if from_file else message
    # GitCommit(rev="", title="", body=...).message: the filtered text, stripped.
    commit_msg = filter_comments(text).strip()
    if not commit_msg:
        return CzCheckResult(allow_abort, () if allow_abort else ("commit message is empty",), commit_msg)
    prefixes = DEFAULT_ALLOWED_PREFIXES if allowed_prefixes is None else tuple(allowed_prefixes)
    if commit_msg.startswith(prefixes):
        return CzCheckResult(True, (), commit_msg)
    if message_length_limit > 0:
        length = len(commit_msg.partition("\n")[0].strip())
        if length > message_length_limit:
            return CzCheckResult(False, (f"commit message length exceeds the limit: {message_length_limit} "
                                         f"(actual: {length})",), commit_msg)
    if pattern.match(commit_msg):
        return CzCheckResult(True, (), commit_msg)
    return CzCheckResult(False, (f"pattern: {pattern.pattern}",), commit_msg)
