"""What was said against what changed: claims the diff does not support, names it does not contain, and
changes nobody mentioned.

A transcript can say one thing and the diff another: "and add unit tests" with no test file staged, a name that
is a mishearing (`parse_confg`), a second file changed in passing. Each finding is one line for the editor's
comment block or a `--no-edit` warning. Pure and fast: one pass over the diff text, no git (names not in the
diff are looked up in the repository by the caller, gitvoice.git.repo.names_in_repository, and passed in).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from gitvoice.composition.changes import DiffContext
from gitvoice.composition.compose import is_doc_path, is_test_path

FEW_LINES = 10  # changed lines up to which "you did not mention X" says nothing a reviewer needs
MAX_NAMES_SHOWN = 5  # names listed in one finding; the rest are counted
MAX_LOOKUPS = 12  # names said but not in the diff that are looked up in the repository (each is a `git grep`)

_FILE_SUFFIXES = frozenset((
    "py", "pyi", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rs", "java", "kt", "kts", "swift", "rb", "php", "c",
    "h", "cc", "cpp", "hpp", "cs", "m", "mm", "scala", "clj", "ex", "exs", "erl", "hs", "ml", "sh", "bash", "zsh",
    "fish", "ps1", "sql", "html", "htm", "css", "scss", "less", "vue", "svelte", "md", "rst", "txt", "adoc", "toml",
    "yaml", "yml", "json", "jsonc", "cfg", "ini", "conf", "env", "lock", "xml", "proto", "gradle", "tf", "hcl",
    "dockerfile", "mk", "cmake"))
_NOT_NAMES = frozenset({"and/or", "either/or", "i/o", "n/a", "e.g", "i.e", "a/b", "w/o", "tcp/ip", "ci/cd"})

# A clause claims a kind of file changed: "add unit tests for X", "update the docs", "fix the type hints".
_FILLER = r"(?:(?:a|an|the|some|its|their|two|three|four|\d+|more|new|missing|extra|unit|integration|regression|" \
          r"end-to-end|e2e|smoke|snapshot|flaky|failing|broken|existing|proper|basic|few|couple|of)\s+){0,4}"
_CLAIM_VERBS = (r"add|adds|added|adding|write|writes|wrote|writing|written|update|updates|updated|updating|extend|"
                r"extends|extended|include|includes|included|fix|fixes|fixed|improve|improves|improved|with|plus|"
                r"new|cover|covers|covered|expand|expands|expanded|rewrite|rewrote|rewrites")
_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tests", re.compile(rf"\b(?:{_CLAIM_VERBS})\s+{_FILLER}(?:tests?|test\s+cases?|specs?)\b|"
                         r"\b(?:unit|integration|regression|end-to-end|e2e|snapshot)\s+tests?\b|\btest\s+cases?\b|"
                         r"\btest\s+coverage\b|\bcover(?:s|ed)?\s+(?:it|this|that|them)\s+with\s+tests?\b",
                         re.IGNORECASE)),
    ("docs", re.compile(rf"\b(?:{_CLAIM_VERBS}|document)\s+{_FILLER}(?:docs|documentation|readme|changelog|"
                        r"docstrings?|man\s+page|help\s+text|usage\s+notes?)\b|(?:^|[.!?]\s+|\band\s+)"
                        r"document(?:s|ed|ing)?\s+(?:the|how|what|why|it|this|that|a|an)\b", re.IGNORECASE)),
    ("types", re.compile(rf"\b(?:{_CLAIM_VERBS})\s+{_FILLER}(?:type\s+hints?|type\s+annotations?|annotations|"
                         r"types|typing|mypy\s+errors?|type\s+errors?|type\s+checks?)\b|\bfully\s+typed\b",
                         re.IGNORECASE)),
)
_NEGATION = re.compile(r"\b(?:no|not|without|never|n't|skip|skipped|later|follow[- ]up)\b", re.IGNORECASE)
_CLAIM_WORDS = {"tests": "tests", "docs": "documentation", "types": "type annotations"}
_UNSUPPORTED = {"tests": "no test file", "docs": "no documentation", "types": "no type annotations"}

_DIFF_HEADER = re.compile(r"^diff --git a/(.*) b/(.*)$")
_DEFINITION = re.compile(r"\b(?:def|class|function|func|fn|struct|enum|interface|trait|type)\s+"
                         r"(?:\([^)]*\)\s*)?([A-Za-z_$][A-Za-z0-9_$]*)")
_HUNK = re.compile(r"^@@ [^@]* @@ ?(.*)$")
_DOCSTRING_OR_COMMENT = re.compile(r"^\+\s*(?:\"\"\"|'''|/\*\*|\*\s|#\s|//\s|--\s)")
_ANNOTATION = re.compile(r"->\s*[\w\[.]|\w\s*:\s*(?:[A-Z]\w*|int|str|float|bool|bytes|list|dict|tuple|set|None|"
                         r"Any|Optional|Union|Callable|Sequence|Mapping|Iterable|string|number|boolean)\b|"
                         r"\b(?:TypeVar|Protocol|TypedDict|Literal|cast|overload|type:\s*ignore)\b")
_WORD_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Finding:
    kind: str  # "claim", "unknown-name" or "unmentioned"
    message: str  # one line, for a comment in the editor or a warning


@dataclass
class _FileChange:
    path: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)  # names defined or undefined in changed lines, in order


def _changes(context: DiffContext) -> dict[str, _FileChange]:
    """Each changed file's added and removed lines and the names they define, in one pass over the diff."""
    files = {f.path: _FileChange(f.path) for f in context.files}
    current: _FileChange | None = None
    for line in context.diff_text.splitlines():
        if line.startswith("diff --git "):
            match = _DIFF_HEADER.match(line)
            path = match[2] if match else ""
            current = files.setdefault(path, _FileChange(path)) if path else None
            continue
        if current is None or line.startswith(("+++", "---")):
            continue
        if line.startswith("+"):
            current.added.append(line)
        elif line.startswith("-"):
            current.removed.append(line)
        else:
            continue
        for match in _DEFINITION.finditer(line[1:]):
            if match[1] not in current.symbols:
                current.symbols.append(match[1])
    return files


