"""What gitvoice tells the user about a draft: other subjects to pick from, what was said that the diff does not
show, a reference the branch name offers. In the editor as comment lines under the draft (git strips them when
it commits); with --no-edit as warnings.

Pure: the notes in, text out; the comment prefix is git's (gitvoice.git.messages.editor_comment_prefix).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DraftNotes:
    alternatives: tuple[str, ...] = ()  # other headers, each a whole first line to swap in
    warnings: tuple[str, ...] = ()  # what was said against what changed (consistency.py), one line each
    suggestions: tuple[str, ...] = ()  # footers offered, not added: the branch name's reference

    def __bool__(self) -> bool:
        return bool(self.alternatives or self.warnings or self.suggestions)


def comment_block(notes: DraftNotes, prefix: str) -> str:
    """The notes as comment lines with git's comment `prefix`, after one blank line; "" when there are none."""
    if not notes:
        return ""
    lines: list[str] = []
    if notes.alternatives:
        lines.append("Other subjects (swap one with the first line and drop the comment mark):")
        lines += list(notes.alternatives)
    if notes.warnings:
        lines += [""] if lines else []
        lines.append("What you said against the staged diff:")
        lines += [f"- {warning}" for warning in notes.warnings]
    if notes.suggestions:
        lines += [""] if lines else []
        lines.append("The branch name suggests a reference (uncomment to add it to the footers):")
        lines += list(notes.suggestions)
    return "\n" + "\n".join(f"{prefix} {line}".rstrip() if line else prefix for line in lines) + "\n"


def with_comments(message: str, notes: DraftNotes, prefix: str) -> str:
    """The draft for the editor: the message, then the notes as comment lines."""
    return message.rstrip("\n") + "\n" + comment_block(notes, prefix)


def warning_lines(notes: DraftNotes) -> tuple[str, ...]:
    """The notes for --no-edit (and --dry-run): the warnings, then each suggestion as one line."""
    return (*notes.warnings, *(f"no reference was said; the branch name suggests `{s}`" for s in notes.suggestions))
