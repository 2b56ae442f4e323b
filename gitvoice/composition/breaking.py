"""Breaking changes said aloud: which words say the change breaks something, and the clause that says what.

The spec wants a `BREAKING CHANGE:` footer that tells a reader what breaks ("the config file is now required"),
not the subject again. People introduce it many ways: "Breaking change: ...", "Breaking change." followed by the
explanation, "this breaks ...", "X no longer ...", "Y is now required", "removed the --legacy option".

Pure: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitvoice.composition.text import capitalized, sentences

# "Breaking change:", "this is a breaking change,", "BREAKING-CHANGE" said before (or after) what breaks.
_MARKER = re.compile(r"\b(?:(?:this|that|it)(?:'s|\s+is|\s+will\s+be)\s+)?(?:a\s+)?breaking[\s-]changes?\b"
                     r"[\s:,.;!\-\u2013\u2014]*", re.IGNORECASE)
_NEGATED_MARKER = re.compile(r"\b(?:not|no|n't|without|non)\s+(?:a\s+)?$", re.IGNORECASE)
# What a change that breaks its users says it no longer does: a promise of its interface withdrawn ("no longer
# accepts an empty file", "is no longer supported", "no longer runs on Python 3.8"). Anything else that no longer
# happens was a fault or a cost ("no longer crashes", "no longer shows stale results", "no longer scans the whole
# list"): a fix or a speed-up, and a wrong "!" would make release tools bump the major version.
_WITHDRAWN = (r"accept|support|return|take|allow|export|expose|provide|read|load|work|run|install|ship|include|"
              r"default|emit|print|output|write|creat|set|honou?r|respect|recogni[sz]|parse|list|fall\s+back|"
              r"available|exported|public|valid|compatible|part\s+of|exist")
# A sentence that itself says what breaks.
_SAYS_WHAT_BREAKS = re.compile(
    r"\b(?:"
    r"(?:this|that|it)\s+(?:now\s+)?(?:breaks|will\s+break|would\s+break)\b|"
    r"breaks\s+(?:the\s+)?(?:api|compatibility|backwards?\s+compatibility|callers|clients|users)\b|"
    r"backwards?[- ]incompatible|(?:not|isn't|is\s+not)\s+backwards?[- ]compatible|incompatible\s+change|"
    rf"no\s+longer\s+(?:(?:be|is|are)\s+)?(?:{_WITHDRAWN})|"
    r"(?:is|are)\s+now\s+(?:required|mandatory)\b|(?:is|are)\s+(?:required|mandatory)\s+now\b|"
    r"(?:is|are)\s+mandatory\b|now\s+requires?\b|must\s+now\b|"
    r"(?:removed?|removes|removing|dropped|drops?|dropping|deleted?|deletes)\s+(?:the\s+|support\s+for\s+)?"
    r"(?:[\w`'\"./=-]+\s+){0,3}?(?:option|flag|argument|parameter|setting|endpoint|command|field|support)s?\b|"
    r"(?:dropped|drops?|removed?|removes)\s+support\b"
    r")",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Breaking:
    kept: str  # the text without the sentences (or clauses) that went into the footer
    statement: str | None  # what breaks, for the footer; None when nothing says what (or nothing breaks)
    said: bool  # whether the speaker said the change breaks something at all


def says_breaking(sentence: str) -> bool:
    """Whether a sentence says the change breaks something (a marker that is not negated, or a clause that
    says what breaks)."""
    return _marker(sentence) is not None or _SAYS_WHAT_BREAKS.search(sentence) is not None


def _marker(sentence: str) -> re.Match[str] | None:
    for match in _MARKER.finditer(sentence):
        if not _NEGATED_MARKER.search(sentence[: match.start()]):
            return match
    return None


def _sentence_end(text: str) -> str:
    text = text.rstrip(" ,;:-\u2013\u2014")
    return text if not text or text[-1] in ".!?" else text + "."


def breaking_statement(text: str) -> Breaking:
    """Split off what the speaker said breaks.

    A "breaking change" marker takes the clause after it ("Breaking change: the config file is now required"),
    or the next sentence when nothing follows it in its own; the clause before it stays ("Drop v1, a breaking
    change: ..." keeps "Drop v1"). A sentence that says what breaks by itself ("X no longer accepts Y", "Z is now
    required", "removed the --legacy option") is the statement; said first, it stays as the subject too.
    """
    parts = sentences(text)
    kept: list[tuple[str, bool]] = []  # (sentence, whether it goes to the footer unless a marker said more)
    statements: list[str] = []  # after a "breaking change" marker: the speaker pointed at them
    implied: list[str] = []  # sentences that say what breaks without a marker
    said = False
    index = 0
    while index < len(parts):
        sentence = parts[index]
        marker = _marker(sentence)
        if marker is not None:
            said = True
            before = sentence[: marker.start()].strip()
            after = sentence[marker.end():].strip()
            if not after.strip(" .!?") and index + 1 < len(parts) and not says_breaking_marker_only(parts[index + 1]):
                index += 1
                after = parts[index]  # "Breaking change." then what breaks
            if after.strip(" .!?"):
                statements.append(capitalized(_sentence_end(after)))
            if before.strip(" .!?,;:") and not re.fullmatch(r"(?:and|so|also|but|note|,|\s)*", before.lower()):
                kept.append((_sentence_end(before), False))
        elif _SAYS_WHAT_BREAKS.search(sentence):
            said = True
            implied.append(capitalized(_sentence_end(sentence)))
            # Said first, it is what the change does: the subject as well as the footer.
            kept.append((sentence, bool(kept)))
        else:
            kept.append((sentence, False))
        index += 1
    if not said:
        return Breaking(text, None, False)
    body = [sentence for sentence, to_footer in kept if statements or not to_footer]
    return Breaking(" ".join(body), " ".join(dict.fromkeys(statements or implied)) or None, True)


def says_breaking_marker_only(sentence: str) -> bool:
    """A sentence that is a marker and nothing else ("Breaking change."): not an explanation to take."""
    marker = _marker(sentence)
    return marker is not None and not (sentence[: marker.start()] + sentence[marker.end():]).strip(" .!?,;:")
