"""A message gitvoice composes always passes the repository's own rules (issue: commit rules that agree with
commitlint and commitizen): every configuration style, transcripts chosen to stress header length, subject case,
types, scopes, long footers and identifiers at the start of the subject."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.hooks.check import check_message, repository_rules
from gitvoice.pipeline.message import ComposeFlags, compose_commit_message
from gitvoice.pipeline.vocabulary import CodeVocabulary

TRANSCRIPTS = (
    "Rename getUserById to fetch_user and update the callers in api/users.py.",
    "HttpClient.send now retries with exponential backoff when the server times out, which it did a lot on "
    "the staging cluster last week, so the import job stops failing every night around three.",
    "Fix the crash in parse_config when the file is empty. This fixes issue forty two.",
    "Drop the v1 endpoints. This is a breaking change: every client must now call the v2 endpoints with an API "
    "token in the Authorization header instead of the session cookie that v1 accepted, and old mobile apps "
    "will stop working until they update.",
    "MAX_RETRIES goes from three to five.",
    "Add unit tests for the timeout path of the HTTP client.",
    "Update the README with the new install steps.",
    "Speed up the diff parser by caching the compiled regular expressions.",
    "Uh, so, basically, I moved the database URL into settings.toml and read it with load_settings instead of "
    "os.environ, because, you know, the environment variable kept getting lost in CI.",
    "Revert the change to the cache key.",
    "Bump the version to 3.11.",
    "Refactor the hook installer so that it never clobbers an existing hook and refs issue 17.",
    "Fix the crash in parse_config when the file is empty. This fixes issue forty two. Breaking change: the config "
    "file is now required.",
    "Fix the crash in parse_config when the file is empty. Breaking change. The config file is now required, and "
    "every deployment must ship one before upgrading, which the release notes explain at length for operators.",
    "Fix the login redirect. This is a fix for number forty two. Refs A B C dash one two three.",
    "Make the parser strict. parse_config no longer accepts an empty file.",
    "Add paging to the user list. Refs seventeen and closes issue 9.",
    "I removed the --legacy option from the CLI.",
    "Add a retry with exponential backoff to the HTTP client send method, and add unit tests for the timeout path.",
)
IDENTIFIERS = ("getUserById", "fetch_user", "api/users.py", "HttpClient.send", "parse_config", "MAX_RETRIES",
               "settings.toml", "load_settings", "os.environ")
CONTEXT = DiffContext(files=(ChangedFile("api/users.py", "M"), ChangedFile("api/http.py", "M")), diff_text="")

STYLES = {
    "no configuration (config-conventional)": {},
    "commitlint extends config-conventional": {
        "package.json": '{"commitlint": {"extends": ["@commitlint/config-conventional"]}}'},
    "commitlint with its own types, scopes and a short header": {
        "commitlint.config.js": "module.exports = {\n  extends: ['@commitlint/config-conventional'],\n  rules: {\n"
                                "    'type-enum': [2, 'always', ['feat', 'fix', 'chore', 'docs', 'test']],\n"
                                "    'scope-enum': [2, 'always', ['api', 'web']],\n"
                                "    'header-max-length': [2, 'always', 60],\n  },\n};\n"},
    "commitlint YAML with a stricter subject case": {
        ".commitlintrc.yml": "extends:\n  - '@commitlint/config-conventional'\nrules:\n"
                             "  subject-case: [2, always, lower-case]\n  body-max-line-length: [2, always, 72]\n"},
    "commitizen conventional commits": {"pyproject.toml": '[tool.commitizen]\nname = "cz_conventional_commits"\n'},
    "commitizen customize": {
        ".cz.toml": '[tool.commitizen]\nname = "cz_customize"\n[tool.commitizen.customize]\n'
                    'schema_pattern = "(feat|fix|chore)(\\\\(\\\\S+\\\\))?!?:(\\\\s.*)"\n'},
}


@pytest.mark.parametrize("style", list(STYLES))
def test_every_composed_message_passes_the_repositorys_rules(repo: Path, style: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in STYLES[style].items():
        (repo / name).write_text(text)
    monkeypatch.chdir(repo)
    rules = repository_rules(repo)
    vocabulary = CodeVocabulary(IDENTIFIERS, CONTEXT)
    failures = []
    for transcript in TRANSCRIPTS:
        message = compose_commit_message(transcript, vocabulary, ComposeFlags(signoff=True), repo)
        verdict = check_message(message, rules)
        if not verdict.passed or verdict.warnings:
            failures.append(f"{message!r}: {[p.name for p in (*verdict.errors, *verdict.warnings)]}")
    assert failures == [], "\n".join(failures)


def test_the_rules_are_the_configured_ones(repo: Path) -> None:
    """The styles above really differ: the short header and the types of the commitlint.config.js style."""
    for name, text in STYLES["commitlint with its own types, scopes and a short header"].items():
        (repo / name).write_text(text)
    rules = repository_rules(repo)
    assert not check_message("refactor(api): " + "x" * 20, rules).passed  # not one of its types
    assert not check_message("fix(api): " + "x" * 51, rules).passed  # 61 > 60
    git(repo, "config", "voice.types", "feat fix refactor")
    assert check_message("refactor(api): tidy the client", repository_rules(repo)).passed
