"""Composing a Conventional Commit from a transcript and the diff: table-driven, pure."""

from __future__ import annotations

import pytest

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.composition.commit_types import types_from_names
from gitvoice.composition.commitlint import lint
from gitvoice.composition.compose import (
    ComposeOptions,
    compose_message,
    imperative,
    scope_from_paths,
    subject_problem,
    type_from_diff,
)
from gitvoice.composition.conventional import render_message
from gitvoice.composition.text import normalize_numbers, remove_fillers, summarize


def diff(*paths: str, status: str = "M") -> DiffContext:
    return DiffContext(tuple(ChangedFile(p, status) for p in paths), "")


API = diff("api/users.py")


def compose(transcript: str, context: DiffContext = API, **options: object) -> str:
    text = render_message(compose_message(transcript, context, ComposeOptions(**options)))  # type: ignore[arg-type]
    assert lint(text).valid and not lint(text).warnings, (text, lint(text))
    return text


@pytest.mark.parametrize(("transcript", "header"), [
    ("Fix the crash when the config file is missing.", "fix(api): handle a missing config file"),
    ("This commit renames getUserById to fetch_user.", "refactor(api): rename getUserById to fetch_user"),
    ("I added a retry to the upload.", "feat(api): add a retry to the upload"),
    ("Speed up the lookup with a cache.", "perf(api): speed up the lookup with a cache"),
    ("Revert the retry change, it broke uploads.", "revert(api): undo the retry change, it broke uploads"),
    ("We now guard against a None response.", "fix(api): guard against a None response"),
    # The first cue said decides: a fix that happens to mention renaming is a fix.
    ("Fix the crash that renaming a user caused.", "fix(api): prevent the crash that renaming a user caused"),
    # What a fix stops, said before anything else that names a kind of change.
    ("Return a ConfigError from load_config instead of panicking. Also bump the minimum Rust version.",
     "fix(api): return a ConfigError from load_config instead of panicking"),
    ("Handle an empty cart at checkout, this closes issue #42.", "fix(api): handle an empty cart at checkout"),
    # Nothing that names a kind of change: chore, and the sentence as said.
    ("The user list is sorted by name now.", "chore(api): the user list is sorted by name now"),
])
def test_type_and_subject_from_speech(transcript: str, header: str) -> None:
    assert compose(transcript).splitlines()[0] == header


@pytest.mark.parametrize(("paths", "kind"), [
    (("tests/test_users.py", "tests/conftest.py"), "test"),
    (("src/app/users_test.go",), "test"),
    (("README.md", "docs/usage.md"), "docs"),
    ((".github/workflows/ci.yml",), "ci"),
    (("pyproject.toml", "requirements/dev.txt"), "build"),
    (("api/users.py", "tests/test_users.py"), None),
    ((), None),
])
def test_type_from_the_shape_of_the_diff(paths: tuple[str, ...], kind: str | None) -> None:
    assert type_from_diff(diff(*paths)) == kind


def test_the_diff_shape_wins_over_speech_and_type_flag_over_both() -> None:
    tests_only = diff("tests/test_users.py")
    assert compose("Fix the flaky user test.", tests_only).startswith("test: fix the flaky user test")
    assert compose("Fix the flaky user test.", tests_only, commit_type="fix").startswith("fix: correct the flaky")


def test_file_kind_cues_count_only_when_the_diff_has_such_files() -> None:
    assert compose("Document the new endpoint.", diff("api/users.py", "docs/api.md")).startswith("docs: ")
    assert compose("Document the new endpoint.").startswith("chore(api): ")  # code changed: not docs only
    assert compose("Add a test for the login redirect.", diff("app/login.py", "tests/test_login.py")).startswith(
        "feat: ")  # "add" is said first
    assert compose("Test the login redirect.", diff("app/login.py", "tests/test_login.py")).startswith("test: ")


def test_only_new_files_and_no_cue_is_a_feature() -> None:
    assert compose("A command that lists users.", diff("cli/users.py", status="A")).startswith("feat(cli): ")


