"""The repository's declared commit conventions: commitlint, commitizen, and gitvoice's own git config.

What a repository declares wins over gitvoice's defaults, so `git voice commit` composes, and the commit-msg hook
accepts, exactly what its other tools enforce: commitlint's rules (the `extends` of
@commitlint/config-conventional, `rules` overrides, `defaultIgnores`) or commitizen's check. Without either, the
rules are @commitlint/config-conventional's, the de facto standard. Git config wins over the files (it is the
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gitvoice.composition.commit_types import DEFAULT_TYPES, CommitType, types_from_names
from gitvoice.composition.commitlint import CONFIG_CONVENTIONAL, RULES, Rule, rules_from_config
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
class CommitizenConfig:
    """What `cz check` needs from a commitizen configuration."""

    name: str = "cz_conventional_commits"  # the commit rules: cz_conventional_commits, cz_jira or cz_customize
    schema_pattern: str | None = None  # cz_customize's [tool.commitizen.customize] schema_pattern
    allowed_prefixes: tuple[str, ...] | None = None  # None: commitizen's own (Merge, Revert, fixup!, ...)


@dataclass(frozen=True)
class MessageRules:
    """How this repository's commit messages are checked: commitlint's semantics, or commitizen's when the
    repository is configured for commitizen."""

    lint_rules: tuple[Rule, ...] = CONFIG_CONVENTIONAL  # commitlint rules in force (config-conventional's default)
    default_ignores: bool = True  # commitlint's built-in ignores: merges, reverts, fixup!, release commits, ...
    commitizen: CommitizenConfig | None = None  # set: decide as `cz check` does instead
    source: str = "@commitlint/config-conventional (gitvoice's default)"  # for messages

    def rule(self, name: str) -> Rule | None:
        return next((rule for rule in self.lint_rules if rule.name == name), None)


@dataclass(frozen=True)
class Conventions:
    types: tuple[CommitType, ...] = DEFAULT_TYPES
    scopes: tuple[str, ...] = ()
    scope_map: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    subject_width: int = DEFAULT_MAX_HEADER_LENGTH  # the whole header line, for composing
    backticks: bool = True
    source: str = "gitvoice defaults"  # where the types came from, for messages
    rules: MessageRules = field(default_factory=MessageRules)  # what the commit-msg check enforces


@dataclass(frozen=True)
class _Declared:
    types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    header_max: int | None = None
    rules: MessageRules | None = None  # None: the file says nothing about checking


def _words(value: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s,]+", value.strip()) if w)


# --- commitlint ---------------------------------------------------------------------------------------------------

_CONVENTIONAL_PRESETS = ("@commitlint/config-conventional", "conventional")  # what `extends` may say for it
_FLOW_VALUE = r"\[[^\]]*\]|-?\d+|'[^']*'|\"[^\"]*\"|[A-Za-z][\w-]*"


def _value_from_text(value: str) -> object:
    """A rule value written in JavaScript, TypeScript or YAML flow style: a list of names, a number or a word."""
    value = value.strip()
    if value.startswith("["):
        return _names_in(value)
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    return value.strip("'\"")


def _rules_from_text(text: str) -> dict[str, list[object]]:
    """commitlint's `rules` as written in JavaScript, TypeScript or YAML: `'type-enum': [2, 'always', [..]]`, or
    YAML's block form (`type-enum:` then `- 2`, `- always`, then the value)."""
    found: dict[str, list[object]] = {}
    for name in RULES:
        flow = re.search(rf"['\"]?\b{re.escape(name)}['\"]?\s*:\s*\[\s*([012])\s*"
                         rf"(?:,\s*['\"]?(always|never)['\"]?\s*(?:,\s*({_FLOW_VALUE})\s*)?)?\]", text)
        if flow:
            found[name] = [int(flow[1]), *([flow[2]] if flow[2] else []),
                           *([_value_from_text(flow[3])] if flow[3] else [])]
            continue
        block = re.search(rf"^\s*{re.escape(name)}\s*:\s*\n\s*-\s*([012])\s*\n\s*-\s*['\"]?(always|never)['\"]?"
                          rf"\s*\n((?:\s*-.*\n?)*)", text, re.MULTILINE)
        if block:
            value = block[3].strip()
            entry: list[object] = [int(block[1]), block[2]]
            if value:
                first = value.splitlines()[0].strip().lstrip("- ").strip()
                if first.startswith("[") or re.fullmatch(r"-?\d+", first) or len(value.splitlines()) == 1:
                    entry.append(_value_from_text(first))
                else:
                    entry.append(tuple(line.strip().lstrip("- ").strip().strip("'\"") for line in value.splitlines()
                                       if line.strip().startswith("-")))
            found[name] = entry
    return found


def _names_in(list_text: str) -> tuple[str, ...]:
    return tuple(m.group(1) or m.group(2) for m in re.finditer(r"['\"]([^'\"]+)['\"]|([A-Za-z][\w-]*)",
                                                                 list_text.strip().strip("[]")))


def _config_from_text(text: str) -> dict[str, Any]:
    """extends, rules and defaultIgnores of a commitlint configuration in JavaScript, TypeScript or YAML."""
    extends: tuple[str, ...] = ()
    flow = re.search(r"\bextends['\"]?\s*:\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\")", text)
    block = re.search(r"^extends\s*:\s*\n((?:\s*-.*\n?)+)", text, re.MULTILINE)
    if flow:
        extends = _names_in(flow[1]) if flow[1].startswith("[") else (flow[1].strip("'\""),)
    elif block:
        extends = tuple(line.strip().lstrip("- ").strip().strip("'\"") for line in block[1].splitlines()
                        if line.strip().startswith("-"))
    ignores = re.search(r"\bdefaultIgnores['\"]?\s*:\s*(true|false)", text)
    return {"extends": list(extends), "rules": _rules_from_text(text),
            "defaultIgnores": ignores is None or ignores[1] == "true"}


