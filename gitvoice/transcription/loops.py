"""Whisper's repetition loops, collapsed: a small model primed with file names sometimes writes
"users.py.py.py.py" or says the same phrase three times over. No speaker means that, so one copy is kept.

Pure text; two repetitions stay ("very very"), only three or more count as a loop."""

from __future__ import annotations

import re

# ".py.py.py" -> ".py": a file extension repeated back to back (versions such as 1.1.1 are digits: kept).
_REPEATED_SUFFIX = re.compile(r"(\.[A-Za-z][A-Za-z0-9]{0,5})\1+\b")
# "fix the test fix the test fix the test" -> "fix the test": a phrase of one to six words three times or more.
_REPEATED_PHRASE = re.compile(r"\b(\w+(?:[ ,]+\w+){0,5})(?:[ ,]+\1\b){2,}", re.IGNORECASE)


def collapse_loops(text: str) -> str:
    previous = None
    while previous != text:  # a collapse can expose another ("a.py.py a.py.py a.py.py")
        previous = text
        text = _REPEATED_SUFFIX.sub(r"\1", text)
        text = _REPEATED_PHRASE.sub(r"\1", text)
    return text
