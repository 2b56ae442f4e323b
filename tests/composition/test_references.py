"""Spoken and branch-name references become the trailers forges read: table-driven, pure."""

from __future__ import annotations

import pytest

from gitvoice.composition.references import STYLE_TRAILER, branch_reference, spoken_references
from gitvoice.composition.text import normalize_numbers


def said(text: str, style: str = "github") -> tuple[str, list[str]]:
    remaining, footers = spoken_references(normalize_numbers(text), style)
    return remaining, [footer.render() for footer in footers]


@pytest.mark.parametrize(("spoken", "footers", "left"), [
    ("Fix the crash. This fixes issue forty two.", ["Fixes #42"], "Fix the crash."),
    ("Fix the crash, this closes issue 42.", ["Closes #42"], "Fix the crash."),
    ("Fix the crash. Resolves issue forty two.", ["Resolves #42"], "Fix the crash."),
    ("Fix the crash. This is a fix for number forty two.", ["Fixes #42"], "Fix the crash."),
    ("Add paging. Refs seventeen.", ["Refs #17"], "Add paging."),
    ("Add paging. Refs issue twelve and fixes issue 13.", ["Refs #12", "Fixes #13"], "Add paging."),
    ("Add paging. This commit fixes issue #42.", ["Fixes #42"], "Add paging."),  # restore writes "issue #42"
    ("Add paging. See issue 9 for details.", ["Refs #9"], "Add paging."),
    ("Add paging. Refs A B C dash one two three.", ["Refs: ABC-123"], "Add paging."),
    ("Add paging. This resolves ticket ABC 123.", ["Resolves: ABC-123"], "Add paging."),
    ("Add paging. Closes jira ticket XY-9.", ["Closes: XY-9"], "Add paging."),
    # Not references: a bare number that is a count, a standard's name, "wait for 3".
    ("Fix 3 warnings in the parser.", [], "Fix 3 warnings in the parser."),
    ("Use UTF-8 for the files. Closes #5.", ["Closes #5"], "Use UTF-8 for the files."),
    ("Wait for 3.", [], "Wait for 3."),
])
def test_spoken_references(spoken: str, footers: list[str], left: str) -> None:
    assert said(spoken) == (left, footers)


def test_the_trailer_style_writes_a_colon() -> None:
    assert said("Fix it. Fixes issue 42.", STYLE_TRAILER)[1] == ["Fixes: #42"]
    assert said("Fix it. Refs ABC 123.", STYLE_TRAILER)[1] == ["Refs: ABC-123"]  # a key has no `#` form


@pytest.mark.parametrize(("branch", "footer"), [
    ("fix/42-empty-config", "Fixes #42"),
    ("bugfix/issue-7-crash", "Fixes #7"),
    ("fix-42", "Fixes #42"),
    ("feature/issue-7-paging", "Refs #7"),
    ("42-paging", "Refs #42"),
    ("feature/gh-12-x", "Refs #12"),
    ("ABC-123-retry", "Refs: ABC-123"),
    ("feat/ABC-123", "Refs: ABC-123"),
    ("fix/ABC-123-empty", "Fixes: ABC-123"),
    ("main", None),
    ("release-2.0", None),
    ("feature/utf8-names", None),
    (None, None),
])
def test_branch_reference(branch: str | None, footer: str | None) -> None:
    found = branch_reference(branch)
    assert (found.footer.render() if found else None) == footer
