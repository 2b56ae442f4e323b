"""Identifiers restored in a transcript: a run of spoken words that spells a name of the code becomes that name.

"fetch user" -> `fetch_user`, "get user by ID" -> `getUserById`, "A P I slash users dot pie" -> `api/users.py`.

Pure: no torch, no git.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from gitvoice.composition.identifiers import FUNCTION_WORDS, is_code_shaped

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
