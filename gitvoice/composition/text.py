"""Spoken text made into written prose: sentences, fillers, numbers, capitals, identifiers, wrapping.

Shared by the commit composer and the cover letter. Pure: strings in, strings out.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from gitvoice.composition.identifiers import is_code_shaped

BODY_WIDTH = 72  # columns, as git's own commit messages

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
# Fillers, with the commas that set them off: "the loader, you know, reads" -> "the loader reads".
# "like" only counts when a comma follows it ("it's, like, slow"); "looks like" is English.
_FILLERS = re.compile(
    r"(?:,\s*)?(?<![\w'])(?:um+|uh+|uhm+|erm+|er|ah+|you know|basically|i mean|like(?=\s*,))(?![\w'])(?:\s*,)?",
    re.IGNORECASE,
)
# What people say before they get to the point: "Okay, so", "Alright,". Not the words of a sentence: "So that
# we can read the plan" says why, "Right now it blocks" when.
_LEAD_IN = re.compile(r"^(?:(?:okay|ok|alright|all right|right(?=,)|so(?!\s+(?:that|far|much|many|long)\b))\b,?\s*)+"
                      r"(?=\S)", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of a transcript (Whisper punctuates; a text without stops is one sentence)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def remove_fillers(text: str) -> str:
    """Without "um", "uh", "you know", "basically"...; commas that only set a filler off go with it."""
    cleaned = _FILLERS.sub(" ", text)
    cleaned = " ".join(cleaned.split())
    cleaned = re.sub(r"\s+([,.;:!?])", r"\1", cleaned)  # "fix it ." -> "fix it."
    cleaned = re.sub(r"([.!?])\s*,\s*", r"\1 ", cleaned)  # ". , next" left by a filler between sentences
    cleaned = re.sub(r"^[,\s]+", "", cleaned)
    # A sentence that started with a filler starts again at its next word: "Um, rename" -> "rename".
    return " ".join(_LEAD_IN.sub("", s) for s in sentences(cleaned)) if cleaned else ""


def capitalized(text: str) -> str:
    """The first letter in upper case, unless the first word is code (`fetch_user` stays as it is spelled)."""
    first = text.split(" ", 1)[0].rstrip(",.;:")
    if not text or is_code_shaped(first):
        return text
    return text[:1].upper() + text[1:]


def _is_pronoun_i(word: str) -> bool:
    return word in ("I", "I'm", "I've", "I'd", "I'll")


def lowercased_start(text: str) -> str:
    """The first letter in lower case (commitlint's subject-case), unless the first word is code or an
    acronym ("API", "CI", "getUserById")."""
    first = text.split(" ", 1)[0].rstrip(",.;:")
    if not text or is_code_shaped(first) or (len(first) > 1 and first.isupper()) or _is_pronoun_i(first):
        return text
    return text[:1].lower() + text[1:]


# Words a shortened line must not end on: they promise more that was cut away.
_DANGLING_WORDS = """
a an the and or but so that than then to of in on at by for from with as into because which when while if
instead since its their our your my this these those is are was were be between about after before over under
without across through around against via per using
"""
_DANGLING = frozenset(_DANGLING_WORDS.split())
# Words that begin a phrase a subject can end before.
_PHRASE_STARTS = ("in", "on", "at", "by", "for", "from", "with", "without", "like", "when", "while", "if", "after",
                  "before", "into", "between", "using", "via", "until", "unless", "instead")


def summarize(sentence: str, width: int) -> str:
    """A line from a sentence: no trailing stop, at most `width` characters, shortened at a clause boundary
    or else between words, never inside one."""
    line = sentence.strip().rstrip(".!?;:,").strip()
    if len(line) <= width:
        return line
    head = line[: width + 1]
    for boundary in (", ", "; ", " because ", " so that ", " since ", " which ", " and ", " to "):
        cut = head.rfind(boundary)
        if cut >= width // 2:
            return line[:cut].rstrip(",;: ")
    # Else before the last phrase that starts in the line's last quarter: "... bug in total_with_tax like one
    # time in wind" reads cut off at "like one", whole at "total_with_tax"; an earlier phrase would lose too much
    # ("... configuration parser with the standard library" keeps its "with").
    cut = max(head.rfind(f" {word} ") for word in _PHRASE_STARTS)
    if cut >= width * 3 // 4:
        return line[:cut].rstrip(",;: ")
    cut = head.rfind(" ")
    if cut <= 0:
        return line[:width]
    words = line[:cut].rstrip(",;: ").split(" ")
    while len(words) > 1 and words[-1].lower() in _DANGLING:  # "...between calls so" reads as cut off
        words.pop()
    return " ".join(words).rstrip(",;: ")


def mark_identifiers(text: str, identifiers: Iterable[str]) -> str:
    """Identifiers in backticks, once each occurrence, never inside an existing pair of backticks."""
    names = sorted({i for i in identifiers if is_code_shaped(i)}, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(r"`[^`]*`|(?<![\w./-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w/-]|\.\w)")
    return pattern.sub(lambda m: f"`{m.group(1)}`" if m.group(1) else m.group(0), text)


def wrap_paragraph(text: str, width: int = BODY_WIDTH, indent: str = "", first: str = "") -> str:
    return "\n".join(textwrap.wrap(text, width, initial_indent=first or indent, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False))


# --- spoken numbers ----------------------------------------------------------------------------------------

_UNIT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen")
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {word: n for n, word in enumerate(_UNIT_WORDS.split())}
_TENS = {word: 10 * n for n, word in enumerate(_TEN_WORDS.split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES])
_NUMBER_RUN = rf"(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*"
_DIGITS_OR_WORDS = rf"(?:\d+|{_NUMBER_RUN})"
# Words after which a lone small number is a number, not a word ("issue five", "version two", "port eight").
_NUMBER_CONTEXT = (r"(?:issues?|refs|fixes|closes|resolves|pr|pull request|tickets?|bugs?|version|v|python|node|"
                   r"number|no\.|port|step|phase|#)")
_VERSION_RE = re.compile(rf"\b({_DIGITS_OR_WORDS})((?:\s+(?:point|dot)\s+{_DIGITS_OR_WORDS})+)\b", re.IGNORECASE)
_COMPOUND_RE = re.compile(rf"\b{_NUMBER_RUN}\b", re.IGNORECASE)
_CONTEXT_RE = re.compile(rf"\b({_NUMBER_CONTEXT})\s+({_NUMBER_RUN})\b", re.IGNORECASE)


def number_value(words: str) -> int | None:
    """"forty two" -> 42, "one hundred and five" -> 105, "twelve" -> 12; None if not a number."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower().strip()):
        if word == "and" and seen:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] == 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _as_digits(words: str) -> str:
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w]
    if len(parts) > 1 and all(_UNITS.get(w, 10) < 10 for w in parts):
        return "".join(str(_UNITS[w]) for w in parts)  # read digit by digit: "one two three" is 123, not 6
    value = number_value(words)
    return words if value is None else str(value)


def _is_compound(words: str) -> bool:
    """A run that can only be a number: "forty two", "twenty", "three hundred"; not "one" or "two"."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w != "and"]
    return len(parts) > 1 or parts[0] in _TENS or parts[0] in _SCALES


def normalize_numbers(text: str) -> str:
    """Spoken numbers as digits where they are numbers: "version three point eleven" -> "version 3.11",
    "issue forty two" -> "issue 42", "forty two" -> "42". A lone small number ("split it in two") stays a
    word unless a word like "issue" or "version" comes before it."""
    def version(match: re.Match[str]) -> str:
        parts = [match.group(1), *re.split(r"\s*\b(?:point|dot)\s+", match.group(2).strip(), flags=re.IGNORECASE)]
        return ".".join(_as_digits(p.strip()) for p in parts if p.strip())

    text = _VERSION_RE.sub(version, text)
    text = _CONTEXT_RE.sub(lambda m: f"{m.group(1)} {_as_digits(m.group(2))}", text)
    return _COMPOUND_RE.sub(lambda m: _as_digits(m.group(0)) if _is_compound(m.group(0)) else m.group(0), text)