def _message_rules(config: Mapping[str, Any], source: str) -> MessageRules:
    """commitlint's resolved rules: config-conventional's when extended, then the configuration's own `rules`
    (a rule set to [0] turns the inherited one off)."""
    extends = config.get("extends") or []
    extends = [extends] if isinstance(extends, str) else list(extends)
    own: dict[str, Any] = config["rules"] if isinstance(config.get("rules"), dict) else {}
    inherited = CONFIG_CONVENTIONAL if any(name in _CONVENTIONAL_PRESETS for name in extends) else ()
    try:
        overrides = rules_from_config({name: list(entry) for name, entry in own.items()
                                       if isinstance(entry, list | tuple)})
    except (ValueError, TypeError):
        overrides = ()  # a rule commitlint itself would refuse: keep the inherited rules
    rules = (*(rule for rule in inherited if rule.name not in own), *overrides)
    return MessageRules(tuple(rules), config.get("defaultIgnores", True) is not False, None, source)


def _declared_from_config(config: Mapping[str, Any], source: str) -> _Declared:
    rules = _message_rules(config, source)
    own: dict[str, Any] = config["rules"] if isinstance(config.get("rules"), dict) else {}

    def declared(name: str) -> object:
        rule = rules.rule(name)
        return rule.value if rule is not None and name in own and rule.level and rule.when == "always" else None

    types, scopes, header = declared("type-enum"), declared("scope-enum"), declared("header-max-length")
    return _Declared(tuple(str(t) for t in types) if isinstance(types, list | tuple) else (),
                     tuple(str(s) for s in scopes) if isinstance(scopes, list | tuple) else (),
                     header if isinstance(header, int) else None, rules)


def _commitlint(root: Path) -> _Declared | None:
    """The first commitlint configuration file in commitlint's own order, else package.json's `commitlint`."""
    for name in COMMITLINT_FILES:
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                config = json.loads(text)
            except ValueError:  # JavaScript, TypeScript or YAML
                return _declared_from_config(_config_from_text(text), f"commitlint ({name})")
            return _declared_from_config(config if isinstance(config, dict) else {}, f"commitlint ({name})")
    package = root / "package.json"
    if not package.is_file():
        return None
    try:
        config = json.loads(package.read_text(encoding="utf-8")).get("commitlint")
    except (ValueError, AttributeError):
        return None
    return _declared_from_config(config, "commitlint (package.json)") if isinstance(config, dict) else None


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
    name = str(cz_settings.get("name") or "cz_conventional_commits")
    customize: dict[str, Any] = cz_settings["customize"] if isinstance(cz_settings.get("customize"), dict) else {}
    pattern = customize.get("schema_pattern") if name == "cz_customize" else None
    prefixes = cz_settings.get("allowed_prefixes")
    check = CommitizenConfig(name, str(pattern) if pattern else None,
                             tuple(str(p) for p in prefixes) if isinstance(prefixes, list) else None)
    rules = MessageRules(CONFIG_CONVENTIONAL, True, check, f"commitizen ({name})")
    if pattern:
        group = re.search(r"\(([\w|-]+)\)", str(pattern))  # "(feat|fix|docs)(\(\S+\))?!?:(\s.*)"
        if group:
            return _Declared(tuple(group.group(1).split("|")), rules=rules)
    for question in customize.get("questions", []) or []:
        if isinstance(question, dict) and question.get("name") in ("change_type", "type", "prefix"):
            values = [c.get("value") for c in question.get("choices", []) if isinstance(c, dict)]
            return _Declared(tuple(str(v) for v in values if v), rules=rules)
    return _Declared(COMMITIZEN_TYPES, rules=rules)


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
            if declared is not None:
                if declared.types or declared.scopes or declared.header_max:
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
    rules = _with_git_config(declared.rules or MessageRules(), types=_words(value(settings.TYPES)),
                             scopes=_words(value(settings.SCOPES)),
                             width=width if value(settings.SUBJECT_WIDTH).strip().isdigit() else None)
    return Conventions(types=types_from_names(types) if types else DEFAULT_TYPES, scopes=scopes,
                       scope_map=MappingProxyType(_scope_map(config.get(settings.SCOPE_MAP.git_key.lower(), []))),
                       subject_width=width, backticks=backticks, source=source, rules=rules)


def _with_git_config(rules: MessageRules, *, types: tuple[str, ...], scopes: tuple[str, ...],
                     width: int | None) -> MessageRules:
    """The user's own voice.types, voice.scopes and voice.subjectWidth as commitlint rules over the files' ones."""
    replaced = {"type-enum": Rule("type-enum", 2, "always", types) if types else None,
                "scope-enum": Rule("scope-enum", 2, "always", scopes) if scopes else None,
                "header-max-length": Rule("header-max-length", 2, "always", width) if width else None}
    chosen = {name: rule for name, rule in replaced.items() if rule is not None}
    if not chosen:
        return rules
    kept = tuple(rule for rule in rules.lint_rules if rule.name not in chosen)
    return replace(rules, lint_rules=(*kept, *chosen.values()))
