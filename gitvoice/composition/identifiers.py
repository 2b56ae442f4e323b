"""Identifiers of the code: which names in a diff are worth spelling as the code does, and what looks like code.

Whisper never writes `fetch_user`: given the identifiers as a prompt it writes "fetch-user", "fetch user" or
"Fetch_User", and without one "fetch user". `diff_identifiers` finds the names worth priming it with (and
restoring: gitvoice.composition.restore).

Pure: no torch, no git; the diff comes in as text.
"""

from __future__ import annotations

import re

from gitvoice.composition.changes import DiffContext


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Keywords and ubiquitous names of common languages: never worth a prompt token.
KEYWORDS = _word_set("""
and as assert async await break class continue def del elif else except finally for from global if import in is
lambda nonlocal not or pass raise return try while with yield self cls print len str int float bool dict list set
tuple bytes object type super range open isinstance
function var let const new this typeof instanceof void delete switch case default do export extends implements
interface package private protected public static throw throws catch enum abstract final native synchronized
transient volatile goto long short byte char double boolean string number any unknown never readonly declare
module namespace require undefined
func go chan defer fallthrough map select struct fmt err
fn impl mut pub use crate mod trait where loop match ref move unsafe extern dyn
echo then fi esac done local
include define ifdef ifndef endif pragma sizeof typedef union unsigned signed static_cast nullptr auto
true false null nil
""")
# Literal constants people say aloud ("returns None"): kept as vocabulary although they are keywords.
SPOKEN_CONSTANTS = frozenset({"None", "True", "False", "null", "nil", "NaN", "undefined"})
# English words too common to ever be taken for code when spoken alone.
FUNCTION_WORDS = _word_set("""
a an the and or not no is are was were be been being to of in on at by for from with as into onto it its this
that these those then than so if but do does did has have had i we you he she they me us my our your their
""")

