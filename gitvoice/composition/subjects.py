"""Subjects a reviewer reads once: the type's word is not said twice ("fix: fix the crash ..." says "fix" twice).

Pure: strings in, strings out.
"""

from __future__ import annotations

import re

# The word a type already says, as the subject's first verb, and the verb that says the same without repeating it.
_REPEATED = {
    "fix": ("fix", "correct"),
    "refactor": ("refactor", "restructure"),
    "test": ("test", "cover"),
    "revert": ("revert", "undo"),
    "docs": ("document", "describe"),
    "style": ("style", "format"),
}
# What a fix makes go away: "fix the crash" is better said as what now happens instead.
_FAULT = r"(?:crash|error|exception|failure|hang|panic|segfault|traceback)(?:es|s)?"
_STATE = (r"empty|missing|absent|none|null|nil|blank|unset|invalid|malformed|zero|negative|unreadable|corrupt|"
          r"too\s+(?:long|large|big|small|short)|read-only|a\s+directory|a\s+symlink")
# "fix the crash in parse_config when the file is empty" -> "handle an empty file in parse_config".
_FAULT_WHEN_STATE = re.compile(
    rf"^fix\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}?{_FAULT}"
    r"(?:\s+(?P<where>(?:in|of|on|inside|from)\s+(?:the\s+)?(?:[\w./`()-]+\s+)??[\w./`()-]+(?:\s+(?:function|method|class|module|"
    r"command|parser|loader|handler|endpoint))?))?"
    r"\s+(?:when|if|on|for)\s+(?:the|a|an)\s+(?P<noun>(?:[\w./`-]+\s+){0,2}?[\w./`-]+)\s+"
    rf"(?:is|are|was|were|gets|comes\s+back|turns\s+out)\s+(?P<state>{_STATE})$",
    re.IGNORECASE,
)
_FAULT_START = re.compile(rf"^fix\s+(?=(?:the|a|an)\s+(?:[\w-]+\s+){{0,2}}?{_FAULT}\b)", re.IGNORECASE)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def without_repeated_type(subject: str, commit_type: str) -> str:
    """The subject without the type's own word as its verb: "fix the crash in parse_config when the file is empty"
    under `fix` -> "handle an empty file in parse_config"; "fix the crash that ..." -> "prevent the crash that
    ..."; otherwise a verb that means the same ("fix the typo" -> "correct the typo", "test X" -> "cover X")."""
    return rewordings(subject, commit_type)[0]


def rewordings(subject: str, commit_type: str) -> tuple[str, ...]:
    """Every way of saying `subject` without repeating the type's word, best first; (subject,) when it does not
    repeat it."""
    repeated = _REPEATED.get(commit_type)
    if repeated is None:
        return (subject,)
    word, instead = repeated
    first, _, rest = subject.partition(" ")
    if first.lower() != word or not rest:
        return (subject,)
    found: list[str] = []
    if commit_type == "fix":
        state = _FAULT_WHEN_STATE.match(subject)
        if state:
            condition = " ".join(state["state"].lower().split())
            if condition in ("none", "null", "nil"):
                condition = state["state"]
            noun = state["noun"]
            where = f" {state['where']}" if state["where"] else ""
            if condition.startswith(("a ", "too ", "read-only")):
                found.append(f"handle {_article(noun)} {noun} that is {condition}{where}")
            else:
                found.append(f"handle {_article(condition)} {condition} {noun}{where}")
        if _FAULT_START.match(subject):
            found.append(_FAULT_START.sub("prevent ", subject, count=1))
    if not found:
        found.append(f"{instead} {rest}")
    return tuple(found)
