"""A Conventional Commit from what the developer said and what the staged diff changed.

The speech says why (and usually the verb: "fix", "rename", "speed up"); the diff says what (only tests, only
docs, which folder). Pure: a transcript and a DiffContext in, a CommitMessage out.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from types import MappingProxyType

from gitvoice.composition.breaking import breaking_statement
from gitvoice.composition.changes import DiffContext
from gitvoice.composition.commit_types import DEFAULT_TYPES, CommitType
from gitvoice.composition.commitlint import Rule, lint
from gitvoice.composition.conventional import CommitMessage, Footer
from gitvoice.composition.identifiers import is_code_shaped
from gitvoice.composition.references import STYLE_GITHUB, spoken_references
from gitvoice.composition.subjects import without_repeated_type
from gitvoice.composition.text import (
    BODY_WIDTH,
    capitalized,
    lowercased_start,
    mark_identifiers,
    normalize_numbers,
    remove_fillers,
    sentences,
    summarize,
    wrap_paragraph,
)

FALLBACK_TYPE = "chore"  # when neither the speech nor the diff says what kind of change it is


@dataclass(frozen=True)
class ComposeOptions:
    commit_type: str | None = None  # --type: wins over speech and diff
    scope: str | None = None  # --scope: wins over the scope map and the paths
    breaking: bool = False  # --breaking: `!` and a BREAKING CHANGE footer
    types: tuple[CommitType, ...] = DEFAULT_TYPES  # allowed types (the repository's when it declares them)
    scopes: tuple[str, ...] = ()  # allowed scopes; empty means any scope derived from the paths
    scope_map: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # path prefix -> scope
    subject_width: int = 72  # the whole header's width, type and scope included
    body_width: int = BODY_WIDTH  # wrap the body at this column
    backticks: bool = True  # wrap identifiers in the body in backticks
    identifiers: tuple[str, ...] = ()  # code names from the diff (and hotwords) to mark in the body
    reference_style: str = STYLE_GITHUB  # `Fixes #42` (github) or `Fixes: #42` (trailer): references.py


# --- the kind of change ---------------------------------------------------------------------------------------

_DOC_SUFFIXES = (".md", ".rst", ".txt", ".adoc", ".asciidoc")
_DOC_DIRS = ("docs", "doc", "documentation")
_TEST_DIRS = ("tests", "test", "spec", "specs", "__tests__", "testdata", "fixtures")
_TEST_NAME = re.compile(r"(^test_.*\.py$|_test\.(py|go)$|\.(test|spec)\.[jt]sx?$|Test\.java$|_spec\.rb$)")
_CI_PATHS = (".github/workflows/", ".gitlab-ci.yml", ".circleci/", ".ci/", "azure-pipelines.yml", ".travis.yml",
             "Jenkinsfile", ".buildkite/", ".drone.yml", "appveyor.yml", "bitbucket-pipelines.yml")
_BUILD_NAMES = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "Pipfile.lock",
                "poetry.lock", "uv.lock", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml",
                "Cargo.toml", "Cargo.lock", "go.mod", "go.sum", "Makefile", "CMakeLists.txt", "Dockerfile",
                "build.gradle", "pom.xml", "Gemfile", "Gemfile.lock", "MANIFEST.in", "tox.ini", "noxfile.py")


def _is_test(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(part in _TEST_DIRS for part in parts[:-1]) or bool(_TEST_NAME.search(parts[-1]))


def _is_doc(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return parts[0] in _DOC_DIRS or (path.lower().endswith(_DOC_SUFFIXES) and not _is_test(path))


def is_test_path(path: str) -> bool:
    """Whether a changed path is a test (a tests/ folder, test_x.py, x_test.go, x.spec.ts, ...)."""
    return _is_test(path)


def is_doc_path(path: str) -> bool:
    """Whether a changed path is documentation (docs/, *.md, *.rst, ...)."""
    return _is_doc(path)


def _is_ci(path: str) -> bool:
    return any(path.startswith(p) or path == p.rstrip("/") for p in _CI_PATHS)


def _is_build(path: str) -> bool:
    parts = PurePosixPath(path).parts
    name = parts[-1]
    return name in _BUILD_NAMES or (any(p.startswith("requirements") for p in parts) and name.endswith((".txt", ".in")))


# Types whose definition is about which files change ("docs: documentation only changes"): a cue for one of
# them counts only when the diff touches such a file ("...too easy to forget in tests" is not a test commit).
_FILE_KINDS = {"test": _is_test, "docs": _is_doc, "ci": _is_ci, "build": _is_build}
_SUBORDINATE = re.compile(r",?\s+\b(?:because|since|so that|as|which|when|while|although|though|after|before|until)\b",
                          re.IGNORECASE)


def type_from_diff(context: DiffContext) -> str | None:
    """`test`, `docs`, `ci` or `build` when every changed file is of that kind; otherwise None."""
    paths = [f.path for f in context.files]
    if not paths:
        return None
    for name, kind in (("ci", _is_ci), ("build", _is_build), ("test", _is_test), ("docs", _is_doc)):
        if all(kind(path) for path in paths):
            return name
    return None


def type_from_speech(text: str, types: Sequence[CommitType], paths: Sequence[str] = ()) -> str | None:
    """The type whose cue is said first ("Fix the crash when renaming..." is a fix, not a refactor); a file-kind
    type (test, docs, ci, build) only if one of `paths` is of that kind (or no paths are known)."""
    lowered = text.lower()
    best: tuple[int, int, str] | None = None  # (position, -cue length, type)
    for commit_type in types:
        kind = _FILE_KINDS.get(commit_type.name)
        if kind is not None and paths and not any(kind(path) for path in paths):
            continue
        for cue in commit_type.cues:
            match = re.search(rf"(?<![\w-]){re.escape(cue)}(?![\w-])", lowered)
            if match and (best is None or (match.start(), -len(cue)) < best[:2]):
                best = (match.start(), -len(cue), commit_type.name)
    return best[2] if best else None


def choose_type(transcript: str, context: DiffContext, options: ComposeOptions) -> str:
    names = [t.name for t in options.types]
    if options.commit_type:
        return options.commit_type
    paths = [f.path for f in context.files]
    # What the speaker says first, in main clauses before reasons ("..., because the tests..."), decides.
    main_clauses = [_SUBORDINATE.split(sentence, maxsplit=1)[0] for sentence in sentences(transcript)]
    candidates = [type_from_diff(context), *(type_from_speech(c, options.types, paths) for c in main_clauses),
                  type_from_speech(transcript, options.types, paths)]
    for candidate in candidates:
        if candidate in names:
            return candidate
    if context.files and all(f.status == "A" for f in context.files) and "feat" in names:
        return "feat"  # only new files: something was added
    return FALLBACK_TYPE if FALLBACK_TYPE in names else names[0]


# --- the scope --------------------------------------------------------------------------------------------------

_CONTAINER_DIRS = ("src", "lib", "pkg", "packages", "internal", "source")  # say nothing about the change
_NO_SCOPE_DIRS = (*_TEST_DIRS, *_DOC_DIRS, ".github", ".ci", "scripts")  # the type already says it
_SCOPE_DEPTH = 2  # "gitvoice/audio/capture.py" -> audio; deeper folders make scopes nobody reuses


def _scope_folders(path: str) -> tuple[str, ...]:
    """The folders of `path` that can name a scope: container folders left out wherever they are
    ("web/src/search.ts" -> web, not src)."""
    folders = [folder for folder in PurePosixPath(path).parts[:-1] if folder not in _CONTAINER_DIRS]
    return tuple(folders[:_SCOPE_DEPTH])


def scope_from_paths(paths: Sequence[str], scope_map: Mapping[str, str] | None = None) -> str | None:
    """A configured scope when every path falls under one mapped prefix (the longest); else the deepest folder
    (two levels at most) that every path shares; None when they share none or it is a tests/docs folder."""
    if not paths:
        return None
    for prefix in sorted(scope_map or {}, key=len, reverse=True):  # the longest prefix that covers every path
        if all(path == prefix or path.startswith(prefix.rstrip("/") + "/") for path in paths):
            return (scope_map or {})[prefix]
    folders = [_scope_folders(path) for path in paths]
    common: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if not common or common[0] in _NO_SCOPE_DIRS:
        return None
    return common[-1]


def choose_scope(context: DiffContext, options: ComposeOptions) -> str | None:
    if options.scope:
        return options.scope
    scope = scope_from_paths([f.path for f in context.files], options.scope_map)
    if options.scopes and scope not in options.scopes:
        return None  # the repository allows only its own scopes
    return scope


# --- the subject ------------------------------------------------------------------------------------------------

_BASE_VERB_WORDS = """
add adjust allow avoid bump cache call change check clean clear collapse combine convert correct create delete
deprecate disable document drop enable ensure expose extract fix format guard handle hide ignore implement improve
increase inline introduce keep limit load log lower make mark merge migrate move normalize optimize parse pass pin
prevent raise read record reduce refactor reject remove rename reorder replace report require reset resolve restore
retry return reuse revert rewrite run save separate set show simplify skip sort speed split stop store support
switch test tidy trim turn update upgrade use validate wrap write
"""
_BASE_VERBS = _BASE_VERB_WORDS.split()
_IRREGULAR = {"made": "make", "ran": "run", "wrote": "write", "rewrote": "rewrite", "split": "split", "set": "set",
              "kept": "keep", "sped": "speed", "read": "read", "hid": "hide", "hidden": "hide", "written": "write"}


def _verb_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for verb in _BASE_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        doubled = verb + verb[-1] if re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb) and len(verb) <= 4 else verb
        third = verb[:-1] + "ies" if verb.endswith("y") and verb[-2] not in "aeiou" else (
            verb + "es" if verb.endswith(("s", "x", "z", "ch", "sh")) else verb + "s")
        past = verb[:-1] + "ied" if verb.endswith("y") and verb[-2] not in "aeiou" else (
            verb + "d" if verb.endswith("e") else doubled + "ed")
        for form in (verb, third, past, (doubled if doubled != verb else stem) + "ing"):
            forms.setdefault(form, verb)
    forms.update(_IRREGULAR)
    return forms


VERB_FORMS = _verb_forms()
# Who did it, said before the verb: "This commit renames", "I've fixed", "We now cache", "Here we add".
_AGENT = re.compile(
    r"^(?:(?:in\s+)?this\s+(?:commit|change|patch|pr|pull request|diff)(?:,\s*(?:i|we))?|this|here|now|so|also|"
    r"i(?:'ve|'m| have| am| just)?|we(?:'ve|'re| have| are| just)?|let's|let us|it)\b[\s,]*",
    re.IGNORECASE,
)


# A hedge says nothing a reviewer needs, and a subject that starts with "I" is sentence-case to commitlint:
# "I think the cache key was wrong" -> "the cache key was wrong".
_HEDGE = re.compile(r"^(?:i|we)\s+(?:think|guess|believe|suppose|feel like|am not sure(?: if| whether)?)"
                    r"(?:\s+that)?\b[\s,]*", re.IGNORECASE)


def imperative(sentence: str) -> str:
    """"This commit renames X" / "I fixed X" / "Renaming X" -> "rename X"; a sentence that does not start with
    a known verb (after who did it) is returned as it was."""
    sentence = _HEDGE.sub("", sentence.strip())
    rest = sentence
    for _ in range(3):  # "So this commit now renames": peel the agents, one at a time
        first = rest.split(" ", 1)[0].lower().strip(",")
        if first in VERB_FORMS:
            words = rest.split(" ", 1)
            return VERB_FORMS[first] + (" " + words[1] if len(words) > 1 else "")
        peeled = _AGENT.sub("", rest, count=1)
        if peeled == rest:
            break
        rest = peeled
    return sentence.strip()


def _quoted_leading_code(subject: str, width: int) -> str:
    """"HttpClient.send retries" -> "`HttpClient.send` retries": a subject that starts with a capital is
    sentence-case to commitlint (config-conventional forbids it), and a name of the code cannot be lowercased;
    commitlint does not judge the case of quoted text."""
    first, _, rest = subject.partition(" ")
    if not first[:1].isupper() or not is_code_shaped(first.rstrip(",.;:")):
        return subject
    quoted = f"`{first}`" + (f" {rest}" if rest else "")
    return quoted if len(quoted) <= width else f"`{first}` " + summarize(rest, width - len(first) - 3)


def subject_in_case(message: CommitMessage, rules: Sequence[Rule], identifiers: Sequence[str]) -> CommitMessage:
    """`message` with a subject that satisfies the repository's subject-case rule when gitvoice's own casing does
    not (a repository that wants lower-case throughout): names of the code go in backticks, which commitlint does
    not judge, and the other words are lowercased. Unchanged when no repair satisfies the rule."""
    case_rules = tuple(rule for rule in rules if rule.name in ("subject-case", "header-max-length"))
    if not any(rule.name == "subject-case" for rule in case_rules):
        return message

    def passes(subject: str) -> bool:
        return lint(replace(message, subject=subject, body="", footers=()).header + "\n", case_rules).valid

    if passes(message.subject):
        return message
    quoted = mark_identifiers(message.subject, [*identifiers, *(w.strip(",.;:") for w in message.subject.split()
                                                                if is_code_shaped(w.strip(",.;:")))])
    lowered = re.sub(r"`[^`]*`|[^`\s]+", lambda m: m.group(0) if m.group(0).startswith("`") else m.group(0).lower(),
                     quoted)
    for candidate in (quoted, lowered):
        if passes(candidate):
            return replace(message, subject=candidate)
    return message


def _footer_lines(token: str, value: str, width: int) -> str:
    """A long footer value on several lines (git continues a trailer on the lines after it), each within
    `width` with the token: config-conventional limits footer lines to 100 characters."""
    first = textwrap.wrap(value, width - len(token) - 2, break_long_words=False, break_on_hyphens=False)
    if len(first) <= 1:
        return value
    rest = textwrap.wrap(value[len(first[0]):].strip(), width - 1, break_long_words=False, break_on_hyphens=False)
    return "\n".join([first[0], *rest])


def compose_subject(sentence: str, width: int, commit_type: str | None = None) -> tuple[str, bool]:
    """(the subject, whether the sentence had to be shortened to make it); the type's own word is not repeated
    as its verb ("fix: fix the crash ..." -> "fix: handle ...")."""
    full = lowercased_start(imperative(sentence).strip().rstrip(".!?;:,").strip())
    if commit_type:
        full = without_repeated_type(full, commit_type)
    subject = summarize(full, width)
    return subject, subject != full


PLACEHOLDER_SUBJECT = "describe the change"
MIN_SUBJECT_WORDS = 3  # "fix it" says nothing a reviewer can use; "3" or "chore(api): update" even less


def subject_problem(subject: str) -> str | None:
    """Why `subject` must not be committed unseen (a bare number, a single token, fewer than three words, the
    placeholder), or None when it is a real subject."""
    words = [word for word in subject.split() if any(char.isalnum() for char in word)]
    if subject == PLACEHOLDER_SUBJECT or not words:
        return "nothing usable was said for the subject"
    if all(re.fullmatch(r"[\d.,:;#%-]+", word) for word in words):
        return f"the subject would be a bare number ({subject!r})"
    if len(words) < MIN_SUBJECT_WORDS:
        return f"the subject would be {len(words)} word{'s' if len(words) > 1 else ''} ({subject!r})"
    return None


def _first_usable(parts: Sequence[str]) -> int:
    """The index of the first sentence that makes a real subject (0 when none does: the editor shows it)."""
    for index, sentence in enumerate(parts):
        if subject_problem(lowercased_start(imperative(sentence).strip().rstrip(".!?;:,").strip())) is None:
            return index
    return 0


# --- the message ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Analysis:
    """What composing found out, shared by the message and the alternative subjects (alternatives.py)."""

    commit_type: str
    scope: str | None
    breaking: bool
    prefix: str  # "fix(config)!: "
    parts: tuple[str, ...]  # the sentences left for subject and body (references and breaking clauses gone)
    chosen: int  # the sentence the subject comes from
    broken: str | None  # what breaks, for the footer
    footers: tuple[Footer, ...]  # the spoken references


def analyse(transcript: str, context: DiffContext, options: ComposeOptions) -> Analysis:
    text = normalize_numbers(remove_fillers(transcript))
    text, footers = spoken_references(text, options.reference_style)
    said = breaking_statement(text)
    breaking = options.breaking or said.said
    commit_type = choose_type(transcript, context, options)
    scope = choose_scope(context, options)
    prefix = f"{commit_type}{f'({scope})' if scope else ''}{'!' if breaking else ''}: "
    parts = sentences(said.kept)
    if not parts and said.statement:
        parts = sentences(said.statement)
    return Analysis(commit_type, scope, breaking, prefix, tuple(parts), _first_usable(parts), said.statement,
                    footers)


def subject_from(sentence: str, analysis: Analysis, options: ComposeOptions) -> tuple[str, bool]:
    """(a subject from one sentence in this message's type, width and casing, whether it was shortened)."""
    width = options.subject_width - len(analysis.prefix)
    subject, shortened = compose_subject(sentence, width, analysis.commit_type)
    return (_quoted_leading_code(subject, width) if subject else subject), shortened


def compose_message(transcript: str, context: DiffContext, options: ComposeOptions) -> CommitMessage:
    """The Conventional Commit for a transcript whose identifiers are already restored (composition/restore.py).

    The subject comes from the first sentence that makes a real subject (see subject_problem); fragments before
    it are dropped."""
    analysis = analyse(transcript, context, options)
    parts, chosen = analysis.parts, analysis.chosen
    subject, shortened = subject_from(parts[chosen], analysis, options) if parts else ("", False)
    if not subject:
        subject = PLACEHOLDER_SUBJECT  # nothing usable was said; the editor shows it to the user
    # Sentences before the chosen one are fragments ("3."): noise the decoder made, not something said.
    body_sentences = parts[chosen:] if shortened else parts[chosen + 1:]
    marked = options.identifiers if options.backticks else ()
    prose = " ".join(capitalized(s) for s in body_sentences)
    if prose and prose[-1].isalnum():
        prose += "."  # the speaker's last sentence, finished
    body = wrap_paragraph(mark_identifiers(prose, marked), options.body_width)
    footers = analysis.footers
    if analysis.breaking:
        what = analysis.broken or capitalized(subject)
        footers = (*footers, Footer("BREAKING CHANGE", _footer_lines("BREAKING CHANGE", what, options.body_width)))
    return CommitMessage(type=analysis.commit_type, scope=analysis.scope, breaking=analysis.breaking,
                         subject=subject, body=body, footers=footers)
