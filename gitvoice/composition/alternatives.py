"""Other subjects for the same change, shown under the draft so the user picks one with a line swap.

AI commit tools offer alternatives; a spoken explanation has them too: the other sentences said, the chosen one
cut at its first clause, the plain "fix the crash ..." form of a rewritten subject, and what the diff names.
Pure: the transcript, the diff and the composed message in, header lines out.
"""

from __future__ import annotations

import re

from gitvoice.composition.changes import DiffContext
from gitvoice.composition.compose import (
    Analysis,
    ComposeOptions,
    analyse,
    imperative,
    subject_from,
    subject_problem,
)
from gitvoice.composition.conventional import CommitMessage
from gitvoice.composition.identifiers import diff_identifiers, is_code_shaped
from gitvoice.composition.subjects import rewordings
from gitvoice.composition.text import lowercased_start, summarize

MAX_ALTERNATIVES = 3
# Where a sentence can be cut and still say the change: before its reason or its condition.
_CLAUSE = re.compile(r",\s|\s(?:because|since|so that|which|when|while|after|before|until|by|so)\s", re.IGNORECASE)
_STATUS_VERBS = {"A": "add", "D": "remove", "R": "rename", "M": "update"}


def _rewordings(sentence: str, analysis: Analysis, options: ComposeOptions) -> list[str]:
    """The other ways of saying the chosen sentence without the type's word ("prevent the crash ..." beside
    "handle an empty file ...")."""
    width = options.subject_width - len(analysis.prefix)
    plain = lowercased_start(imperative(sentence).strip().rstrip(".!?;:,").strip())
    return [summarize(text, width) for text in rewordings(plain, analysis.commit_type)[1:]]


def _shorter(subject: str) -> str | None:
    match = _CLAUSE.search(subject)
    return subject[: match.start()].rstrip(" ,;:") if match else None


def _from_diff(context: DiffContext, analysis: Analysis, options: ComposeOptions) -> str | None:
    """"update parse_config in config/loader.py": what the diff itself says, for a transcript that said little."""
    if not context.files or len(context.files) > 2:
        return None
    changed = context.files[0]
    names = [name for name in diff_identifiers(context, limit=20)
             if "/" not in name and "." not in name and is_code_shaped(name)]
    where = changed.path.rsplit("/", 1)[-1]
    verb = _STATUS_VERBS.get(changed.status, "update")
    subject = f"{verb} {names[0]} in {where}" if names and changed.status == "M" else f"{verb} {where}"
    width = options.subject_width - len(analysis.prefix)
    return subject if len(subject) <= width else None


def alternative_headers(transcript: str, context: DiffContext, options: ComposeOptions,
                        message: CommitMessage, limit: int = MAX_ALTERNATIVES) -> tuple[str, ...]:
    """Up to `limit` other headers (type, scope and `!` as in `message`), each a real subject (subject_problem)
    within the header width, none the same as the message's or another's."""
    analysis = analyse(transcript, context, options)
    prefix = message.header[: len(message.header) - len(message.subject)]
    candidates: list[str] = []
    parts = analysis.parts
    if parts:
        chosen = parts[analysis.chosen]
        candidates += _rewordings(chosen, analysis, options)
        shorter = _shorter(message.subject)
        if shorter:
            candidates.append(shorter)
        for sentence in parts[analysis.chosen + 1:]:
            candidates.append(subject_from(sentence, analysis, options)[0])
    from_diff = _from_diff(context, analysis, options)
    if from_diff:
        candidates.append(from_diff)
    seen = {message.subject.lower()}
    headers: list[str] = []
    for subject in candidates:
        subject = subject.strip()
        if (not subject or subject.lower() in seen or subject_problem(subject) is not None
                or len(prefix) + len(subject) > options.subject_width
                or subject.split(" ", 1)[0].lower() == analysis.commit_type):
            continue
        seen.add(subject.lower())
        headers.append(prefix + subject)
        if len(headers) == limit:
            break
    return tuple(headers)
