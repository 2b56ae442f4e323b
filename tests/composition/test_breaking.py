"""Breaking changes said aloud: the footer carries the clause that says what breaks, whatever introduces it."""

from __future__ import annotations

import pytest

from gitvoice.composition.breaking import breaking_statement


@pytest.mark.parametrize(("spoken", "kept", "statement"), [
    ("Fix the crash. Breaking change: the config file is now required.", "Fix the crash.",
     "The config file is now required."),
    ("Fix the crash. Breaking change. The config file is now required.", "Fix the crash.",
     "The config file is now required."),
    ("Fix the crash, breaking change, the config file is now required.", "Fix the crash.",
     "The config file is now required."),
    ("Drop the v1 endpoints. This is a breaking change: clients must call v2.", "Drop the v1 endpoints.",
     "Clients must call v2."),
    ("Make the parser strict. This breaks callers that pass None.", "Make the parser strict.",
     "This breaks callers that pass None."),
    ("Make the parser strict. parse_config no longer accepts an empty file.", "Make the parser strict.",
     "parse_config no longer accepts an empty file."),
    ("Add a flag. A token is now required for uploads.", "Add a flag.", "A token is now required for uploads."),
    ("Page by cursor. list_users no longer returns a page count.", "Page by cursor.",
     "list_users no longer returns a page count."),
    ("Simplify the loader. The old format is no longer supported.", "Simplify the loader.",
     "The old format is no longer supported."),
    ("Update the base image. The tool no longer runs on Python 3.8.", "Update the base image.",
     "The tool no longer runs on Python 3.8."),
    ("Rename the user fields. It's not backwards compatible.", "Rename the user fields.",
     "It's not backwards compatible."),
    # Said first, what breaks is also what the change does: it stays for the subject.
    ("Remove the --legacy option from the CLI. Nobody used it.",
     "Remove the --legacy option from the CLI. Nobody used it.", "Remove the --legacy option from the CLI."),
    ("Drop support for Python 3.8.", "Drop support for Python 3.8.", "Drop support for Python 3.8."),
])
def test_the_clause_that_says_what_breaks(spoken: str, kept: str, statement: str) -> None:
    found = breaking_statement(spoken)
    assert (found.said, found.kept, found.statement) == (True, kept, statement)


@pytest.mark.parametrize("spoken", [
    "The CLI no longer crashes on empty input.",  # a fix: what no longer happens was the bug
    "The upload no longer times out.",
    "Cancel the previous request, so fast typing no longer shows stale results.",  # heard live
    # ... or what it cost: a speed-up (heard in a live test as "chore(app)!" with a BREAKING CHANGE footer).
    "Build an index of users by name once, so lookup no longer scans the whole list on every call.",
    "It no longer recomputes the totals for every row.",
    "Clean up the docs. This is not a breaking change.",
    "Tidy the loader, no breaking changes.",
])
def test_nothing_breaks(spoken: str) -> None:
    found = breaking_statement(spoken)
    assert (found.said, found.kept, found.statement) == (False, spoken, None)


def test_a_marker_with_nothing_after_it_still_breaks() -> None:
    found = breaking_statement("Rename the fields. Breaking change.")
    assert (found.said, found.kept, found.statement) == (True, "Rename the fields.", None)
