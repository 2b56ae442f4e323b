"""A patch series' cover letter from what its author said: a subject, a body and, for a re-roll, the changes.

Pure: strings in, strings out. The caller restores identifiers in the transcript first (the series' diff is the
vocabulary); this module splits off what was said about the changes, composes, and fills git's placeholders.

What counts as "the changes" in a re-roll (`-v 2` and later): everything from the first sentence that *starts*
with a changes cue ("Changes since version one: ...", "Since v1, ...", "In this version ...", "Compared to the
previous version, ...") to the end, plus anything said in a separate recording (`--changes-audio`). A cue in the
middle of a sentence ("it has worked this way since version one") is ordinary speech.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.header import Header

from gitvoice.composition.text import (
    BODY_WIDTH,
    capitalized,
    mark_identifiers,
    remove_fillers,
    sentences,
    summarize,
    wrap_paragraph,
)

SUBJECT_PLACEHOLDER = "*** SUBJECT HERE ***"
BLURB_PLACEHOLDER = "*** BLURB HERE ***"

SUBJECT_WIDTH = 72  # the subject text after "[PATCH v2 0/3] "

_VERSION = r"(?:v\.?\s?\d+|version\s+[\w.]+)"
_ROUND = r"(?:version|revision|round|iteration|re-?roll|respin|posting|series|patch\s?set)"
_PREVIOUS = rf"(?:{_VERSION}|the\s+(?:last|previous|prior|first|earlier|old)\s+{_ROUND}|last\s+time)"
_THIS = rf"(?:this|the\s+new|the\s+current|the\s+second|{_VERSION})"
# Phrases that, at the start of a sentence, open the "Changes in vN" part of a re-roll's spoken note.
CHANGES_CUE = re.compile(
    rf"""^(?:(?:and|so|now|also|okay|ok)[,]?\s+)?(?:
        (?:the\s+)?(?:main\s+)?changes?\s+(?:since|from|over|compared\s+(?:to|with))\s+{_PREVIOUS}
      | (?:the\s+)?(?:main\s+)?changes?\s+(?:in|for)\s+{_THIS}(?:\s+{_ROUND})?
      | what(?:'s|\s+has|\s+is)?\s+(?:changed|new)(?:\s+(?:since|from|in)\s+(?:{_PREVIOUS}|{_THIS}(?:\s+{_ROUND})?))?
      | since\s+{_PREVIOUS}
      | compared\s+(?:to|with)\s+{_PREVIOUS}
      | in\s+{_THIS}\s+{_ROUND}
      | in\s+{_VERSION}
      | new\s+in\s+{_THIS}(?:\s+{_ROUND})?
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A cue followed by punctuation is a lead-in ("Since v1, ..."): dropped, the rest of the sentence is the change.
_LEAD_IN_END = re.compile(r"^\s*[,:;.\-\u2013\u2014]+\s*")

# "And the loader has a test." is one more change, not a continuation: a bullet starts without the conjunction.
_LEADING_CONJUNCTION = re.compile(r"^(?:and|also|plus|then|so)\b[,]?\s+", re.IGNORECASE)

@dataclass(frozen=True)
class CoverLetter:
    subject: str  # no trailing period, at most SUBJECT_WIDTH columns, never cut inside a word
    body: str  # the explanation, wrapped at BODY_WIDTH; may be "" when everything said was about the changes
    changes: str  # "- ..." bullets wrapped at BODY_WIDTH; "" when nothing was said about changes (or no re-roll)
    version: str | None  # the re-roll count as given to -v ("2"), None for a first posting
    previous_version: str | None  # "1" for "2"; None when not a number


def is_reroll(version: str | None) -> bool:
    return version is not None and version.strip() not in ("", "0", "1")


def previous_version(version: str | None) -> str | None:
    if version is None or not version.isdigit() or int(version) < 2:
        return None
    return str(int(version) - 1)


def split_changes(transcript: str) -> tuple[str, str]:
    """(about the series, about the changes since the last version) of one spoken note; see the module doc."""
    parts = sentences(transcript)
    for index, sentence in enumerate(parts):
        if CHANGES_CUE.match(sentence):
            return " ".join(parts[:index]), " ".join(parts[index:])
    return " ".join(parts), ""


def _without_lead_in(sentence: str) -> str:
    """"Since v1, I renamed it." -> "I renamed it."; a bare heading ("Changes since version one.") -> ""."""
    match = CHANGES_CUE.match(sentence)
    if match is None:
        return sentence
    rest = sentence[match.end():]
    lead_in = _LEAD_IN_END.match(rest)
    if lead_in is None:
        return sentence  # "In this version I renamed it." reads well as it is
    return rest[lead_in.end():].strip()


def summarize_subject(sentence: str, width: int = SUBJECT_WIDTH) -> str:
    """A subject from a sentence: no trailing stop, capitalized, shortened at a clause or word boundary."""
    return capitalized(summarize(sentence, width))


def changes_bullets(text: str, identifiers: Sequence[str] = (), width: int = BODY_WIDTH) -> str:
    """One "- " bullet per sentence said about the changes, wrapped with a hanging indent."""
    bullets = []
    for sentence in sentences(remove_fillers(text)):
        change = capitalized(_LEADING_CONJUNCTION.sub("", _without_lead_in(sentence)))
        if change.strip(" .!?"):
            bullets.append(wrap_paragraph(mark_identifiers(change, identifiers), width, indent="  ", first="- "))
    return "\n".join(bullets)


def compose_cover_letter(transcript: str, *, changes_transcript: str | None = None, version: str | None = None,
                         identifiers: Sequence[str] = (), backticks: bool = True,
                         width: int = BODY_WIDTH, subject_width: int = SUBJECT_WIDTH) -> CoverLetter:
    """The cover letter's parts. For a re-roll, the changes are split off the transcript (see the module doc)
    and `changes_transcript` (a separate recording about the changes) is added to them."""
    series, changes = split_changes(transcript) if is_reroll(version) else (" ".join(transcript.split()), "")
    if is_reroll(version) and changes_transcript:
        changes = f"{changes} {changes_transcript}".strip()
    series = remove_fillers(series)
    marked = tuple(identifiers) if backticks else ()
    subject_source = sentences(series) or [_without_lead_in(s) for s in sentences(remove_fillers(changes))]
    subject_source = [s for s in subject_source if s.strip(" .!?")]
    subject = summarize_subject(subject_source[0], subject_width) if subject_source else ""
    body = wrap_paragraph(mark_identifiers(capitalized(series), marked), width) if series else ""
    return CoverLetter(subject=subject, body=body, changes=changes_bullets(changes, marked, width),
                       version=version, previous_version=previous_version(version))


def template_context(letter: CoverLetter, *, transcript: str, changes_transcript: str | None,
                     patches: Sequence[Mapping[str, str | None]]) -> dict[str, object]:
    """The variables a cover-letter template sees (docs/format-patch.md lists them)."""
    return {
        "subject": letter.subject,
        "body": letter.body,
        "changes": letter.changes,
        "version": letter.version,
        "previous_version": letter.previous_version,
        "transcript": transcript,
        "changes_transcript": changes_transcript or "",
        "patches": [dict(p) for p in patches],
        "patch_count": len(patches),
    }


def has_placeholders(letter_text: str) -> bool:
    return SUBJECT_PLACEHOLDER in letter_text or BLURB_PLACEHOLDER in letter_text


def fill_cover_letter(letter_text: str, subject: str, blurb: str) -> str:
    """git's cover letter with its subject and blurb placeholders replaced (and MIME headers for non-ASCII)."""
    headers, separator, body = letter_text.partition("\n\n")
    blurb = blurb.strip("\n")
    needs_mime = not (subject.isascii() and blurb.isascii())
    subject_lines = [line for line in headers.split("\n") if SUBJECT_PLACEHOLDER in line]
    for line in subject_lines:
        filled = line.replace(SUBJECT_PLACEHOLDER, subject)
        if not filled.isascii():
            # RFC 2047 encoded words; git mailinfo decodes them back.
            name, _, value = filled.partition(": ")
            filled = f"{name}: " + Header(value, "utf-8", header_name=name).encode()
        headers = headers.replace(line, filled)
    if needs_mime and "\nContent-Type:" not in f"\n{headers}":
        headers += "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit"
    return headers + separator + body.replace(BLURB_PLACEHOLDER, blurb, 1)
