"""Alternative subjects under the draft, and the comment block that carries them to the editor."""

from __future__ import annotations

from gitvoice.composition.alternatives import alternative_headers
from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.composition.commitlint import lint
from gitvoice.composition.compose import ComposeOptions, compose_message
from gitvoice.composition.conventional import message_for_validation, render_message
from gitvoice.composition.editor_notes import DraftNotes, comment_block, warning_lines, with_comments

LOADER = DiffContext((ChangedFile("config/loader.py", "M"),),
                     "diff --git a/config/loader.py b/config/loader.py\n--- a/config/loader.py\n"
                     "+++ b/config/loader.py\n@@ -1,2 +1,4 @@ def parse_config(path):\n"
                     "+    if not text:\n+        raise ConfigError('empty')\n")
SAID = ("Fix the crash in parse_config when the file is empty. This fixes issue forty two. Breaking change: the "
        "config file is now required.")


def test_the_issue_example_composes_as_a_reviewer_would_write_it() -> None:
    options = ComposeOptions(identifiers=("parse_config",))
    text = render_message(compose_message(SAID, LOADER, options))
    assert text == ("fix(config)!: handle an empty file in parse_config\n\nFixes #42\n"
                    "BREAKING CHANGE: The config file is now required.\n")
    assert lint(text).valid and not lint(text).warnings


def test_alternatives_are_distinct_real_subjects_without_the_type_word() -> None:
    options = ComposeOptions(identifiers=("parse_config",), subject_width=60)
    message = compose_message(SAID, LOADER, options)
    headers = alternative_headers(SAID, LOADER, options, message)
    assert 2 <= len(headers) <= 3
    assert headers[0] == "fix(config)!: prevent the crash in parse_config"  # cut to fit 60 columns
    assert len(set(headers)) == len(headers) and message.header not in headers
    for header in headers:
        assert header.startswith("fix(config)!: ") and len(header) <= 60
        assert not header.split(": ", 1)[1].startswith("fix ")
        assert lint(header + "\n").valid


def test_other_sentences_said_are_offered() -> None:
    said = "Retry the upload on a timeout. Make the backoff exponential, capped at a minute."
    options = ComposeOptions()
    message = compose_message(said, LOADER, options)
    assert "chore(config): make the backoff exponential, capped at a minute" in alternative_headers(
        said, LOADER, options, message)


def test_the_comment_block_is_stripped_by_git_and_lists_everything() -> None:
    notes = DraftNotes(("fix: prevent the crash",), ("you mention tests, but the commit changes no test file",),
                       ("Fixes #42",))
    draft = with_comments("fix: handle an empty file\n\nFixes #41\n", notes, ";")
    assert draft.startswith("fix: handle an empty file\n\nFixes #41\n\n; Other subjects")
    assert "; fix: prevent the crash\n" in draft and "; - you mention tests" in draft and "; Fixes #42\n" in draft
    assert "\n;\n" in draft  # a blank comment line between the groups, with no trailing space
    assert message_for_validation(draft, ";") == "fix: handle an empty file\n\nFixes #41\n"
    assert comment_block(DraftNotes(), "#") == ""
    assert warning_lines(notes) == ("you mention tests, but the commit changes no test file",
                                    "no reference was said; the branch name suggests `Fixes #42`")
