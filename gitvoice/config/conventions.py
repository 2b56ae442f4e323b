"""The repository's declared commit conventions: commitlint, commitizen, and gitvoice's own git config.

What a repository declares wins over gitvoice's defaults, so `git voice commit` composes, and the commit-msg hook
accepts, exactly the types (and scopes) its other tools enforce. Git config wins over the files (it is the
user's own override). Reading is best effort: a file we cannot parse is ignored, never fatal.

git config keys (all optional):
  voice.types         "feat fix docs ..." (spaces or commas): the allowed commit types
  voice.scopes        allowed scopes; unset: any scope
  voice.scopeMap      "PATH-PREFIX=SCOPE", repeatable (or comma separated): scopes for folders
  voice.subjectWidth  the header's maximum length (default 72)
  voice.backticks     false: do not put identifiers in the body in backticks
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gitvoice.composition.commit_types import DEFAULT_TYPES, CommitType, types_from_names
from gitvoice.composition.conventional import DEFAULT_MAX_HEADER_LENGTH
from gitvoice.config import settings
from gitvoice.git.repo import repo_root

# commitizen's cz_conventional_commits: the types its `cz check` pattern accepts.
COMMITIZEN_TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert",
                    "bump")
COMMITLINT_FILES = (".commitlintrc", ".commitlintrc.json", ".commitlintrc.yaml", ".commitlintrc.yml",
                    ".commitlintrc.js", ".commitlintrc.cjs", ".commitlintrc.mjs", ".commitlintrc.ts",
                    "commitlint.config.js", "commitlint.config.cjs", "commitlint.config.mjs", "commitlint.config.ts")


@dataclass(frozen=True)
class Conventions:
    types: tuple[CommitType, ...] = DEFAULT_TYPES
    scopes: tuple[str, ...] = ()
    scope_map: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    subject_width: int = DEFAULT_MAX_HEADER_LENGTH  # the whole header line
    backticks: bool = True
    source: str = "gitvoice defaults"  # where the types came from, for messages


@dataclass(frozen=True)
class _Declared:
    types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    header_max: int | None = None


def _words(value: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s,]+", value.strip()) if w)


# --- commitlint ---------------------------------------------------------------------------------------------------

def _rule_from_json(rules: Any, name: str) -> Any:
    """The value of an enabled `always` rule: [2, "always", VALUE] -> VALUE."""
    rule = rules.get(name) if isinstance(rules, dict) else None
    if isinstance(rule, list) and len(rule) >= 3 and rule[0] and rule[1] == "always":
        return rule[2]
    return None


def _rule_from_text(text: str, name: str) -> str | None:
    """The third element of a rule written in JavaScript, TypeScript or YAML: `'type-enum': [2, 'always', [..]]`,
    or YAML's block form (`type-enum:` then `- 2`, `- always`, then the value)."""
    flow = re.search(rf"['\"]?{re.escape(name)}['\"]?\s*:\s*\[\s*2\s*,\s*['\"]?always['\"]?\s*,\s*(\[[^\]]*\]|\d+)",
                     text)
    if flow:
        return flow.group(1)
    block = re.search(rf"^(\s*){re.escape(name)}\s*:\s*\n\s*-\s*2\s*\n\s*-\s*['\"]?always['\"]?\s*\n((?:\s*-.*\n?)+)",
                      text, re.MULTILINE)
    if block:
        value = block.group(2).strip()
        if value.startswith("- [") or value.startswith("-["):
            return value.lstrip("- ")
        if re.fullmatch(r"-\s*\d+", value.splitlines()[0].strip()):
            return value.splitlines()[0].strip().lstrip("- ")
        return "[" + ", ".join(line.strip().lstrip("- ").strip() for line in value.splitlines()
                               if line.strip().startswith("-")) + "]"
    return None


def _names_in(list_text: str) -> tuple[str, ...]:
    return tuple(m.group(1) or m.group(2) for m in re.finditer(r"['\"]([^'\"]+)['\"]|([A-Za-z][\w-]*)",
                                                                 list_text.strip("[]")))


def _declared_from_json(rules: Any) -> _Declared:
    types, scopes, header = (_rule_from_json(rules, n) for n in ("type-enum", "scope-enum", "header-max-length"))
    return _Declared(tuple(types) if isinstance(types, list) else (),
                     tuple(scopes) if isinstance(scopes, list) else (),
                     header if isinstance(header, int) else None)