@pytest.mark.parametrize(("paths", "scope"), [
    (("api/users.py",), "api"),
    (("api/users.py", "api/groups.py"), "api"),
    (("src/gitvoice/audio/capture.py", "src/gitvoice/audio/vad.py"), "audio"),
    (("web/src/search.ts",), "web"),  # a container folder says nothing wherever it is
    (("packages/billing/src/invoice.ts", "packages/billing/lib/tax.ts"), "billing"),
    (("gitvoice/audio/capture.py", "gitvoice/cli/record.py"), "gitvoice"),
    (("api/users.py", "web/app.js"), None),
    (("setup.py",), None),
    (("tests/unit/test_a.py",), None),  # the type says it already
])
def test_scope_from_the_changed_paths(paths: tuple[str, ...], scope: str | None) -> None:
    assert scope_from_paths(list(paths)) == scope


def test_scope_map_and_flag_and_allowed_scopes() -> None:
    mapped = {"gitvoice/audio": "capture", "gitvoice": "core"}
    assert scope_from_paths(["gitvoice/audio/vad.py"], mapped) == "capture"  # the longest prefix
    assert scope_from_paths(["gitvoice/audio/vad.py", "gitvoice/cli/x.py"], mapped) == "core"
    assert compose("Fix it.", scope="users").startswith("fix(users): ")
    assert compose("Fix it.", scopes=("web",)).startswith("fix: ")  # "api" is not one of the repository's


@pytest.mark.parametrize(("transcript", "footers", "bang"), [
    ("Fix the login redirect. Fixes issue forty two.", ["Fixes #42"], False),
    ("Fix the login redirect, this closes issue 7.", ["Closes #7"], False),
    ("Add paging to the user list. Refs issue twelve and fixes issue 13.", ["Refs #12", "Fixes #13"], False),
    ("Drop the v1 endpoints. This is a breaking change: clients must call v2.",
     ["BREAKING CHANGE: Clients must call v2."], True),
    ("Rename the user fields. It's not backwards compatible.",
     ["BREAKING CHANGE: It's not backwards compatible."], True),
])
def test_spoken_footers(transcript: str, footers: list[str], bang: bool) -> None:
    text = compose(transcript)
    assert text.rstrip("\n").splitlines()[-len(footers):] == footers
    assert ("!:" in text.splitlines()[0]) is bang
    assert "issue" not in text.lower()  # the spoken reference moved into the footer
    above_footers = text.rstrip("\n").splitlines()[:-len(footers)]
    assert not any("breaking change" in line.lower() for line in above_footers)  # said once, in the footer


@pytest.mark.parametrize(("transcript", "header", "footers"), [
    ("Fix the crash in parse_config when the file is empty. This fixes issue forty two. Breaking change: the "
     "config file is now required.", "fix(api)!: handle an empty file in parse_config",
     ["Fixes #42", "BREAKING CHANGE: The config file is now required."]),
    ("Fix the crash in parse_config when the file is empty. Breaking change. The config file is now required.",
     "fix(api)!: handle an empty file in parse_config", ["BREAKING CHANGE: The config file is now required."]),
    ("Make the parser strict. This breaks callers that pass None.", "chore(api)!: make the parser strict",
     ["BREAKING CHANGE: This breaks callers that pass None."]),
    ("Make the parser strict. parse_config no longer accepts an empty file.", "chore(api)!: make the parser strict",
     ["BREAKING CHANGE: parse_config no longer accepts an empty file."]),
    ("Require a token for uploads. The token is now required.", "chore(api)!: require a token for uploads",
     ["BREAKING CHANGE: The token is now required."]),
    ("I removed the --legacy option from the CLI.", "chore(api)!: remove the --legacy option from the CLI",
     ["BREAKING CHANGE: I removed the --legacy option from the CLI."]),
    ("The upload no longer times out.", "chore(api): the upload no longer times out", []),  # a fix, not a break
    ("Fix the login redirect. This is a fix for number forty two.", "fix(api): correct the login redirect",
     ["Fixes #42"]),
    ("Fix the login redirect. Resolves issue 42.", "fix(api): correct the login redirect", ["Resolves #42"]),
    ("Add paging to the user list. Refs seventeen.", "feat(api): add paging to the user list", ["Refs #17"]),
    ("Add paging to the user list. Refs A B C dash one two three.", "feat(api): add paging to the user list",
     ["Refs: ABC-123"]),
])
def test_breaking_changes_and_references_as_a_reviewer_writes_them(transcript: str, header: str,
                                                                   footers: list[str]) -> None:
    lines = compose(transcript).rstrip("\n").splitlines()
    assert lines[0] == header
    assert lines[len(lines) - len(footers):] == footers if footers else "BREAKING" not in "\n".join(lines)
    breaking = [line for line in lines if line.startswith("BREAKING CHANGE:")]
    assert not breaking or breaking[0].split(": ", 1)[1].rstrip(".").lower() != header.split(": ", 1)[1] \
        or "remove" in header  # the footer says what breaks, not the subject again (unless it is the subject)