def _spoken(text: str) -> str:
    """Words as a phrase to search: `parse_config`, "parse config" and `parseConfig` all read " parse config "."""
    return " " + " ".join(word.lower() for word in _WORD_SPLIT.split(text) if word) + " "


def _is_mentioned(name: str, said: str) -> bool:
    phrase = _spoken(name)
    return phrase.strip() != "" and phrase in said


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES_SHOWN])
    return shown + (f" and {len(names) - MAX_NAMES_SHOWN} more" if len(names) > MAX_NAMES_SHOWN else "")


# --- claims -------------------------------------------------------------------------------------------------------

def claims(transcript: str) -> tuple[str, ...]:
    """The kinds of change the speaker says the commit contains ("tests", "docs", "types"), each once."""
    found: list[str] = []
    for kind, pattern in _CLAIMS:
        for match in pattern.finditer(transcript):
            clause_start = max(transcript.rfind(mark, 0, match.start()) for mark in (".", ",", ";", "!", "?"))
            if not _NEGATION.search(transcript[clause_start + 1: match.end() + 12]) and kind not in found:
                found.append(kind)
    return tuple(found)


def _supported(kind: str, changes: dict[str, _FileChange]) -> bool:
    if kind == "tests":
        return any(is_test_path(path) for path in changes)
    if kind == "docs":
        return any(is_doc_path(path) for path in changes) or any(
            _DOCSTRING_OR_COMMENT.match(line) for change in changes.values() for line in change.added)
    return any(path.endswith((".pyi", ".d.ts", "py.typed")) for path in changes) or any(
        _ANNOTATION.search(line) for change in changes.values() for line in change.added)


# --- names --------------------------------------------------------------------------------------------------------

def _is_file_name(name: str) -> bool:
    return "/" in name or ("." in name and name.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES)


def named_in(transcript: str) -> tuple[str, ...]:
    """Names of code or files the transcript says: `parse_config`, `HttpClient.send`, `net/http.py`."""
    names: list[str] = []
    for raw in re.findall(r"`([^`]+)`|(\S+)", transcript):
        word = (raw[0] or raw[1]).strip(".,;:!?()[]{}\"'")
        if (not word or word.lower() in _NOT_NAMES or "://" in word or re.fullmatch(r"[\d.]+|v?\d[\w.]*", word)
                or len(word) < 3):
            continue
        shaped = "_" in word or "/" in word or re.search(r"[a-z][A-Z]|[A-Za-z]\.[A-Za-z_]", word) is not None
        if shaped and word not in names:
            names.append(word)
    return tuple(names)


def _terms(name: str) -> tuple[str, ...]:
    """What must be found for `name` to exist: itself, or for `HttpClient.send` each of its parts."""
    if _is_file_name(name) or "." not in name:
        return (name,)
    return (name, *name.split("."))


def _found(name: str, present: Collection[str]) -> bool:
    terms = _terms(name)
    return terms[0] in present or (len(terms) > 1 and all(term in present for term in terms[1:]))


def _in_diff(name: str, context: DiffContext, changes: dict[str, _FileChange]) -> bool:
    terms = _terms(name)
    paths = [path for path in changes]

    def present(term: str) -> bool:
        if _is_file_name(term):
            return any(path == term or path.endswith("/" + term) or path.endswith(term) for path in paths) \
                or term in context.diff_text
        return term in context.diff_text

    return present(terms[0]) or (len(terms) > 1 and all(present(term) for term in terms[1:]))


