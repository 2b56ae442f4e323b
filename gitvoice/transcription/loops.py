"""Whisper's repetition loops, collapsed: a small model primed with file names sometimes writes
"users.py.py.py.py" or says the same phrase three times over. No speaker means that, so one copy is kept.

Pure text; two repetitions stay ("very very"), only three or more count as a loop."""

from __future__ import annotations

import re
import zlib

# ".py.py.py" -> ".py": a file extension repeated back to back (versions such as 1.1.1 are digits: kept).
_REPEATED_SUFFIX = re.compile(r"(\.[A-Za-z][A-Za-z0-9]{0,5})\1+\b")
# "fix the test fix the test fix the test" -> "fix the test": a phrase of two to six words three times or more.
_REPEATED_PHRASE = re.compile(r"\b(\w+(?:[ ,]+\w+){1,5})(?:[ ,]+\1\b){2,}", re.IGNORECASE)
# "README README README README" -> "README": one word four times or more. Three times is speech: "1, 0, 0, 0, 1"
# read out digit by digit, "very, very, very good" (is_looped draws the same line).
_REPEATED_WORD = re.compile(r"\b(\w+)(?:[ ,]+\1\b){3,}", re.IGNORECASE)
# "users.py users.py users.py" -> "users.py": a name written as code three times or more; nobody says that.
_REPEATED_NAME = re.compile(r"(?<![\w./])(\w[\w/]*[._/][\w./]*\w)(?:[ ,]+\1(?![\w/]|\.\w)){2,}")


# "d-d-d-d-d" -> "d", "Nash-Nash-Nash" -> "Nash": a spelled-out letter or a word looping inside one token.
_REPEATED_HYPHENATED = re.compile(r"\b(\w+)(?:-\1\b){2,}")


def collapse_loops(text: str) -> str:
    previous = None
    while previous != text:  # a collapse can expose another ("a.py.py a.py.py a.py.py")
        previous = text
        text = _REPEATED_SUFFIX.sub(r"\1", text)
        text = _REPEATED_HYPHENATED.sub(r"\1", text)
        text = _REPEATED_WORD.sub(r"\1", text)
        text = _REPEATED_NAME.sub(r"\1", text)
        text = _REPEATED_PHRASE.sub(r"\1", text)
    return text


# A decode is looped when one phrase of 2-8 words comes three times back to back, or one word four times
# ("zero zero zero" is a real digit string), or zlib packs the text more than Whisper's own 2.4 threshold.
_LOOP_PHRASE_WORDS = range(2, 9)
_LOOP_PHRASE_REPEATS = 3
_LOOP_WORD_REPEATS = 4
COMPRESSION_RATIO_LIMIT = 2.4


def _loop_words(text: str) -> list[str]:
    """Lowercase words, split at hyphens and dots too: "d-d-d-d" and "ci.yml.yml.yml" loop inside a token."""
    return [w for w in (t.strip("\"'()$") for t in re.split(r"[\s\-.,;:!?/]+", text.lower())) if w]


def _repeats_at(words: list[str], start: int, size: int, times: int) -> bool:
    phrase = words[start : start + size]
    return all(words[start + k * size : start + (k + 1) * size] == phrase for k in range(1, times))


# "Nachnashnashnashnashnash": a loop inside one word, which neither the words nor zlib (on a short text) show.
_LOOP_IN_WORD = re.compile(r"([a-z]{2,}?)\1{3,}", re.IGNORECASE)


def is_looped(text: str) -> bool:
    """True for Whisper's repetition loop ("pyproject.toml README. pyproject.toml README. ..."): a structural
    backstop for what collapse_loops only trims."""
    if _LOOP_IN_WORD.search(text):
        return True
    words = _loop_words(text)
    for start in range(len(words)):
        if _repeats_at(words, start, 1, _LOOP_WORD_REPEATS):
            return True
        if any(_repeats_at(words, start, size, _LOOP_PHRASE_REPEATS) and start + size * _LOOP_PHRASE_REPEATS
               <= len(words) for size in _LOOP_PHRASE_WORDS):
            return True
    return compression_ratio(text) > COMPRESSION_RATIO_LIMIT


def before_loop(text: str) -> str:
    """The words written before a repetition loop took over ("Use useMemo for sortedRows.tsx" of "Use useMemo
    for sortedRows.tsx DataTable.tsx DataTable.tsx DataTable.tsx ..."); the whole text when it has no loop."""
    tokens = text.split()
    for end in range(1, len(tokens) + 1):
        if is_looped(" ".join(tokens[:end])):
            return collapse_loops(" ".join(tokens[: end - 1]))
    return text


def compression_ratio(text: str) -> float:
    """Whisper's repetitiveness signal: bytes over zlib-compressed bytes (its threshold is 2.4)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0