@pytest.mark.parametrize(("transcript", "subject_width", "header"), [
    ("Fix the crash when the response is None.", 72, "fix(api): handle a None response"),
    ("Fix the crash that renaming a user caused.", 72, "fix(api): prevent the crash that renaming a user caused"),
    ("Fix the typo in the error message.", 72, "fix(api): correct the typo in the error message"),
    ("Refactor the loader into two functions.", 72, "refactor(api): restructure the loader into two functions"),
    ("Revert the cache key change.", 72, "revert(api): undo the cache key change"),
    ("Fix the crash in the settings loader when the environment variable is missing.", 50,
     "fix(api): handle a missing environment variable"),
])
def test_the_type_word_is_never_repeated_in_the_subject(transcript: str, subject_width: int, header: str) -> None:
    first = compose(transcript, subject_width=subject_width).splitlines()[0]
    assert first.startswith(header) and len(first) <= subject_width
    kind, subject = first.split(": ", 1)
    assert subject.split(" ", 1)[0] != kind.split("(")[0]


def test_trailer_reference_style() -> None:
    assert compose("Fix the login redirect. Fixes issue 42.", reference_style="trailer").rstrip().endswith(
        "Fixes: #42")


def test_breaking_flag_adds_bang_and_footer() -> None:
    text = compose("Rename the user fields.", breaking=True)
    assert text.startswith("refactor(api)!: rename the user fields")
    assert text.rstrip().endswith("BREAKING CHANGE: Rename the user fields")


def test_long_speech_gives_a_short_subject_and_a_wrapped_body_with_identifiers() -> None:
    transcript = ("Uh, so this commit makes load_settings read settings.toml first, because, you know, the "
                  "environment is basically too easy to forget about in tests and on the CI machines. "
                  "The old os.environ lookup stays as a fallback for version three point eleven.")
    text = compose(transcript, identifiers=("load_settings", "settings.toml", "os.environ"))
    header, blank, *body = text.rstrip("\n").splitlines()
    assert header == "chore(api): make load_settings read settings.toml first"  # cut at a clause, no period
    assert blank == ""
    assert all(len(line) <= 72 for line in body)
    prose = " ".join(body)
    assert "`load_settings` read `settings.toml`" in prose and "`os.environ`" in prose
    assert "version 3.11." in prose
    for filler in ("Uh", "you know", "basically", ", because,"):
        assert filler not in prose


def test_subject_fits_the_header_width_without_cutting_a_word() -> None:
    transcript = ("Replace the hand written configuration parser with the standard library tomllib module "
                  "everywhere in the codebase")
    header = compose(transcript, subject_width=50).splitlines()[0]
    assert len(header) <= 50 and transcript.lower().startswith(header.split(": ", 1)[1])
    assert not header.endswith((" the", " with", " in"))


def test_repository_types_are_respected() -> None:
    types = types_from_names(["feature", "bugfix", "misc"])
    message = compose_message("Fix the crash.", API, ComposeOptions(types=types))
    assert message.type == "feature"  # none is one gitvoice knows: the first declared, for the user to edit