def _declared_from_text(text: str) -> _Declared:
    types, scopes, header = (_rule_from_text(text, n) for n in ("type-enum", "scope-enum", "header-max-length"))
    return _Declared(_names_in(types) if types else (), _names_in(scopes) if scopes else (),
                     int(header) if header and header.isdigit() else None)


def _commitlint(root: Path) -> _Declared | None:
    """The first commitlint configuration file in commitlint's own order, else package.json's `commitlint`."""
    for name in COMMITLINT_FILES:
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                return _declared_from_json(json.loads(text).get("rules", {}))
            except (ValueError, AttributeError):  # JavaScript, TypeScript or YAML
                return _declared_from_text(text)
    package = root / "package.json"
    if not package.is_file():
        return None
    try:
        rules = (json.loads(package.read_text(encoding="utf-8")).get("commitlint") or {}).get("rules")
    except (ValueError, AttributeError):
        return None
    return None if rules is None else _declared_from_json(rules)


# --- commitizen ---------------------------------------------------------------------------------------------------

def _commitizen_settings(root: Path) -> dict[str, Any] | None:
    try:
        import tomllib
    except ImportError:  # Python 3.10: commitizen's TOML settings are not read
        return None
    for name, table in ((".cz.toml", ("tool", "commitizen")), ("cz.toml", ("tool", "commitizen")),
                        ("pyproject.toml", ("tool", "commitizen"))):
        path = root / name
        if path.is_file():
            try:
                data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            for key in table:
                data = data.get(key) if isinstance(data, dict) else None
            if isinstance(data, dict):
                return data
    for name in (".cz.json", "cz.json"):
        path = root / name
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8")).get("commitizen")
            except (ValueError, AttributeError):
                continue
            if isinstance(data, dict):
                return data
    return None


def _commitizen(root: Path) -> _Declared | None:
    cz_settings = _commitizen_settings(root)
    if cz_settings is None:
        return None
    customize = cz_settings.get("customize")
    if isinstance(customize, dict):
        pattern = str(customize.get("schema_pattern", ""))
        group = re.search(r"\(([\w|-]+)\)", pattern)  # "(feat|fix|docs)(\(\S+\))?!?:(\s.*)"
        if group:
            return _Declared(tuple(group.group(1).split("|")))
        for question in customize.get("questions", []) or []:
            if isinstance(question, dict) and question.get("name") in ("change_type", "type", "prefix"):
                values = [c.get("value") for c in question.get("choices", []) if isinstance(c, dict)]
                return _Declared(tuple(str(v) for v in values if v))
    return _Declared(COMMITIZEN_TYPES)


# --- git config ---------------------------------------------------------------------------------------------------

def _scope_map(entries: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for entry in entries:
        for item in entry.split(","):
            prefix, separator, scope = item.strip().partition("=")
            if separator and prefix.strip() and scope.strip():
                mapping[prefix.strip().strip("/")] = scope.strip()
    return mapping


def repository_conventions(cwd: Path | None = None) -> Conventions:
    """The conventions in force: git config's voice.* over commitlint's or commitizen's files over defaults."""
    root = repo_root(cwd)
    declared, source = None, "gitvoice defaults"
    if root is not None:
        for reader, name in ((_commitlint, "commitlint configuration"), (_commitizen, "commitizen configuration")):
            declared = reader(root)
            if declared is not None and (declared.types or declared.scopes or declared.header_max):
                source = name
                break
    declared = declared or _Declared()
    config = settings.voice_config(cwd)  # one git call: the commit-msg hook runs this on every commit

    def value(setting: settings.Setting) -> str:
        return settings.resolve_with_source(setting, None, cwd, config).value

    types = _words(value(settings.TYPES)) or declared.types
    if _words(value(settings.TYPES)):
        source = "git config voice.types"
    scopes = _words(value(settings.SCOPES)) or declared.scopes
    width = declared.header_max or DEFAULT_MAX_HEADER_LENGTH
    if value(settings.SUBJECT_WIDTH).strip().isdigit():
        width = int(value(settings.SUBJECT_WIDTH))
    backticks = value(settings.BACKTICKS).strip().lower() not in ("false", "no", "off", "0")
    return Conventions(types=types_from_names(types) if types else DEFAULT_TYPES, scopes=scopes,
                       scope_map=MappingProxyType(_scope_map(config.get(settings.SCOPE_MAP.git_key.lower(), []))),
                       subject_width=width, backticks=backticks, source=source)
