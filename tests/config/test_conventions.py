"""A repository's declared conventions (commitlint, commitizen, git config) drive composing and checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_main
from support import git

from gitvoice.composition.commit_types import DEFAULT_TYPES
from gitvoice.config.conventions import COMMITIZEN_TYPES, repository_conventions

COMMITLINT_JS = """module.exports = {
  extends: ['@commitlint/config-conventional'],
  rules: {
    'type-enum': [2, 'always', ['feat', 'fix', 'infra']],
    'scope-enum': [2, 'always', ["api", "web"]],
    'header-max-length': [2, 'always', 100],
  },
};
"""
COMMITLINT_YAML_BLOCK = """extends:
  - "@commitlint/config-conventional"
rules:
  type-enum:
    - 2
    - always
    - - feat
      - fix
      - deps
"""
COMMITLINT_YAML_FLOW = "rules:\n  type-enum: [2, always, [feat, fix, release]]\n"


def _names(repo: Path) -> tuple[str, ...]:
    return tuple(t.name for t in repository_conventions(repo).types)


def test_defaults_without_any_declaration(repo: Path) -> None:
    conventions = repository_conventions(repo)
    assert conventions.types == DEFAULT_TYPES and conventions.scopes == () and conventions.subject_width == 72
    assert conventions.source == "gitvoice defaults"


@pytest.mark.parametrize(("name", "text", "types"), [
    ("commitlint.config.js", COMMITLINT_JS, ("feat", "fix", "infra")),
    (".commitlintrc.json", '{"rules": {"type-enum": [2, "always", ["feat", "chore"]]}}', ("feat", "chore")),
    (".commitlintrc.yml", COMMITLINT_YAML_BLOCK, ("feat", "fix", "deps")),
    (".commitlintrc.yaml", COMMITLINT_YAML_FLOW, ("feat", "fix", "release")),
    ("package.json", '{"name": "x", "commitlint": {"rules": {"type-enum": [2, "always", ["ship", "fix"]]}}}',
     ("ship", "fix")),
    ("pyproject.toml", '[tool.commitizen]\nname = "cz_conventional_commits"\n', COMMITIZEN_TYPES),
    (".cz.toml", '[tool.commitizen]\nname = "cz_customize"\n[tool.commitizen.customize]\n'
                 'schema_pattern = "(feature|hotfix)(\\\\(\\\\S+\\\\))?!?:(\\\\s.*)"\n', ("feature", "hotfix")),
])
def test_declared_types_are_read(repo: Path, name: str, text: str, types: tuple[str, ...]) -> None:
    (repo / name).write_text(text)
    assert _names(repo) == types


def test_commitlint_scopes_and_header_length(repo: Path) -> None:
    (repo / "commitlint.config.js").write_text(COMMITLINT_JS)
    conventions = repository_conventions(repo)
    assert conventions.scopes == ("api", "web") and conventions.subject_width == 100
    assert conventions.source == "commitlint configuration"


def test_a_config_without_type_rules_keeps_the_defaults(repo: Path) -> None:
    (repo / ".commitlintrc.json").write_text('{"extends": ["@commitlint/config-conventional"]}')
    assert repository_conventions(repo).types == DEFAULT_TYPES
    (repo / ".commitlintrc.json").write_text("{ not json")
    assert repository_conventions(repo).types == DEFAULT_TYPES  # unreadable: ignored, never fatal


def test_git_config_overrides_the_files(repo: Path) -> None:
    (repo / "commitlint.config.js").write_text(COMMITLINT_JS)
    git(repo, "config", "voice.types", "feat, fix, chore, ops")
    git(repo, "config", "voice.subjectWidth", "60")
    git(repo, "config", "--add", "voice.scopeMap", "gitvoice/audio=audio")
    git(repo, "config", "--add", "voice.scopeMap", "docs=manual, hooks/=hooks")
    git(repo, "config", "voice.backticks", "false")
    conventions = repository_conventions(repo)
    assert _names(repo) == ("feat", "fix", "chore", "ops")
    assert conventions.subject_width == 60 and conventions.backticks is False
    assert dict(conventions.scope_map) == {"gitvoice/audio": "audio", "docs": "manual", "hooks": "hooks"}
    assert conventions.scopes == ("api", "web")  # still from commitlint


def test_check_uses_the_repository_types(repo: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "commitlint.config.js").write_text(COMMITLINT_JS)
    assert run_main(["check", "-m", "infra(api): move the runners"], capsys).exit_code == 0
    result = run_main(["check", "-m", "chore(api): tidy"], capsys)
    assert result.exit_code == 1 and "✖ type-enum: type must be one of [feat, fix, infra]" in result.stderr
    result = run_main(["check", "-m", "feat(cli): add a flag"], capsys)
    assert result.exit_code == 1 and "scope" in result.stderr