@pytest.mark.parametrize(("spoken", "written"), [
    ("This commit renames the loader.", "rename the loader."),
    ("I've fixed the retry.", "fix the retry."),
    ("Renaming the loader.", "rename the loader."),
    ("We simplified the parser.", "simplify the parser."),
    ("So this change stops the retry loop.", "stop the retry loop."),
    ("The parser is slow.", "The parser is slow."),  # no verb to put in the imperative: left alone
    ("This is slow.", "This is slow."),
])
def test_imperative_mood(spoken: str, written: str) -> None:
    assert imperative(spoken) == written


@pytest.mark.parametrize(("spoken", "written"), [
    ("Um, the loader, you know, reads it.", "the loader reads it."),
    ("It's basically a cache, uh, for now.", "It's a cache for now."),
    ("Okay, so this renames it.", "this renames it."),
    ("Right, so this renames it.", "this renames it."),
    # ... but not words that belong to the sentence.
    ("Add a flag. So that we can read the plan first.", "Add a flag. So that we can read the plan first."),
    ("Right now it blocks. So far it works.", "Right now it blocks. So far it works."),
    ("It looks like a bug.", "It looks like a bug."),  # "like" as a word stays
    ("The umbrella module.", "The umbrella module."),  # a filler inside a word stays
])
def test_fillers_are_removed(spoken: str, written: str) -> None:
    assert remove_fillers(spoken) == written


@pytest.mark.parametrize(("spoken", "written"), [
    ("version three point eleven", "version 3.11"),
    ("issue forty two", "issue 42"),
    ("forty two tests", "42 tests"),
    ("one hundred and five files", "105 files"),
    ("python 3 point 12", "python 3.12"),
    ("split it in two", "split it in two"),  # a lone small number stays a word
    ("the one that failed", "the one that failed"),
    ("version two", "version 2"),
])
def test_spoken_numbers(spoken: str, written: str) -> None:
    assert normalize_numbers(spoken) == written


def test_summarize_never_ends_on_a_dangling_word() -> None:
    line = summarize("speed up the parser by caching the tokenizer between calls so that large files load", 57)
    assert line == "speed up the parser by caching the tokenizer"


def test_a_long_subject_ends_before_a_phrase_rather_than_inside_one() -> None:
    # Heard live: "... total_with_tax like one time in wind ROUND_HALF_EVEN, so invoices match the ledger".
    sentence = "work around the rounding bug in total_with_tax like one time in wind ROUND_HALF_EVEN, so invoices"
    assert summarize(sentence, 58) == "work around the rounding bug in total_with_tax"
    assert summarize("rename the helper in utils", 58) == "rename the helper in utils"  # short: left whole


@pytest.mark.parametrize(("transcript", "subject"), [
    ("3. Retry dispatch up to three times in handle_webhook.", "retry dispatch up to three times in handle_webhook"),
    ("Okay. Rename getUserById to fetch_user.", "rename getUserById to fetch_user"),
    ("42. So. Add paging to the user list.", "add paging to the user list"),
])
def test_a_fragment_before_the_first_real_sentence_never_becomes_the_subject(transcript: str, subject: str) -> None:
    text = compose(transcript)
    assert text.splitlines()[0].endswith(f": {subject}")
    assert "3." not in text and "42." not in text and "Okay." not in text


@pytest.mark.parametrize(("subject", "problem"), [
    ("3", "bare number"),
    ("3.11", "bare number"),
    ("update", "1 word"),
    ("fix it", "2 words"),
    ("describe the change", "nothing usable"),
    ("", "nothing usable"),
    ("retry dispatch three times", None),
    ("rename getUserById to fetch_user", None),
])
def test_subject_problem(subject: str, problem: str | None) -> None:
    found = subject_problem(subject)
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(("transcript", "subject"), [
    ("I think the cache key was wrong, so I changed it.", "the cache key was wrong, so I changed it"),
    ("Make the cache key stable so I can run the tests twice.",
     "make the cache key stable so I can run the tests twice"),
    ("I fixed the cache key.", "correct the cache key"),
])
def test_the_pronoun_i_is_never_lowercased_and_hedges_go(transcript: str, subject: str) -> None:
    header = compose(transcript).splitlines()[0]
    assert header.split(": ", 1)[1] == subject
    assert " i " not in f" {header} "
