"""Composing a cover letter from a transcript: subject, body, the re-roll's changes, and git's placeholders."""

from __future__ import annotations

import pytest

from gitvoice.composition.cover_letter import (
    changes_bullets,
    compose_cover_letter,
    fill_cover_letter,
    has_placeholders,
    is_reroll,
    previous_version,
    split_changes,
    summarize_subject,
)

GIT_LETTER = (
    "From 2f6fb20e6df38b781c1ed6e0fe08a3a8025531f1 Mon Sep 17 00:00:00 2001\n"
    "From: Ada Tester <ada@example.com>\n"
    "Date: Fri, 2 Jan 2026 03:04:05 +0000\n"
    "Subject: [PATCH v2 0/3] *** SUBJECT HERE ***\n"
    "\n"
    "*** BLURB HERE ***\n"
    "\n"
    "Ada Tester (3):\n"
    "  feat: add m1\n"
    "\n"
    " m1.py | 1 +\n"
    "\n"
    "-- \n"
    "2.39.5\n"
    "\n"
)


@pytest.mark.parametrize(("transcript", "series", "changes"), [
    ("This adds TOML. Changes since version one: the parser is faster.",
     "This adds TOML.", "Changes since version one: the parser is faster."),
    ("This adds TOML. Since v1, I fixed the tests. Also the docs.",
     "This adds TOML.", "Since v1, I fixed the tests. Also the docs."),
    ("This adds TOML. In this version I dropped a patch.", "This adds TOML.", "In this version I dropped a patch."),
    ("This adds TOML. Compared to the previous version, it is smaller.",
     "This adds TOML.", "Compared to the previous version, it is smaller."),
    ("This adds TOML. And since the last round, the docs are new.",
     "This adds TOML.", "And since the last round, the docs are new."),
    ("This adds TOML. What changed since version 1? The tests.",
     "This adds TOML.", "What changed since version 1? The tests."),
    # A cue inside a sentence is ordinary speech, not the start of the changes.
    ("The parser has accepted YAML since version one. This adds TOML.",
     "The parser has accepted YAML since version one. This adds TOML.", ""),
    ("This adds TOML and keeps the changes in this file small.",
     "This adds TOML and keeps the changes in this file small.", ""),
    ("Since v1 everything changed.", "", "Since v1 everything changed."),
])
def test_split_changes(transcript: str, series: str, changes: str) -> None:
    assert split_changes(transcript) == (series, changes)


@pytest.mark.parametrize(("sentences", "bullets"), [
    ("Changes since version one: the parser is faster.", "- The parser is faster."),
    ("Since v1, I fixed the tests. And the docs have an example.",
     "- I fixed the tests.\n- The docs have an example."),
    ("Changes in version two. In this version fetch_user caches.", "- In this version `fetch_user` caches."),
    ("Um, since v2, the loader, you know, reads settings.toml and falls back to the environment when the file is "
     "missing or empty.",
     "- The loader reads `settings.toml` and falls back to the environment\n  when the file is missing or empty."),
])
def test_changes_become_wrapped_bullets(sentences: str, bullets: str) -> None:
    assert changes_bullets(sentences, ["fetch_user", "settings.toml"]) == bullets


def test_first_posting_keeps_everything_in_the_body() -> None:
    spoken = "This adds TOML. Since v1 of the format, keys may be dotted."
    letter = compose_cover_letter(spoken, version=None)
    assert letter.changes == "" and "keys may be dotted" in letter.body
    assert letter.subject == "This adds TOML"


def test_reroll_letter_has_subject_body_and_changes() -> None:
    spoken = ("Uh, rename getUserById to fetch_user across the API so that the names match the database layer and "
              "the callers in api/users.py read naturally. Changes since v1: fetch_user now caches.")
    letter = compose_cover_letter(spoken, version="2", identifiers=["getUserById", "fetch_user", "api/users.py"])
    assert letter.subject == "Rename getUserById to fetch_user across the API"
    assert letter.body.startswith("Rename `getUserById` to `fetch_user`") and "Uh" not in letter.body
    assert all(len(line) <= 72 for line in letter.body.splitlines())
    assert "`api/users.py`" in letter.body and "caches" not in letter.body
    assert letter.changes == "- `fetch_user` now caches."
    assert (letter.version, letter.previous_version) == ("2", "1")


def test_separate_changes_transcript_joins_the_spoken_changes() -> None:
    letter = compose_cover_letter("Add TOML. Since v2, tests pass.", changes_transcript="Also the docs are new.",
                                  version="3")
    assert letter.changes == "- Tests pass.\n- The docs are new."


def test_all_changes_and_no_series_text_still_gives_a_subject() -> None:
    letter = compose_cover_letter("Since v1, I fixed the flaky test.", version="2")
    assert letter.subject == "I fixed the flaky test" and letter.body == ""
    assert letter.changes == "- I fixed the flaky test."


def test_backticks_can_be_turned_off() -> None:
    letter = compose_cover_letter("Rename fetch_user.", identifiers=["fetch_user"], backticks=False)
    assert letter.body == "Rename fetch_user."


@pytest.mark.parametrize(("sentence", "subject"), [
    ("add TOML support.", "Add TOML support"),
    ("Make load_settings read settings.toml first, because the environment is too easy to forget about in tests",
     "Make load_settings read settings.toml first"),
    ("Replace the hand written configuration parser with the standard library tomllib module everywhere "
     "in the codebase",
     "Replace the hand written configuration parser with the standard library"),
])
def test_subject_is_summarized_never_cut_inside_a_word(sentence: str, subject: str) -> None:
    result = summarize_subject(sentence, 72)
    assert result == subject
    assert len(result) <= 72 and not result.endswith(".")


@pytest.mark.parametrize(("version", "reroll", "previous"), [
    (None, False, None), ("1", False, None), ("2", True, "1"), ("10", True, "9"), ("2.1", True, None),
])
def test_reroll_versions(version: str | None, reroll: bool, previous: str | None) -> None:
    assert is_reroll(version) is reroll
    assert previous_version(version) == previous


def test_fill_replaces_both_placeholders_and_keeps_shortlog() -> None:
    filled = fill_cover_letter(GIT_LETTER, "Read TOML settings", "Body line.\n\nChanges in v2:\n- Faster.\n")
    assert not has_placeholders(filled)
    assert "Subject: [PATCH v2 0/3] Read TOML settings\n\nBody line.\n\nChanges in v2:\n- Faster.\n\nAda Tester (3):" \
        in filled
    assert "Content-Type" not in filled  # plain ASCII needs no MIME headers


def test_fill_encodes_a_non_ascii_subject_and_declares_utf8() -> None:
    filled = fill_cover_letter(GIT_LETTER, "Lire les réglages", "Déjà fait.")
    subject_line = next(line for line in filled.splitlines() if line.startswith("Subject:"))
    assert subject_line.isascii() and "=?utf-8?" in subject_line.lower()
    assert "Content-Type: text/plain; charset=UTF-8" in filled.split("\n\n", 1)[0]
    assert "Déjà fait." in filled and not has_placeholders(filled)