_WORD_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_DEFINITION_RE = re.compile(
    r"\b(?:def|class|function|func|fn|struct|enum|interface|trait|type|const|let|var|macro)\s+"
    r"(?:\([^)]*\)\s*)?"  # Go method receivers: func (s *Server) Name
    r"([A-Za-z_$][A-Za-z0-9_$]*)"
)
_ASSIGNMENT_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]+)?=(?!=)")  # x = ..., x: int = ..., TOML keys
_HUNK_RE = re.compile(r"^@@ [^@]* @@ ?(.*)$")
_DIFF_GIT_RE = re.compile(r"^diff --git a/(.*) b/(.*)$")
_FLAG_RE = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\w-])")  # "--dry-run" in add_argument(...)
# An issue or pull request named in a comment of a changed line: "(#42)", "# see #1024", "/* #7: ...",
# '"""Regression test for #311."""'. Only after a comment marker: outside comments "#333" is a colour.
_ISSUE_REF_RE = re.compile(r"(?<![\w#&])#([1-9]\d{0,5})(?![\w#])")
_COMMENT_RE = re.compile(r"//|/\*|<!--|\"\"\"|'''|(?:^|\s)(?:#|--|;)(?:\s|$)")
_STRING_RE = re.compile(r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")

# Salience: what the speaker most likely names first.
_WEIGHT_PATH = 100.0  # a changed file's path
_WEIGHT_DEFINITION = 90.0  # a name defined (or undefined) in a changed line
_WEIGHT_HUNK_HEADER = 70.0  # the function a hunk changes
_WEIGHT_FILE_NAME = 50.0  # a changed file's name without its folder
_WEIGHT_ISSUE = 48.0  # an issue a changed comment names ("#42"): what a note on the change often cites
_WEIGHT_USE = 1.0  # per occurrence in a changed line
# Per occurrence of a call or member (a dotted name) in the context line just above a change or the two below
# it: the code a change guards or feeds, which its explanation names ("before calling Math.max" for a guard
# added above `return Math.max(...)`). Only dotted names: plain ones there (types, locals) crowd the prompt.
_WEIGHT_NEARBY = 0.5


def is_code_shaped(word: str) -> bool:
    """True for names no English speaker writes by accident: `fetch_user`, `getUserById`, `os.environ`,
    `api/users.py`. Plain words (`list`, `None`, `URL`) are not."""
    if any(sep in word for sep in "_/") or re.search(r"\w\.\w", word):
        return True
    return bool(re.search(r"[a-z][A-Z]", word)) or bool(re.search(r"[A-Za-z]\d|\d[A-Za-z]", word))


def _is_vocabulary(word: str) -> bool:
    if word in SPOKEN_CONSTANTS or _FLAG_RE.fullmatch(word):
        return True
    if word.lower() in KEYWORDS or word.lower() in FUNCTION_WORDS or len(word) < 2:
        return False
    return is_code_shaped(word)


def _changed_paths(context: DiffContext) -> list[str]:
    paths: list[str] = []
    for changed in context.files:
        paths.extend(p for p in (changed.path, changed.old_path) if p)
    if not paths:
        for line in context.diff_text.splitlines():
            match = _DIFF_GIT_RE.match(line)
            if match:
                paths.extend([match[2], match[1]])
    return list(dict.fromkeys(paths))


def _names_in(line: str) -> list[str]:
    """Dotted names and their parts in a line of code: `os.environ.get` gives os.environ.get, os.environ, os,
    environ, get."""
    names: list[str] = []
    for match in _WORD_RE.finditer(line):
        dotted = match.group(0)
        parts = dotted.split(".")
        names.extend(parts)
        for end in range(2, len(parts) + 1):
            names.append(".".join(parts[:end]))
    return names


def diff_identifiers(context: DiffContext, limit: int = 200) -> list[str]:
    """Identifiers from the diff, most salient first: changed paths and file names, hunk-header names,
    names defined in changed lines, then names used in changed lines by frequency. Keywords and words that
    are not shaped like code are left out (except definitions and spoken constants like `None`)."""
    score: dict[str, float] = {}

    def add(name: str, weight: float) -> None:
        score[name] = score.get(name, 0.0) + weight

    paths = _changed_paths(context)
    for path in paths:
        add(path, _WEIGHT_PATH)
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if name not in score:
            add(name, _WEIGHT_FILE_NAME)
        stem = name.split(".", 1)[0]
        if stem and stem != name and is_code_shaped(stem) and stem not in score:
            add(stem, _WEIGHT_FILE_NAME - 1)  # the module's name: `useFetch` of useFetch.js
    enclosing: list[str] = []  # definitions in a hunk's leading context: the function being changed
    signature: list[str] = []  # the names in the last one's line
    after_change = 0  # context lines still close enough below a change to be what it decorates
    above: list[str] = []  # the names used in the context line before the current one
    for line in context.diff_text.splitlines():
        if line.startswith(("+++", "---", "diff --git", "index ", "similarity", "rename ", "new file", "deleted")):
            continue
        hunk = _HUNK_RE.match(line)
        if hunk:
            enclosing, signature, above = [], [], []
            for match in _DEFINITION_RE.finditer(hunk.group(1)):
                add(match.group(1), _WEIGHT_HUNK_HEADER)
            continue
        if line.startswith(" "):
            # Git names the enclosing function in the hunk header only when it starts before the hunk.
            definitions = [match.group(1) for match in _DEFINITION_RE.finditer(line)]
            enclosing.extend(definitions)
            if definitions:  # and its signature's names: `def load_settings(path=Path("settings.toml"))`
                signature = _names_in(_STRING_RE.sub(lambda m: " " + m.group(0)[1:-1] + " ", line))
            if after_change and definitions:  # a changed decorator or attribute: `#[derive(Clone)]`
                for name in definitions:
                    add(name, _WEIGHT_HUNK_HEADER)
            above = [name for name in _names_in(line[1:]) if "." in name.strip(".")]
            if after_change:
                for name in above:
                    add(name, _WEIGHT_NEARBY)
            after_change = max(0, after_change - 1)
            continue
        if not line.startswith(("+", "-")):
            continue
        for name in enclosing:
            add(name, _WEIGHT_HUNK_HEADER)
        for name in signature:
            add(name, _WEIGHT_USE)
        for name in above:
            add(name, _WEIGHT_NEARBY)
        enclosing, signature, above = [], [], []
        after_change = 2
        code = line[1:]
        for match in _DEFINITION_RE.finditer(code):
            add(match.group(1), _WEIGHT_DEFINITION)
        assigned = _ASSIGNMENT_RE.match(code)
        if assigned and is_code_shaped(assigned.group(1)):
            add(assigned.group(1), _WEIGHT_DEFINITION)
        # Names inside strings count too (`os.environ["DATABASE_URL"]`), but only code-shaped ones survive.
        for name in _names_in(_STRING_RE.sub(lambda m: " " + m.group(0)[1:-1] + " ", code)):
            add(name, _WEIGHT_USE)
        for flag in _FLAG_RE.findall(code):  # command-line options the change adds or removes
            add(flag, _WEIGHT_USE)
        for reference in issue_references(code):
            add(reference, _WEIGHT_ISSUE)
    kept = [name for name in score if _keep(name, score[name])]
    kept.sort(key=lambda name: -score[name])  # stable: ties keep first-seen order
    return kept[:limit]


def issue_references(code: str) -> list[str]:
    """The issues a line's comment names, as "#42"."""
    comment = _COMMENT_RE.search(code)
    if comment is None:
        return []
    return ["#" + match.group(1) for match in _ISSUE_REF_RE.finditer(code, comment.start())]


def _keep(name: str, score: float) -> bool:
    if name.startswith("#"):  # only issue_references adds these
        return True
    if score >= _WEIGHT_FILE_NAME:
        return name.lower() not in KEYWORDS or name in SPOKEN_CONSTANTS
    return _is_vocabulary(name)