def names_to_look_up(transcript: str, context: DiffContext) -> tuple[str, ...]:
    """The terms to look for in the repository (for `repository_has` of check_consistency): those of names said
    that the diff does not contain. Empty when the diff alone answers."""
    changes = _changes(context)
    terms: list[str] = []
    for name in named_in(transcript):
        if not _in_diff(name, context, changes):
            terms += [term for term in _terms(name) if term not in terms]
    return tuple(terms[:MAX_LOOKUPS])


_CODE_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _diff_names(changes: dict[str, _FileChange]) -> list[str]:
    """What a misheard name may have meant: changed paths and file names, defined names, then the code-shaped
    names of changed lines (one regular expression pass; diff_identifiers ranks them, which costs more)."""
    names: dict[str, None] = {}
    for path, change in changes.items():
        names.update({path: None, PurePosixPath(path).name: None})
        names.update(dict.fromkeys(change.symbols))
    for change in changes.values():
        for line in (*change.added, *change.removed):
            for word in _CODE_WORD.findall(line[1:]):
                if "_" in word or "." in word or re.search(r"[a-z][A-Z]", word):
                    names[word] = None
    return list(names)


def _nearest(name: str, candidates: list[str]) -> str | None:
    same_kind = [c for c in candidates if _is_file_name(c) == _is_file_name(name)] or candidates
    near_length = [c for c in same_kind if abs(len(c) - len(name)) <= max(2, len(name) // 3)]
    close = difflib.get_close_matches(name, near_length, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in near_length}
        close = [lowered[m] for m in difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)]
    return close[0] if close else None


# --- the check ----------------------------------------------------------------------------------------------------

def check_consistency(transcript: str, context: DiffContext,
                      repository_has: Collection[str] | None = None) -> tuple[Finding, ...]:
    """Findings, most telling first: unsupported claims, names that exist nowhere (with the nearest name of the
    diff), then, for a diff of more than FEW_LINES changed lines, files and symbols never mentioned.

    `repository_has`: which of names_to_look_up's terms the repository contains; None when it was not asked (a
    huge diff), and then names are not judged."""
    if not transcript.strip() or not (context.files or context.diff_text):
        return ()
    changes = _changes(context)
    findings: list[Finding] = []
    for kind in claims(transcript):
        if not _supported(kind, changes):
            findings.append(Finding("claim", f"you mention {_CLAIM_WORDS[kind]}, but the commit changes "
                                             f"{_UNSUPPORTED[kind]}"))
    if repository_has is not None:
        candidates: list[str] | None = None
        for name in named_in(transcript):
            if _in_diff(name, context, changes) or _found(name, repository_has):
                continue
            candidates = _diff_names(changes) if candidates is None else candidates
            nearest = _nearest(name, candidates)
            hint = f"; did you mean `{nearest}`?" if nearest else " (misheard?)"
            findings.append(Finding("unknown-name", f"`{name}` is nowhere in the diff or the repository{hint}"))
    changed_lines = sum(len(c.added) + len(c.removed) for c in changes.values())
    if changed_lines > FEW_LINES:
        findings += _unmentioned(transcript, changes)
    return tuple(findings)


def _unmentioned(transcript: str, changes: dict[str, _FileChange]) -> list[Finding]:
    said = _spoken(transcript)
    lowered = transcript.lower()
    talks_tests = re.search(r"\btests?\b|\bspecs?\b|\bcoverage\b", lowered) is not None
    talks_docs = re.search(r"\bdoc|\breadme\b|\bchangelog\b|\bmanual\b|\bguide\b", lowered) is not None
    files: list[str] = []
    symbols: list[str] = []
    for path, change in changes.items():
        name = PurePosixPath(path).name
        stem = name.split(".", 1)[0]
        public = [s for s in change.symbols if not s.startswith("_")]
        mentioned = (path in transcript or name in transcript or _is_mentioned(stem, said)
                     or (talks_tests and is_test_path(path)) or (talks_docs and is_doc_path(path))
                     or any(_is_mentioned(symbol, said) for symbol in change.symbols))
        if not mentioned:
            files.append(path)
            continue
        symbols += [s for s in public if not _is_mentioned(s, said) and s not in symbols]
    findings = []
    if files:
        plural = "s" if len(files) > 1 else ""
        findings.append(Finding("unmentioned", f"changed file{plural} you did not mention: {_listed(files)}"))
    if symbols:
        plural = "s" if len(symbols) > 1 else ""
        findings.append(Finding("unmentioned", f"changed name{plural} you did not mention: {_listed(symbols)}"))
    return findings
