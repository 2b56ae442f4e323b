"""Issue and ticket references: said aloud ("this fixes issue forty two", "refs ABC one two three") or offered by
the branch name (`fix/42-empty-config`, `ABC-123-retry`), written as the trailers forges and trackers read.

Pure: text in, footers out. Numbers arrive as digits (text.normalize_numbers, or restore's "issue #42").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitvoice.composition.conventional import Footer

# How an issue number is written in the footer: GitHub's and GitLab's closing keywords read `Fixes #42`
# (conventional-commits' footer form `Token #value`); a git-trailer style repository writes `Fixes: #42`.
STYLE_GITHUB = "github"
STYLE_TRAILER = "trailer"
REFERENCE_STYLES = (STYLE_GITHUB, STYLE_TRAILER)

# Spoken verb -> footer token. "Resolves" and "Closes" stay as said: GitHub treats them as "Fixes".
_VERBS: dict[str, str] = {
    "fixes": "Fixes", "fix": "Fixes", "fixed": "Fixes", "fix for": "Fixes", "a fix for": "Fixes",
    "closes": "Closes", "close": "Closes", "closed": "Closes",
    "resolves": "Resolves", "resolve": "Resolves", "resolved": "Resolves",
    "refs": "Refs", "ref": "Refs", "references": "Refs", "see": "Refs", "related to": "Refs", "relates to": "Refs",
    "part of": "Refs", "for": "Refs",
}
_NEEDS_ISSUE_WORD = frozenset({"for", "see", "part of", "related to", "relates to", "references"})
_VERB = "|".join(re.escape(verb).replace(r"\ ", r"\s+") for verb in sorted(_VERBS, key=len, reverse=True))
_LEAD = r"(?i:(?:,\s*|\s+)?(?:\b(?:this|which|and|it|that)\s+)?(?:(?:is|was)\s+(?:also\s+)?)?)"
_ISSUE_WORD = r"(?:github\s+)?(?:issue|ticket|bug|pull\s+request|pr)\s+"
_NUMBER_WORD = r"(?:number|no\.?|num)\s+"
# An issue number: after an issue word ("issue 42", "issue #42", "issue number 42"), after `#`, after "number",
# or bare where the clause ends ("refs 17." but not "fixes 3 warnings").
_ISSUE = re.compile(
    _LEAD + rf"\b(?P<verb>{_VERB})\s+(?:the\s+)?(?:(?:{_ISSUE_WORD}(?:{_NUMBER_WORD})?#?|{_NUMBER_WORD}#?|#)"
    r"(?P<number>\d+)|(?P<bare>\d+)(?=\s*(?:[.,;!?]|$|\band\b)))\b"
    r"(?:\s+for\s+(?:more\s+)?(?:the\s+)?(?:details|context|background))?[.,;]?",
    re.IGNORECASE,
)
# A tracker key (Jira, Linear, YouTrack): capitals, a dash, digits. Spoken it arrives as "ABC-123", "ABC 123",
# "A B C 123", "A.B.C. dash 123"; only after a verb or a ticket word, so "UTF-8" or "SHA 256" are never keys.
_LETTERS = r"(?P<letters>[A-Z][A-Z0-9]{1,9}|(?:[A-Z]\.?[\s-]){1,9}[A-Z]\.?)"
_KEY = re.compile(
    _LEAD + rf"(?i:\b(?P<verb>{_VERB})\s+(?:(?:the\s+)?(?:jira\s+|linear\s+)?(?:issue|ticket|story|task)\s+)?|"
    r"\b(?:jira\s+|linear\s+)?(?:ticket|story)\s+)"
    + _LETTERS + r"(?:\s*(?:-|\bdash\b|\bhyphen\b|\bminus\b)\s*|\s+)(?P<digits>\d+(?:[\s-]\d+)*)\b"
    r"(?i:\s+for\s+(?:more\s+)?(?:the\s+)?(?:details|context|background))?[.,;]?",
)
_KEY_IGNORED = frozenset({"UTF", "SHA", "MD", "ISO", "HTTP", "TLS", "SSL", "IPV", "RFC", "PEP", "CVE", "X", "V"})


def issue_footer(token: str, number: str, style: str = STYLE_GITHUB) -> Footer:
    return Footer(token, f"#{number}", ": ") if style == STYLE_TRAILER else Footer(token, number, " #")


def key_footer(token: str, key: str) -> Footer:
    return Footer(token, key, ": ")  # `Refs: ABC-123`: a key has no `#` form


def spoken_references(text: str, style: str = STYLE_GITHUB) -> tuple[str, tuple[Footer, ...]]:
    """(text without the spoken references, their footers in the order said, each once)."""
    footers: list[Footer] = []

    def add(footer: Footer) -> None:
        if footer not in footers:
            footers.append(footer)

    def take_issue(match: re.Match[str]) -> str:
        if match["bare"] and _verb_key(match["verb"]) in _NEEDS_ISSUE_WORD:
            return match.group(0)  # "wait for 3." is not a reference
        add(issue_footer(_VERBS[_verb_key(match["verb"])], match["number"] or match["bare"], style))
        return _left_behind(match)

    def take_key(match: re.Match[str]) -> str:
        letters = re.sub(r"[^A-Z0-9]", "", match["letters"])
        if letters in _KEY_IGNORED:
            return match.group(0)
        token = _VERBS[_verb_key(match["verb"])] if match["verb"] else "Refs"
        add(key_footer(token, f"{letters}-{re.sub(r'[^0-9]', '', match['digits'])}"))
        return _left_behind(match)

    remaining = _KEY.sub(take_key, text)
    remaining = _ISSUE.sub(take_issue, remaining)
    remaining = re.sub(r"\s+([.,;])", r"\1", remaining)
    remaining = re.sub(r"(^|[.!?]\s*)[.,;]+", r"\1", remaining)
    # "This is a." left by "This is a fix for issue 42.", "This commit." by "This commit fixes issue 42."
    remaining = re.sub(r"(?:^|(?<=[.!?]\s))(?:this|that|it)(?:\s+(?:commit|change|patch|is|also|a))*[.!?](?:\s+|$)",
                       "", remaining, flags=re.IGNORECASE)
    return remaining.strip(), tuple(footers)


def _verb_key(verb: str) -> str:
    return " ".join(verb.lower().split())


def _left_behind(match: re.Match[str]) -> str:
    """A stop that ended the sentence stays, so the next sentence still starts as one."""
    return "." if match.group(0).rstrip().endswith(".") else ""


# --- the branch name ----------------------------------------------------------------------------------------------

_FIX_BRANCH_PREFIXES = ("fix", "bugfix", "hotfix", "bug")
_BRANCH_ISSUE = re.compile(r"^(?:issues?[-_]?|gh[-_]?|#)?(?P<number>\d+)(?:[-_.]|$)", re.IGNORECASE)
_BRANCH_KEY = re.compile(r"(?:^|[-_/])(?P<key>[A-Z][A-Z0-9]{1,9}-\d+)(?:[-_.]|$)")


@dataclass(frozen=True)
class BranchReference:
    footer: Footer
    branch: str  # the branch it was read from, for the comment that offers it


def branch_reference(branch: str | None, style: str = STYLE_GITHUB) -> BranchReference | None:
    """The reference a branch name carries: `fix/42-empty-config` -> `Fixes #42`, `feature/issue-7-x` ->
    `Refs #7`, `ABC-123-retry` or `feat/ABC-123` -> `Refs: ABC-123`; None when it carries none."""
    if not branch:
        return None
    parts = branch.split("/")
    fixes = any(part.lower() in _FIX_BRANCH_PREFIXES for part in parts[:-1]) or bool(
        re.match(r"(?:bug|hot)?fix[-_]", parts[-1], re.IGNORECASE))
    token = "Fixes" if fixes else "Refs"
    key = _BRANCH_KEY.search(branch)
    if key:
        return BranchReference(key_footer(token, key["key"]), branch)
    leaf = re.sub(r"^(?:(?:bug|hot)?fix|feat|feature|issue)[-_](?=(?:issues?[-_]?|gh[-_]?)?\d)", "", parts[-1],
                  flags=re.IGNORECASE)
    number = _BRANCH_ISSUE.match(leaf)
    if number:
        return BranchReference(issue_footer(token, number["number"], style), branch)
    return None


def same_reference(a: Footer, b: Footer) -> bool:
    """Whether two reference footers name the same issue, whatever the verb or style."""
    return a.value.lstrip("#") == b.value.lstrip("#")


def is_reference(footer: Footer) -> bool:
    return footer.token in set(_VERBS.values()) and bool(re.fullmatch(r"#?\d+|[A-Z][A-Z0-9]*-\d+", footer.value))
