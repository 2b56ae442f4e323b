"""What the user sees before a voice commit: other subjects, what was said against what changed, the branch's
reference. As comment lines in git's editor (stripped when git commits), as warnings with --no-edit; the
end-to-end cases speak with espeak-ng clips synthesized here and go through the real `git voice commit`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_git_voice
from support import git

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.composition.editor_notes import DraftNotes, with_comments
from gitvoice.git.commit import run_commit
from gitvoice.git.messages import editor_comment_prefix
from gitvoice.git.repo import current_branch, names_in_repository
from gitvoice.pipeline.message import ComposeFlags, compose_commit_draft
from gitvoice.pipeline.vocabulary import CodeVocabulary

LOADER_BEFORE = "def parse_config(path):\n    text = open(path).read()\n    return text.split()\n"
LOADER_AFTER = ("def parse_config(path):\n    text = open(path).read()\n    if not text:\n"
                "        raise ValueError('the config file is empty')\n    return text.split()\n")
HTTP_BEFORE = "class HttpClient:\n    def send(self, request):\n        return self._post(request)\n"
HTTP_AFTER = ("import time\n\n\nclass HttpClient:\n    def send(self, request, retries=3):\n"
              "        for attempt in range(retries):\n            try:\n                return self._post(request)\n"
              "            except TimeoutError:\n                time.sleep(2 ** attempt)\n"
              "        raise TimeoutError('gave up')\n")


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def _staged(repo: Path, path: str, before: str, after: str, branch: str | None = None) -> None:
    if branch:
        git(repo, "checkout", "-q", "-b", branch)
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(before)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "chore: before")
    (repo / path).write_text(after)
    git(repo, "add", "-A")


def _speak(tmp_path: Path, name: str, text: str) -> Path:
    clip = tmp_path / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(clip), text], check=True)
    return clip


# --- git's side: comment lines reach the editor and never the commit (no model) ------------------------------

def test_comment_lines_reach_the_editor_and_git_strips_them(repo: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _staged(repo, "config/loader.py", LOADER_BEFORE, LOADER_AFTER)
    notes = DraftNotes(("fix(config): prevent the crash in parse_config",),
                       ("you mention tests, but the commit changes no test file",), ("Fixes #42",))
    draft = tmp_path / "draft.txt"
    draft.write_text(with_comments("fix(config): handle an empty file in parse_config\n\nRefs: ABC-7\n", notes, "#"))
    seen = tmp_path / "seen.txt"
    monkeypatch.setenv("GIT_EDITOR", str(_script(tmp_path / "editor", f"cp \"$1\" {seen}\n")))
    outcome = run_commit(draft, edit=True, all_tracked=False, signoff=True, amend=False, no_verify=False, cwd=repo)
    assert outcome.commit is not None
    shown = seen.read_text()
    assert "# fix(config): prevent the crash in parse_config" in shown and "# Fixes #42" in shown
    assert "# - you mention tests" in shown
    committed = git(repo, "log", "-1", "--format=%B")
    assert committed == ("fix(config): handle an empty file in parse_config\n\nRefs: ABC-7\n"
                         "Signed-off-by: Ada Tester <ada@example.com>\n\n")  # -s joins the trailer block


@pytest.mark.parametrize(("config", "prefix"), [
    ({}, "#"),
    ({"core.commentChar": ";"}, ";"),
    ({"core.commentChar": "auto"}, None),
    ({"commit.cleanup": "strip"}, "#"),
    ({"commit.cleanup": "verbatim"}, None),
    ({"commit.cleanup": "whitespace"}, None),
    ({"commit.cleanup": "scissors"}, None),  # keeps comment lines above the scissors line
])
def test_the_comment_prefix_is_gits_or_none(repo: Path, config: dict[str, str], prefix: str | None) -> None:
    for key, value in config.items():
        git(repo, "config", key, value)
    assert editor_comment_prefix(repo) == prefix


def test_repository_lookups(repo: Path) -> None:
    _staged(repo, "config/loader.py", LOADER_BEFORE, LOADER_AFTER, branch="fix/42-empty-config")
    assert current_branch(repo) == "fix/42-empty-config"
    assert names_in_repository(["parse_config", "config/loader.py", "loader.py", "parse_confg"], repo) == {
        "parse_config", "config/loader.py", "loader.py"}


# --- the pipeline: notes from the branch and the repository's rules (no model) -------------------------------

def _vocabulary(repo: Path) -> CodeVocabulary:
    from gitvoice.pipeline.vocabulary import commit_vocabulary

    return commit_vocabulary(cwd=repo)


def test_the_branch_offers_its_reference_as_a_suggestion(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _staged(repo, "config/loader.py", LOADER_BEFORE, LOADER_AFTER, branch="fix/42-empty-config")
    monkeypatch.chdir(repo)
    said = "Fix the crash in parse_config when the file is empty."
    draft = compose_commit_draft(said, _vocabulary(repo), ComposeFlags(), repo)
    assert draft.text == "fix(config): handle an empty file in parse_config\n"
    assert draft.notes.suggestions == ("Fixes #42",)
    assert draft.notes.alternatives[0] == "fix(config): prevent the crash in parse_config when the file is empty"
    other = compose_commit_draft(said + " Fixes issue 41.", _vocabulary(repo), ComposeFlags(), repo)
    assert other.notes.suggestions == ()
    assert any("#41" in w and "#42" in w for w in other.notes.warnings)
    same = compose_commit_draft(said + " Fixes issue 42.", _vocabulary(repo), ComposeFlags(), repo)
    assert (same.notes.suggestions, same.notes.warnings) == ((), ())


def test_a_required_reference_comes_from_the_branch(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".commitlintrc.json").write_text('{"extends": ["@commitlint/config-conventional"], '
                                             '"rules": {"references-empty": [2, "never"]}}')
    _staged(repo, "config/loader.py", LOADER_BEFORE, LOADER_AFTER, branch="ABC-123-empty-config")
    monkeypatch.chdir(repo)
    git(repo, "config", "voice.referenceStyle", "trailer")
    draft = compose_commit_draft("Fix the crash in parse_config when the file is empty.", _vocabulary(repo),
                                 ComposeFlags(), repo)
    assert draft.text.endswith("\n\nRefs: ABC-123\n") and draft.notes.suggestions == ()


def test_consistency_can_be_turned_off(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _staged(repo, "net/http.py", HTTP_BEFORE, HTTP_AFTER)
    monkeypatch.chdir(repo)
    said = "Add a retry to the HttpClient send method, and add unit tests for the timeout in parse_confg."
    warnings = compose_commit_draft(said, _vocabulary(repo), ComposeFlags(), repo).notes.warnings
    assert "you mention tests, but the commit changes no test file" in warnings
    assert any(w.startswith("`parse_confg` is nowhere") for w in warnings)
    git(repo, "config", "voice.consistency", "off")
    assert compose_commit_draft(said, _vocabulary(repo), ComposeFlags(), repo).notes.warnings == ()


def test_the_notes_never_change_the_message(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gitvoice.pipeline.message import compose_commit_message

    _staged(repo, "net/http.py", HTTP_BEFORE, HTTP_AFTER, branch="fix/9-retry")
    monkeypatch.chdir(repo)
    said = "Add a retry to the HttpClient send method, and add unit tests for the timeout."
    vocabulary = CodeVocabulary(("HttpClient",), DiffContext((ChangedFile("net/http.py", "M"),), ""))
    assert compose_commit_draft(said, vocabulary, ComposeFlags(), repo).text == compose_commit_message(
        said, vocabulary, ComposeFlags(), repo)


# --- end to end: spoken clips through the real `git voice commit` --------------------------------------------

@pytest.mark.slow
def test_a_spoken_breaking_change_gets_the_footer_that_says_what_breaks(repo: Path, tmp_path: Path) -> None:
    _staged(repo, "config/loader.py", LOADER_BEFORE, LOADER_AFTER, branch="fix/42-empty-config")
    clip = _speak(tmp_path, "breaking", "Fix the crash in parse config when the file is empty. "
                                        "Breaking change: the config file is now required.")
    dry = run_git_voice(["commit", "--audio", str(clip), "--dry-run"], repo)
    assert dry.exit_code == 0, dry.stderr
    header, *rest = dry.stdout.rstrip("\n").splitlines()
    assert header.startswith("fix(config)!: ") and not header.startswith("fix(config)!: fix ")
    footer = next(line for line in rest if line.startswith("BREAKING CHANGE: "))
    assert "config file" in footer.lower() and header.split(": ", 1)[1] not in footer.lower()
    assert "gitvoice: warning: no reference was said; the branch name suggests `Fixes #42`" in dry.stderr
    assert "gitvoice: other subject: fix(config)!: " in dry.stderr


@pytest.mark.slow
def test_spoken_tests_that_are_not_in_the_commit_warn(repo: Path, tmp_path: Path) -> None:
    _staged(repo, "net/http.py", HTTP_BEFORE, HTTP_AFTER)
    clip = _speak(tmp_path, "tests", "Add a retry to the send method of the HTTP client, and add unit tests for "
                                     "the timeout.")
    done = run_git_voice(["commit", "--audio", str(clip), "--no-edit"], repo)
    assert done.exit_code == 0, done.stderr
    assert "gitvoice: warning: you mention tests, but the commit changes no test file\n" in done.stderr
    committed = git(repo, "log", "-1", "--format=%B")
    assert not any(line.startswith("#") for line in committed.splitlines())  # no comment line committed
    git(repo, "reset", "-q", "--soft", "HEAD^")
    git(repo, "config", "voice.consistency", "off")
    quiet = run_git_voice(["commit", "--audio", str(clip), "--dry-run"], repo)
    assert quiet.exit_code == 0 and "you mention tests" not in quiet.stderr


@pytest.mark.slow
def test_the_editor_shows_alternatives_warnings_and_the_branch_reference(repo: Path, tmp_path: Path) -> None:
    _staged(repo, "net/http.py", HTTP_BEFORE, HTTP_AFTER, branch="fix/17-send-timeout")
    clip = _speak(tmp_path, "editor", "Fix the crash in the send method when the response is empty. "
                                      "Also add unit tests for the timeout.")
    seen = tmp_path / "seen.txt"
    editor = _script(tmp_path / "editor", f"cp \"$1\" {seen}\n")
    done = run_git_voice(["commit", "--audio", str(clip)], repo, env={"GIT_EDITOR": str(editor)})
    assert done.exit_code == 0, done.stderr
    shown = seen.read_text()
    assert "# Other subjects" in shown
    assert "# - you mention tests, but the commit changes no test file" in shown
    assert "# Fixes #17" in shown
    committed = git(repo, "log", "-1", "--format=%B")
    assert committed.split("\n", 1)[0] == shown.split("\n", 1)[0]
    assert "#" not in committed and "you mention" not in committed
    assert not list((repo / ".git" / "gitvoice" / "drafts").glob("*.editor.txt"))  # the editor copy is gone
