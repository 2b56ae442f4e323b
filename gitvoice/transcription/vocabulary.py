"""Code-aware vocabulary: identifiers from the staged diff, and their exact spelling restored in transcripts.

Whisper never writes `fetch_user`: given the identifiers as a prompt it writes "fetch-user", "fetch user" or
"Fetch_User", and without one "fetch user". `diff_identifiers` finds the names worth priming it with;
`restore_identifiers` turns a run of spoken words that spells one of them back into the exact identifier.

Pure: no torch, no git; the diff comes in as text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

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
_STRING_RE = re.compile(r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")

# Salience: what the speaker most likely names first.
_WEIGHT_PATH = 100.0  # a changed file's path
_WEIGHT_DEFINITION = 90.0  # a name defined (or undefined) in a changed line
_WEIGHT_HUNK_HEADER = 70.0  # the function a hunk changes
_WEIGHT_FILE_NAME = 50.0  # a changed file's name without its folder
_WEIGHT_USE = 1.0  # per occurrence in a changed line


def is_code_shaped(word: str) -> bool:
    """True for names no English speaker writes by accident: `fetch_user`, `getUserById`, `os.environ`,
    `api/users.py`. Plain words (`list`, `None`, `URL`) are not."""
    if any(sep in word for sep in "_/") or re.search(r"\w\.\w", word):
        return True
    return bool(re.search(r"[a-z][A-Z]", word)) or bool(re.search(r"[A-Za-z]\d|\d[A-Za-z]", word))


def _is_vocabulary(word: str) -> bool:
    if word in SPOKEN_CONSTANTS:
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
    enclosing: list[str] = []  # definitions in a hunk's leading context: the function being changed
    for line in context.diff_text.splitlines():
        if line.startswith(("+++", "---", "diff --git", "index ", "similarity", "rename ", "new file", "deleted")):
            continue
        hunk = _HUNK_RE.match(line)
        if hunk:
            enclosing = []
            for match in _DEFINITION_RE.finditer(hunk.group(1)):
                add(match.group(1), _WEIGHT_HUNK_HEADER)
            continue
        if line.startswith(" "):
            # Git names the enclosing function in the hunk header only when it starts before the hunk.
            enclosing.extend(match.group(1) for match in _DEFINITION_RE.finditer(line))
            continue
        if not line.startswith(("+", "-")):
            continue
        for name in enclosing:
            add(name, _WEIGHT_HUNK_HEADER)
        enclosing = []
        code = line[1:]
        for match in _DEFINITION_RE.finditer(code):
            add(match.group(1), _WEIGHT_DEFINITION)
        assigned = _ASSIGNMENT_RE.match(code)
        if assigned and is_code_shaped(assigned.group(1)):
            add(assigned.group(1), _WEIGHT_DEFINITION)
        # Names inside strings count too (`os.environ["DATABASE_URL"]`), but only code-shaped ones survive.
        for name in _names_in(_STRING_RE.sub(lambda m: " " + m.group(0)[1:-1] + " ", code)):
            add(name, _WEIGHT_USE)
    kept = [name for name in score if _keep(name, score[name])]
    kept.sort(key=lambda name: -score[name])  # stable: ties keep first-seen order
    return kept[:limit]


def _keep(name: str, score: float) -> bool:
    if score >= _WEIGHT_FILE_NAME:
        return name.lower() not in KEYWORDS or name in SPOKEN_CONSTANTS
    return _is_vocabulary(name)


# --- restoring identifiers in a transcript ---------------------------------------------------------------

# Spoken punctuation inside a name: "api slash users dot py", "load underscore settings".
_SPOKEN_SYMBOLS = {"dot": ".", "slash": "/", "underscore": "_", "dash": "-", "hyphen": "-"}
# How people say common file extensions aloud, and what Whisper writes for them ("dot pie", "settings.tommel").
_SPOKEN_EXTENSIONS = {
    "py": ("pie", "pi", "pye"),
    "toml": ("tommel", "tomel", "tomml", "tom-l"),
    "yaml": ("yamel", "yammel", "yamil"),
    "yml": ("yamel", "yammel", "yamil"),
    "json": ("jason", "jayson"),
    "md": ("markdown",),
    "js": ("jay-ess", "jays"),
    "rs": ("rust",),
}
_EDGE_PUNCT = "\"'()[]{}<>,;:!?`"
_MIN_FUZZY_LENGTH = 6
_FUZZY_RATIO = 0.8  # difflib ratio: "getuserid" vs "getuserbyid" is 0.9
_MIN_COMPLETION_LENGTH = 4  # letters in a cut-off fragment before we complete it
_FUZZY_MARGIN = 0.05  # the best candidate must beat the next by this much


@dataclass(frozen=True)
class _Token:
    start: int  # character span of the word in the text, edge punctuation excluded
    end: int
    word: str  # the word without edge punctuation
    closes: bool  # punctuation after it ends a run (a comma: "fetch user, and")
    opens: bool  # punctuation before it starts a run


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in re.finditer(r"\S+", text):
        chunk = match.group(0)
        left = len(chunk) - len(chunk.lstrip(_EDGE_PUNCT))
        core = chunk.strip(_EDGE_PUNCT)
        # A sentence's full stop is not part of a name: "users.py." -> "users.py" then ".".
        core = core.rstrip(".")
        core = core.strip(_EDGE_PUNCT)
        if not core:
            continue
        start = match.start() + left
        end = start + len(core)
        tokens.append(_Token(start, end, core, closes=end < match.end(), opens=left > 0))
    return tokens


def _identifier_key(identifier: str) -> str:
    """Case and word separators ignored; `.` and `/` kept, since they are spoken ("dot", "slash")."""
    return re.sub(r"[\s_\-]", "", identifier.lower())


def _spoken_key(words: list[str]) -> str:
    """The key of a run of transcript words, with spoken symbols and extension names read as code."""
    parts: list[str] = []
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in _SPOKEN_SYMBOLS and 0 < index < len(words) - 1:
            parts.append(_SPOKEN_SYMBOLS[lower])
            continue
        if index > 0 and parts and parts[-1] == ".":
            lower = _extension_for(lower)
        elif "." in lower:
            stem, _, suffix = lower.rpartition(".")
            lower = f"{stem}.{_extension_for(suffix)}"
        parts.append(lower)
    return _identifier_key("".join(parts))


def _extension_for(spoken: str) -> str:
    for extension, sounds in _SPOKEN_EXTENSIONS.items():
        if spoken in sounds:
            return extension
    return spoken


def _is_plain_word(word: str) -> bool:
    return word.isalpha() and not re.search(r"[a-z][A-Z]", word)


def _restorable(run: list[_Token], identifier: str) -> bool:
    """Whether a matching run of words really names the identifier rather than resembling it by accident."""
    words = [t.word for t in run]
    if len(words) == 1:
        word = words[0]
        # A lone plain word stays a word: "list" even if the diff defines `list`, "setup" even if it
        # has `set_up`. Only a word written like code ("fetch-user", "FetchUser", "users.py") is taken.
        return word == identifier or not _is_plain_word(word)
    # "is valid" -> `is_valid`, "to json" -> `to_json`: two plain words led or closed by a function word
    # are far likelier English than code.
    return not (len(words) == 2 and all(_is_plain_word(w) for w in words)
                and (words[0].lower() in FUNCTION_WORDS or words[-1].lower() in FUNCTION_WORDS))


_MAX_RUN_WORDS = 8


def restore_identifiers(text: str, identifiers: Iterable[str]) -> str:
    """`text` with each run of words that spells an identifier (separators and case ignored) replaced by it:
    "fetch user" -> `fetch_user`, "get user by ID" -> `getUserById`, "A P I slash users dot pie" ->
    `api/users.py`. Plain English words that merely equal a non-code identifier ("list") stay words; a
    code-shaped word that misses a diff identifier by a letter or two ("getUserId") becomes it."""
    by_key: dict[str, str] = {}
    for identifier in identifiers:
        identifier = identifier.strip()
        key = _identifier_key(identifier)
        if key and key not in by_key:
            by_key[key] = identifier
    if not by_key:
        return text
    tokens = _tokens(text)
    replacements: list[tuple[int, int, str]] = []
    index = 0
    while index < len(tokens):
        match = _longest_match(tokens, index, by_key)
        if match is None:
            index += 1
            continue
        length, identifier = match
        run = tokens[index : index + length]
        replacements.append((run[0].start, run[-1].end, identifier))
        index += length
    replacements.extend(_article_none(tokens, by_key, {start for start, _, _ in replacements}))
    for start, end, identifier in sorted(replacements, reverse=True):
        text = text[:start] + identifier + text[end:]
    return text


def _longest_match(tokens: list[_Token], index: int, by_key: dict[str, str]) -> tuple[int, str] | None:
    for length in range(min(_MAX_RUN_WORDS, len(tokens) - index), 0, -1):
        run = tokens[index : index + length]
        if any(t.closes for t in run[:-1]) or any(t.opens for t in run[1:]):
            continue
        words = [t.word for t in run]
        if words[0].lower() in _SPOKEN_SYMBOLS or words[-1].lower() in _SPOKEN_SYMBOLS:
            continue
        identifier = by_key.get(_spoken_key(words))
        if identifier is not None and _restorable(run, identifier):
            return length, identifier
    token = tokens[index]
    fuzzy = _fuzzy_identifier(token.word, by_key)
    if fuzzy is None and index == len(tokens) - 1 and not token.closes:
        fuzzy = _completed_identifier(token.word, by_key)
    return (1, fuzzy) if fuzzy else None


def _completed_identifier(word: str, by_key: dict[str, str]) -> str | None:
    """The one identifier a cut-off last word begins ("os.en" for `os.environ`). Primed with a name, Whisper
    sometimes ends the transcript in the middle of it (a premature end-of-segment timestamp); a transcript
    that stops without a full stop on a code-shaped fragment of exactly one diff identifier gets it back."""
    if not is_code_shaped(word):
        return None
    key = _spoken_key([word])
    if len(_loose(key)) < _MIN_COMPLETION_LENGTH or key in by_key:
        return None
    matches = [identifier for candidate, identifier in by_key.items()
               if candidate.startswith(key) and is_code_shaped(identifier)]
    return matches[0] if len(matches) == 1 else None


def _fuzzy_identifier(word: str, by_key: dict[str, str]) -> str | None:
    """The one identifier a code-shaped word almost spells ("getUserId" for `getUserById`, "pis-users.py"
    for `api/users.py`): Whisper writes such words only because the prompt primed it with the real one."""
    if not is_code_shaped(word) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", word):
        return None
    key = _spoken_key([word])
    if key in by_key:
        return None
    # Compare letters and digits only: Whisper swaps separators freely ("api-users.py" for `api/users.py`).
    loose = _loose(key)
    if len(loose) < _MIN_FUZZY_LENGTH:
        return None
    scored = sorted(((SequenceMatcher(None, loose, _loose(candidate)).ratio(), candidate) for candidate in by_key
                     if is_code_shaped(by_key[candidate]) and len(_loose(candidate)) >= _MIN_FUZZY_LENGTH),
                    reverse=True)
    if not scored or scored[0][0] < _FUZZY_RATIO:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - _FUZZY_MARGIN:
        return None  # two near candidates: guessing would be worse than leaving the word
    return by_key[scored[0][1]]


def _loose(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key)


_ARTICLES = frozenset({"a", "an", "the"})


def _article_none(tokens: list[_Token], by_key: dict[str, str], taken: set[int]) -> list[tuple[int, int, str]]:
    """`None` for "a none response": the pronoun "none" never follows an article, Python's value does."""
    if "none" not in by_key or by_key["none"] != "None":
        return []
    result = []
    for before, token in itertools.pairwise(tokens):
        if token.word.lower() == "none" and token.start not in taken and before.word.lower() in _ARTICLES \
                and not before.closes:
            result.append((token.start, token.end, "None"))
    return result
