"""gitvoice.composition.commitizen on real message strings; no commitizen needed. (test_commitizen_differential.py
holds the same code to the installed commitizen.)"""

from __future__ import annotations

import pytest

from gitvoice.composition.commitizen import CONVENTIONAL_SCHEMA_PATTERN, cz_check, filter_comments, schema_pattern_for

SCISSORS = "# ------------------------ >8 ------------------------"


@pytest.mark.parametrize(("message", "valid"), [
    ("feat: add x", True), ("feat(api): add x", True), ("feat(api)!: add x", True), ("bump: version 1 → 2", True),
    ("Feat: add x", False), ("feat:add x", False), ("feat(a b): x", False), ("feat(): x", False),
    ("feat: x\n\nbody", True), ("feat: x\nbody", False), ("feat: x\n \nbody", False), ("feat: x\n\n", True),
    ("wip: x", False), ("Merge branch 'x'", True), ("Revert \"x\"", True), ("fixup! x", True),
    ("Pull request #1", True), ("", False), ("# only a comment", False), ("  feat: x  ", True),
    (f"feat: x\n{SCISSORS}\nanything", True), ("#feat: x\nfeat: y", True), ("feat: Add X.", True),
])
def test_conventional(message: str, valid: bool) -> None:
    assert cz_check(message).valid is valid


def test_options() -> None:
    assert not cz_check("Merge branch 'x'", allowed_prefixes=[]).valid
    assert cz_check("WIP x", allowed_prefixes=["WIP"]).valid
    assert cz_check("", allow_abort=True).valid
    assert not cz_check("feat: " + "x" * 50, message_length_limit=50).valid
    assert cz_check("feat: " + "x" * 44, message_length_limit=50).valid
    assert cz_check("feat: x\r\n\r\nbody", from_file=True).valid
    assert not cz_check("feat: x\r\n\r\nbody").valid  # \r\n\r\n is no blank line for the pattern


def test_customize_and_jira() -> None:
    assert cz_check("anything", name="cz_customize").valid  # no schema_pattern: "" matches everything
    assert not cz_check("docs: x", name="cz_customize", schema_pattern=r"(feat|fix): ").valid
    assert cz_check("fix PROJ-12 #comment done", name="cz_jira").valid
    with pytest.raises(ValueError, match="cz_customize only"):
        schema_pattern_for("cz_conventional_commits", "x")
    with pytest.raises(ValueError, match="not been found"):
        schema_pattern_for("cz_unknown")
    assert schema_pattern_for("cz_conventional_commits") == CONVENTIONAL_SCHEMA_PATTERN


def test_filter_comments() -> None:
    assert filter_comments(f"a\n# c\nb\nx {SCISSORS} y\nz") == "a\nb"
