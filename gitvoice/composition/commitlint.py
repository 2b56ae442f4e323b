"""commitlint, reimplemented: the same parse, the same rules, the same verdicts, without Node.

Mirrors @commitlint/{lint,parse,rules,ensure,is-ignored} 21.2.4 with the parser options of
conventional-changelog-conventionalcommits (conventional-commits-parser 7.1.4), as `commitlint` runs them with
`extends: ['@commitlint/config-conventional']`. tests/composition/test_commitlint_differential.py holds it to the real
tools (pinned in tests/oracles/package.json) message by message.

JavaScript strings count UTF-16 code units and its regular expressions (without the `u` flag) see code units,
ASCII-only `\\w`, `\\d` and `\\b`, and its own `\\s`; the helpers below reproduce those where a verdict depends on
them (lengths of emoji, word splitting in the case checks).

Pure standard library and fast to import: the commit-msg hook calls it on every commit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CASES",
    "CONFIG_CONVENTIONAL",
    "RULES",
    "SCISSORS",
    "Ignore",
    "LintResult",
    "Note",
    "ParsedCommit",
    "Problem",
    "Reference",
    "Rule",
    "When",
    "ensure_case",
    "git_trailers",
    "is_ignored",
    "lint",
    "lint_commit_msg_file",
    "parse_commit",
    "rules_from_config",
    "to_case",
]

# --------------------------------------------------------------------------------------------------------------
# JavaScript string semantics

# ECMAScript WhiteSpace + LineTerminator: what JS `\s`, String#trim, trimStart and trimEnd treat as space
# (Python's str.strip also strips \x1c-\x1f and \x85, JS does not).
_JS_SPACE_CHARS = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_S = "[" + re.escape(_JS_SPACE_CHARS) + "]"  # JS `\s`
_NS = "[^" + re.escape(_JS_SPACE_CHARS) + "]"  # JS `\S`
_DOT = "[^\n\r\u2028\u2029]"  # JS `.` without the `s` flag: not any line terminator
_LINE_BREAK = re.compile(r"\r?\n")  # @commitlint/to-lines, conventional-commits-parser's line split


def _js_len(text: str) -> int:
    """String#length: UTF-16 code units, so an emoji counts two."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _js_trim(text: str) -> str:
    return text.strip(_JS_SPACE_CHARS)


def _to_units(text: str) -> str:
    """The string as JS regular expressions without `u` see it: astral characters as two surrogates."""
    if text.isascii() or all(ord(char) <= 0xFFFF for char in text):
        return text
    data = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(data[i : i + 2], "little")) for i in range(0, len(data), 2))


def _from_units(units: str) -> str:
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _upper_first(text: str) -> str:
    """es-toolkit upperFirst / the case of `capitalize`'s first unit: an astral first character stays as is
    because JS upper-cases its lone high surrogate, a no-op."""
    if not text or ord(text[0]) > 0xFFFF:
        return text
    return text[0].upper() + text[1:]


def _capitalize(word: str) -> str:
    """es-toolkit capitalize: charAt(0).toUpperCase() + slice(1).toLowerCase()."""
    if not word:
        return word
    if ord(word[0]) > 0xFFFF:
        return word[0] + word[1:].lower()
    return word[0].upper() + word[1:].lower()


# --------------------------------------------------------------------------------------------------------------
# Case checks: @commitlint/ensure/src/to-case.ts and case.ts over es-toolkit/compat (lodash's word patterns,
# es-toolkit/dist/compat/_internal/words.mjs), evaluated on UTF-16 code units as V8 does.

_RS_ASTRAL = "\\ud800-\\udfff"
_RS_COMBO = "\\u0300-\\u036f\\ufe20-\\ufe2f\\u20d0-\\u20ff"
_RS_DINGBAT = "\\u2700-\\u27bf"
_RS_LOWER_RANGE = "a-z\\xdf-\\xf6\\xf8-\\xff"
_RS_UPPER_RANGE = "A-Z\\xc0-\\xd6\\xd8-\\xde"
_RS_BREAK_RANGE = (
    "\\xac\\xb1\\xd7\\xf7\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\xbf\\u2000-\\u206f \\t\\x0b\\f\\xa0\\ufeff\\n\\r"
    "\\u2028\\u2029\\u1680\\u180e\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a"
    "\\u202f\\u205f\\u3000"
)


def _word_pattern() -> re.Pattern[str]:
    """lodash's reUnicodeWord (es-toolkit compat/_internal/words.mjs), `$` as `\\Z` and `\\d`/`\\b` ASCII."""
    apos = "['\u2019]"
    brk = f"[{_RS_BREAK_RANGE}]"
    lower = f"[{_RS_LOWER_RANGE}]"
    upper = f"[{_RS_UPPER_RANGE}]"
    misc = f"[^{_RS_ASTRAL}{_RS_BREAK_RANGE}\\d+{_RS_DINGBAT}{_RS_LOWER_RANGE}{_RS_UPPER_RANGE}]"
    modifier = f"(?:[{_RS_COMBO}]|\\ud83c[\\udffb-\\udfff])"
    regional = "(?:\\ud83c[\\udde6-\\uddff]){2}"
    surr_pair = "[\\ud800-\\udbff][\\udc00-\\udfff]"
    misc_lower = f"(?:{lower}|{misc})"
    misc_upper = f"(?:{upper}|{misc})"
    contr_lower = f"(?:{apos}(?:d|ll|m|re|s|t|ve))?"
    contr_upper = f"(?:{apos}(?:D|LL|M|RE|S|T|VE))?"
    opt_var = "[\\ufe0e\\ufe0f]?"
    opt_join = f"(?:\\u200d(?:[^{_RS_ASTRAL}]|{regional}|{surr_pair}){opt_var}{modifier}?)*"
    emoji = f"(?:[{_RS_DINGBAT}]|{regional}|{surr_pair}){opt_var}{modifier}?{opt_join}"
    alternatives = [
        f"{upper}?{lower}+{contr_lower}(?={brk}|{upper}|\\Z)",
        f"{misc_upper}+{contr_upper}(?={brk}|{upper}{misc_lower}|\\Z)",
        f"{upper}?{misc_lower}+{contr_lower}",
        f"{upper}+{contr_upper}",
        "\\d*(?:1ST|2ND|3RD|(?![123])\\dTH)(?=\\b|[a-z_])",
        "\\d*(?:1st|2nd|3rd|(?![123])\\dth)(?=\\b|[A-Z_])",
        "\\d+",
        emoji,
    ]
    return re.compile("|".join(alternatives), re.ASCII)


_UNICODE_WORD = _word_pattern()
_HAS_UNICODE_WORD = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]")
_ASCII_WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")

# es-toolkit string/deburr.mjs: the letters NFD does not decompose to ASCII.
_DEBURR_SPECIAL = {
    "Æ": "Ae", "Ð": "D", "Ø": "O", "Þ": "Th", "ß": "ss", "æ": "ae", "ð": "d", "ø": "o", "þ": "th", "Đ": "D",
    "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij", "ĸ": "k", "Ŀ": "L", "ŀ": "l", "Ł": "L",
    "ł": "l", "ŉ": "'n", "Ŋ": "N", "ŋ": "n", "Œ": "Oe", "œ": "oe", "Ŧ": "T", "ŧ": "t", "ſ": "s",
}  # fmt: skip


def _is_combining(code: int) -> bool:
    return 0x300 <= code <= 0x36F or 0x20D0 <= code <= 0x20FF or 0xFE20 <= code <= 0xFE2F


def _deburr_letter(char: str) -> str:
    if char in _DEBURR_SPECIAL:
        return _DEBURR_SPECIAL[char]
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(_DEBURR_SPECIAL.get(part, part) for part in decomposed if not _is_combining(ord(part)))


# es-toolkit compat/string/deburr.mjs: a table for U+00C0..U+017F, combining marks dropped, the rest kept.
_DEBURR_TABLE = {code: _deburr_letter(chr(code)) for code in range(192, 384)}
_DEBURR_TABLE.update({code: "" for code in (*range(0x300, 0x370), *range(0x20D0, 0x2100), *range(0xFE20, 0xFE30))})


def _prepare(text: str) -> str:
    """normalizeForCase(deburr(text)) of es-toolkit/compat: Latin letters to ASCII, apostrophes dropped."""
    return text.translate(_DEBURR_TABLE).replace("'", "").replace("\u2019", "")


def _split(prepared: str) -> list[str]:
    """lodash's words(), run on UTF-16 code units like V8 and returned as Python strings."""
    units = _to_units(prepared)
    pattern = _UNICODE_WORD if _HAS_UNICODE_WORD.search(units) else _ASCII_WORD
    return [_from_units(word) for word in pattern.findall(units)]


def _words(text: str) -> list[str]:
    return _split(_prepare(text))


def _camel(text: str) -> str:
    words = _words(text)
    if not words:
        return ""
    return words[0].lower() + "".join(_capitalize(word) for word in words[1:])


def _start(text: str) -> str:
    # es-toolkit startCase trims (JS trim) before splitting and upper-cases each word's first code point.
    words = _split(_js_trim(_prepare(text)))
    return " ".join(word[:1].upper() + word[1:] for word in words)


_CASES: dict[str, Callable[[str], str]] = {
    "camel-case": _camel,
    "kebab-case": lambda text: "-".join(word.lower() for word in _words(text)),
    "snake-case": lambda text: "_".join(word.lower() for word in _words(text)),
    "pascal-case": lambda text: _upper_first(_camel(text)),
    "start-case": _start,
    "upper-case": str.upper,
    "uppercase": str.upper,
    "sentence-case": _upper_first,
    "sentencecase": _upper_first,
    "lower-case": str.lower,
    "lowercase": str.lower,
    "lowerCase": str.lower,  # backwards compatibility with config-angular v4, as in to-case.ts
}
CASES: tuple[str, ...] = tuple(_CASES)

_QUOTED = re.compile(f"`{_DOT}*?`|\"{_DOT}*?\"|'{_DOT}*?'")


def to_case(text: str, target: str) -> str:
    """@commitlint/ensure toCase: `text` converted to `target` (one of CASES)."""
    try:
        return _CASES[target](text)
    except KeyError:
        raise ValueError(f'to-case: Unknown target case "{target}"') from None


def ensure_case(raw: str, target: str = "lowercase") -> bool:
    """@commitlint/ensure case.ts: is `raw` already in `target` case? Quoted parts are ignored (they may be
    proper names), and text that converts to nothing or to something starting with a digit passes."""
    text = _js_trim(_QUOTED.sub("", raw))
    transformed = to_case(text, target)
    if transformed == "" or transformed[:1] in "0123456789":
        return True
    return transformed == text


# --------------------------------------------------------------------------------------------------------------
# Parsing: conventional-commits-parser 7.1.4 (dist/CommitParser.js, regex.js, utils.js) with the options that
# @commitlint/parse builds: conventional-changelog-conventionalcommits' parser options, fieldPattern null.

_HEADER = re.compile(rf"(\w*)(?:\(({_DOT}*)\))?!?: ({_DOT}*)\Z", re.ASCII)
_BREAKING_HEADER = re.compile(rf"(\w*)(?:\(({_DOT}*)\))?!: ({_DOT}*)\Z", re.ASCII)
_NOTE_KEYWORDS = "BREAKING CHANGE|BREAKING-CHANGE"
_NOTES = re.compile(rf"(?:\*{_S}+)?({_NOTE_KEYWORDS}):{_S}*({_DOT}*)", re.ASCII | re.IGNORECASE)
_FOOTER_TOKEN = re.compile(rf"(?:BREAKING CHANGE|[\w-]+)(?::{_S}+|{_S}+(?:\#)){_DOT}+", re.ASCII | re.IGNORECASE)
_ACTIONS = "close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved"


def _references_regex(separator: str) -> re.Pattern[str]:
    next_keyword = rf"(?<!\w)(?:{_ACTIONS})(?!\w)"
    return re.compile(rf"(?<!\w)({_ACTIONS}){separator}(?:{_S}+({_DOT}*?))(?={next_keyword}|\Z)",
                      re.ASCII | re.IGNORECASE)


_REFERENCES = _references_regex("")
_FOOTER_REFERENCES = _references_regex(":?")
_REPO_CHAR = r"[\w\-./]"
_REFERENCE_PARTS = re.compile(
    rf"{_DOT}*?(?<!{_REPO_CHAR})(?:({_REPO_CHAR}+)(?!{_REPO_CHAR}))?(\#)((?=[\w-]*\d)[\w-]+)(?={_S}|\Z|[,;.)\]])",
    re.ASCII | re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?)://(?:www\.)?([-a-zA-Z0-9@:%_+.~#?&/=])+\b", re.ASCII)
_MENTIONS = re.compile(r"@([\w-]+)", re.ASCII)
_REVERT = re.compile(rf"(?:Revert|revert:){_S}\"?((?s:.)+?)\"?{_S}*This reverts commit (\w*)\.",
                     re.ASCII | re.IGNORECASE)
_GPG = re.compile(rf"{_S}*gpg:")
SCISSORS = "------------------------ >8 ------------------------"


@dataclass(frozen=True)
class Note:
    title: str  # "BREAKING CHANGE" or "BREAKING-CHANGE" as written (the header's `!` gives "BREAKING CHANGE")
    text: str  # the note's text, continuation lines included


@dataclass(frozen=True)
class Reference:
    action: str | None  # "Closes", "fixes", ... as written; None for a bare "#12"
    owner: str | None  # "owner" of "owner/repo#12"
    repository: str | None  # "repo" of "owner/repo#12" or of "repo#12"
    prefix: str  # the issue prefix: "#"
    issue: str  # "12"
    raw: str  # the text the reference was read from


@dataclass(frozen=True)
class ParsedCommit:
    raw: str  # the message exactly as given: rules such as body-leading-blank read its lines
    header: str | None  # first line left after comments and gpg lines; None when it is empty
    type: str | None  # None when the header is not "type(scope): subject" or the type is empty
    scope: str | None  # text between the parentheses; None when absent or empty
    subject: str | None  # text after ": "
    body: str | None  # lines between the header and the first footer line, outer blank lines trimmed
    footer: str | None  # from the first footer token or note line on ("Refs: x", "Closes #1", "BREAKING CHANGE:")
    notes: tuple[Note, ...]  # BREAKING CHANGE notes, including one from the header's `!`
    references: tuple[Reference, ...]  # issue references, de-duplicated as the parser does
    mentions: tuple[str, ...]  # @names anywhere in the raw message
    revert: Mapping[str, str | None] | None  # {"header", "hash"} of a `Revert "..." This reverts commit x.`
    merge: str | None = None  # always None: the conventionalcommits preset has no mergePattern


def _trim_new_lines(text: str) -> str:
    """utils.js trimNewLines: drop leading and trailing \\r and \\n only."""
    return text.strip("\r\n")


def _append_line(src: str | None, line: str | None) -> str:
    return f"{src}\n{line or ''}" if src else (line or "")


def _message_lines(text: str, comment_char: str | None) -> list[str]:
    """CommitParser.parse: split, cut at the scissors line and drop comment and gpg lines."""
    raw_lines = _LINE_BREAK.split(_trim_new_lines(text))
    if comment_char:
        scissors = f"{comment_char} {SCISSORS}"
        if scissors in raw_lines:
            raw_lines = raw_lines[: raw_lines.index(scissors)]
        return [line for line in raw_lines if not line.startswith(comment_char) and not _GPG.match(line)]
    return [line for line in raw_lines if not _GPG.match(line)]


class _Parser:
    """CommitParser.js, state for state: one instance parses one message."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0
        self.header: str | None = None
        self.body: str | None = None
        self.footer: str | None = None
        self.notes: list[list[str]] = []  # [title, text]: notes grow while their continuation lines are read
        self.references: list[Reference] = []

    def available(self) -> bool:
        return self.index < len(self.lines)

    def current(self) -> str:
        return self.lines[self.index]

    def parse_notes(self) -> bool:
        """parseNotes: a BREAKING CHANGE line starts the footer; lines after it extend the note until a footer
        token, which ends it. Recursive like the original, so a second note line starts a second note."""
        if not self.available():
            return False
        match = _NOTES.match(self.current())
        if not match:
            return False
        note = [match.group(1), match.group(2)]
        self.notes.append(note)
        self.footer = _append_line(self.footer, self.current())
        self.index += 1
        while self.available():
            if self.parse_notes():
                return True
            line = self.current()
            is_token = _FOOTER_TOKEN.match(line) is not None
            self.references.extend(_parse_references(line, is_token))
            if not is_token:
                note[1] = _append_line(note[1], line)
            self.footer = _append_line(self.footer, line)
            self.index += 1
            if is_token:
                break
        return True

    def parse_body_and_footer(self, is_body: bool) -> bool:
        """parseBodyAndFooter: once a footer token ("Token: value", "Closes #1") is met, the rest is footer."""
        if not self.available():
            return is_body
        line = self.current()
        is_token = _FOOTER_TOKEN.match(line) is not None
        still_body = not is_token and is_body
        self.references.extend(_parse_references(line, is_token))
        if still_body:
            self.body = _append_line(self.body, line)
        else:
            self.footer = _append_line(self.footer, line)
        self.index += 1
        return still_body

    def run(self) -> None:
        header = self.lines[0] if self.lines else None
        self.index = 1 if self.lines else 0
        if header:
            self.header = header
            self.references = _parse_references(header, False)
        is_body = True
        while self.available():
            if self.parse_notes():
                is_body = False
            if not self.parse_body_and_footer(is_body):
                is_body = False


def _reference_from(match: re.Match[str], action: str | None) -> Reference:
    repository, prefix, issue = match.group(1), match.group(2), match.group(3)
    owner = None
    if repository and "/" in repository:
        owner, repository = repository.split("/", 1)
    return Reference(action=action, owner=owner, repository=repository or None, prefix=prefix, issue=issue,
                     raw=match.group(0))


def _sentence_references(sentence: str, action: str | None) -> list[Reference]:
    """parseReference called until it fails: a sticky regex, so each match starts where the last ended; a URL
    anywhere in the sentence hides all its references."""
    if _URL.search(sentence):
        return []
    found = []
    position = 0
    while (match := _REFERENCE_PARTS.match(sentence, position)) is not None:
        found.append(_reference_from(match, action))
        position = match.end()
    return found


def _parse_references(line: str, is_footer_token: bool) -> list[Reference]:
    """parseReferences: the line split into action sentences ("Closes #1, #2") and the text between them."""
    regex = _FOOTER_REFERENCES if is_footer_token else _REFERENCES
    sentences: list[tuple[str | None, str]] = []
    last = 0
    for match in regex.finditer(line):
        sentences.append((None, line[last : match.start()]))
        sentences.append((match.group(1) or None, match.group(2) or ""))
        last = match.end()
    sentences.append((None, line[last:]))
    return [reference for action, sentence in sentences for reference in _sentence_references(sentence, action)]


def _unique_references(references: Iterable[Reference]) -> tuple[Reference, ...]:
    """cleanupCommit: one reference per `${action} ${raw}`, case-insensitively."""
    seen: set[str] = set()
    unique = []
    for reference in references:
        uid = f"{'null' if reference.action is None else reference.action} {reference.raw}".lower()
        if uid not in seen:
            seen.add(uid)
            unique.append(reference)
    return tuple(unique)


def _header_parts(header: str | None) -> tuple[str | None, str | None, str | None]:
    """parseHeader: the breaking pattern first, then the plain one; empty groups become None."""
    if not header:
        return None, None, None
    match = _BREAKING_HEADER.match(header) or _HEADER.match(header)
    if not match:
        return None, None, None
    type_, scope, subject = match.groups()
    return type_ or None, scope or None, subject or None


def parse_commit(text: str, *, comment_char: str | None = None) -> ParsedCommit:
    """Parse a commit message as @commitlint/parse does.

    `comment_char`: None parses the text as given (`commitlint` reading stdin or `--last`); "#" (or git's
    core.commentChar) also cuts at the scissors line and drops comment lines, as `commitlint --edit` does for
    a commit-msg file. `raw` stays the text as given either way, as in commitlint.
    """
    parser = _Parser(_message_lines(text, comment_char) if text.strip(_JS_SPACE_CHARS) else [])
    parser.run()
    type_, scope, subject = _header_parts(parser.header)
    notes = [Note(title, _trim_new_lines(body)) for title, body in parser.notes]
    if not notes and parser.header:
        # parseBreakingHeader: `feat!: x` is a breaking change even without a footer note.
        breaking = _BREAKING_HEADER.match(parser.header)
        if breaking:
            notes.append(Note("BREAKING CHANGE", breaking.group(3)))
    revert = _REVERT.match(text)
    return ParsedCommit(
        raw=text,
        header=parser.header,
        type=type_,
        scope=scope,
        subject=subject,
        body=_trim_new_lines(parser.body) if parser.body else parser.body,
        footer=_trim_new_lines(parser.footer) if parser.footer else parser.footer,
        notes=tuple(notes),
        references=_unique_references(parser.references),
        mentions=tuple(_MENTIONS.findall(text)),
        revert={"header": revert.group(1) or None, "hash": revert.group(2) or None} if revert else None,
    )


# --------------------------------------------------------------------------------------------------------------
# Rules: @commitlint/rules/src/*.ts, one function each, returning (valid, message) like the originals.

When = Literal["always", "never"]
_Outcome = tuple[bool, str]
_DEFAULT_DELIMITERS = ("/", "\\", ",")


def _message(*parts: str | None) -> str:
    """@commitlint/message: the truthy parts joined by spaces."""
    return " ".join(part for part in parts if part)


def _max_length(text: str | None, limit: object) -> bool:
    return isinstance(text, str) and isinstance(limit, int) and _js_len(text) <= limit


def _min_length(text: str | None, limit: object) -> bool:
    return isinstance(text, str) and isinstance(limit, int) and _js_len(text) >= limit


_URL_LINE = re.compile(rf"\bhttps?://{_NS}+", re.ASCII)


def _max_line_length(text: str, limit: object) -> bool:
    """ensure/max-line-length.ts: lines holding a URL are exempt."""
    return all(_URL_LINE.search(line) or _max_length(line, limit) for line in _LINE_BREAK.split(text))


def _case_checks(value: object) -> list[tuple[str, str]]:
    """A case value is a case, a list of cases, or a list of {when, case}: (when, case) pairs."""
    items = value if isinstance(value, list | tuple) else [value]
    checks = []
    for item in items:
        if isinstance(item, Mapping):
            checks.append((str(item.get("when", "always")), str(item["case"])))
        else:
            checks.append(("always", str(item)))
    return checks


def _case_rule(subject: str, text: str, when: When, value: object,
               test: Callable[[str], bool] | None = None) -> _Outcome:
    """The shared body of body-case, header-case, subject-case, type-case and scope-case: with `never`, the
    message names the cases that matched; with `always`, all the configured ones."""
    checks = _case_checks(value)
    passes = test or (lambda case: ensure_case(text, case))
    matches = [(w, case) for w, case in checks if passes(case) != (w == "never")]
    result = bool(matches)
    negated = when == "never"
    reported = matches if negated and result else checks
    listed = ", ".join(case for _, case in reported)
    return (not result if negated else result), _message(f"{subject} must", "not" if negated else None, f"be {listed}")


def _body_case(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.body:
        return True, ""
    return _case_rule("body", parsed.body, when, value)


def _header_case(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not isinstance(parsed.header, str) or not re.match("[a-z]", parsed.header, re.IGNORECASE | re.ASCII):
        return True, ""
    return _case_rule("header", parsed.header, when, value)


def _starts_with_cased_letter(text: str) -> bool:
    """subject-case.ts `/^[\\p{Ll}\\p{Lu}\\p{Lt}]/iu`."""
    return bool(text) and unicodedata.category(text[0]) in ("Ll", "Lu", "Lt")


def _subject_case(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not isinstance(parsed.subject, str) or not _starts_with_cased_letter(parsed.subject):
        return True, ""
    return _case_rule("subject", parsed.subject, when, value)


def _type_case(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.type:
        return True, ""
    return _case_rule("type", parsed.type, when, value)


def _delimiter_regex(delimiters: Sequence[str]) -> re.Pattern[str]:
    # scope-case.ts / scope-enum.ts: "," also swallows one following space.
    return re.compile("|".join(", ?" if d == "," else re.escape(d) for d in delimiters))


def _scope_case(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """scope-case.ts: every delimited segment of the scope must be in the case; value may be
    {cases, delimiters}."""
    if not parsed.scope:
        return True, ""
    delimiters: Sequence[str] = _DEFAULT_DELIMITERS
    if isinstance(value, Mapping):
        delimiters = value.get("delimiters") or _DEFAULT_DELIMITERS
        value = value.get("cases", [])
    regex = _delimiter_regex(delimiters)
    segments = regex.split(parsed.scope)

    def passes(case: str) -> bool:
        return all(regex.search(segment) or ensure_case(segment, case) for segment in segments)

    return _case_rule("scope", parsed.scope, when, value, passes)


def _empty_rule(subject: str, text: str | None, when: When, default_never: bool) -> _Outcome:
    """body-empty, footer-empty, subject-empty, type-empty (default `always`: "must be empty") and
    scope-empty (default `never`: "may not be empty"), with their own wording."""
    not_empty = bool(text)
    if default_never:  # scope-empty.ts: negated means `always`
        negated = when == "always"
        return (not not_empty if negated else not_empty), _message(subject, "must" if negated else "may not",
                                                                      "be empty")
    negated = when == "never"
    return (not_empty if negated else not not_empty), _message(subject, "may not" if negated else "must", "be empty")


def _leading_blank(subject: str, ok: bool, when: When) -> _Outcome:
    negated = when == "never"
    return (not ok if negated else ok), _message(subject, "may not" if negated else "must", "have leading blank line")


def _body_leading_blank(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """body-leading-blank.ts: reads the raw message's second line, comments and all."""
    if not parsed.body:
        return True, ""
    lines = _LINE_BREAK.split(parsed.raw)
    return _leading_blank("body", len(lines) > 1 and lines[1] == "", when)


def _footer_leading_blank(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """footer-leading-blank.ts: the raw line before the first raw line equal to the footer's first line
    (JS slice semantics: index 0 looks at the last line)."""
    if not parsed.footer:
        return True, ""
    raw_lines = _LINE_BREAK.split(parsed.raw)
    first = _LINE_BREAK.split(parsed.footer)[0]
    offset = raw_lines.index(first) if first in raw_lines else -1
    before = raw_lines[offset - 1 :] if offset - 1 >= 0 else raw_lines[max(len(raw_lines) + offset - 1, 0) :]
    return _leading_blank("footer", bool(before) and before[0] == "", when)


def _full_stop(subject: str, has_stop: bool, when: When) -> _Outcome:
    negated = when == "never"
    return (not has_stop if negated else has_stop), _message(subject, "may not" if negated else "must",
                                                             "end with full stop")


def _body_full_stop(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.body:
        return True, ""
    return _full_stop("body", _last_unit(parsed.body) == _stop(value), when)


def _header_full_stop(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    return _full_stop("header", bool(parsed.header) and _last_unit(parsed.header) == _stop(value), when)


def _subject_full_stop(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """subject-full-stop.ts looks at the header's end; a header ending in its only colon and "..." pass."""
    header = parsed.header
    colon = header.find(":") if header is not None else 0
    if header is not None and colon > 0 and colon == len(header) - 1:
        return True, ""
    has_stop = bool(header) and _last_unit(header) == _stop(value) and not (header or "").endswith("...")
    return _full_stop("subject", has_stop, when)


def _stop(value: object) -> str:
    return "." if value is None else str(value)


def _last_unit(text: str | None) -> str:
    """text[text.length - 1] in JS: half of an astral character never equals a full stop."""
    if not text:
        return ""
    return text[-1] if ord(text[-1]) <= 0xFFFF else "\ud800"


def _length_rule(part: str, longer: bool) -> Callable[[ParsedCommit, When, object], _Outcome]:
    """{body,footer,scope,subject,type}-{max,min}-length.ts: an empty part passes."""
    check = _max_length if longer else _min_length
    word = "longer" if longer else "shorter"

    def rule(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
        text = getattr(parsed, part)
        limit = 0 if value is None else value
        if not text:
            return True, ""
        return check(text, limit), f"{part} must not be {word} than {limit} characters"

    return rule


def _line_length_rule(part: str) -> Callable[[ParsedCommit, When, object], _Outcome]:
    """body-max-line-length.ts / footer-max-line-length.ts."""

    def rule(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
        text = getattr(parsed, part)
        limit = 0 if value is None else value
        if not text:
            return True, ""
        return _max_line_length(text, limit), f"{part}'s lines must not be longer than {limit} characters"

    return rule


def _header_length(parsed: ParsedCommit, limit: object, longer: bool) -> _Outcome:
    """header-max-length.ts / header-min-length.ts: a missing header fails and reports "undefined"."""
    current = "undefined" if parsed.header is None else str(_js_len(parsed.header))
    word = "longer" if longer else "shorter"
    check = _max_length if longer else _min_length
    return check(parsed.header, limit), (f"header must not be {word} than {limit} characters, "
                                         f"current length is {current}")


def _header_trim(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    header = parsed.header
    if not header:
        return True, ""
    starts = len(header) > len(header.lstrip(_JS_SPACE_CHARS))
    ends = len(header) > len(header.rstrip(_JS_SPACE_CHARS))
    if starts and ends:
        return False, "header must not be surrounded by whitespace"
    if starts:
        return False, "header must not start with whitespace"
    if ends:
        return False, "header must not end with whitespace"
    return True, ""


def _in_enum(text: str | None, values: object) -> bool:
    return text is not None and isinstance(values, list | tuple) and text in values


def _type_enum(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.type:
        return True, ""
    negated = when == "never"
    result = _in_enum(parsed.type, value)
    listed = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else ""
    return (not result if negated else result), _message("type must", "not" if negated else None,
                                                          f"be one of [{listed}]")


def _scope_enum(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """scope-enum.ts: each delimited part must be allowed (or the whole scope); value may be
    {scopes, delimiters}."""
    scopes: Sequence[str] = value if isinstance(value, list | tuple) else []
    delimiters: Sequence[str] = _DEFAULT_DELIMITERS
    if isinstance(value, Mapping):
        scopes = value.get("scopes", [])
        delimiters = value.get("delimiters") or _DEFAULT_DELIMITERS
    if not parsed.scope or not scopes:
        return True, ""
    parts = _delimiter_regex(delimiters).split(parsed.scope)
    listed = f"be one of [{', '.join(scopes)}]"
    if when == "never":
        valid = not any(part in scopes for part in parts) and parsed.scope not in scopes
        return valid, _message("scope must", "not", listed)
    return all(part in scopes for part in parts) or parsed.scope in scopes, _message("scope must", listed)


_SCOPE_DELIMITER_CHARS = re.compile(r"[^A-Za-z0-9\-_]+")


def _scope_delimiter_style(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.scope:
        return True, ""
    delimiters = list(value) if isinstance(value, list | tuple) and value else list(_DEFAULT_DELIMITERS)
    found = {"," if d.strip(_JS_SPACE_CHARS) == "," else d for d in _SCOPE_DELIMITER_CHARS.findall(parsed.scope)}
    allowed = all(d in delimiters for d in found)
    negated = when == "never"
    return (not allowed if negated else allowed), (
        f"scope delimiters must {'not ' if negated else ''}be one of [{', '.join(delimiters)}]")


_EXCLAMATION_HEADER = re.compile(rf"(\w*)(?:\(({_DOT}*)\))?!: ({_DOT}*)\Z", re.ASCII)
_BREAKING_FOOTER = re.compile(r"(?:^|(?<=[\n\r\u2028\u2029]))BREAKING[ -]CHANGE:")


def _subject_exclamation_mark(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    if not parsed.header:
        return True, ""
    negated = when == "never"
    has = _EXCLAMATION_HEADER.match(parsed.header) is not None
    return (not has if negated else has), _message(
        "subject", "must not" if negated else "must",
        "have an exclamation mark in the subject to identify a breaking change")


def _breaking_change_exclamation_mark(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """breaking-change-exclamation-mark.ts: `!` in the header exactly when BREAKING CHANGE is in the footer."""
    if not parsed.header and not parsed.footer:
        return True, ""
    has_mark = bool(parsed.header) and _EXCLAMATION_HEADER.match(parsed.header or "") is not None
    has_note = bool(parsed.footer) and _BREAKING_FOOTER.search(parsed.footer or "") is not None
    negated = when == "never"
    check = has_mark == has_note
    return (not check if negated else check), _message(
        "breaking changes", "must not" if negated else "must", "have both an exclamation mark in the header",
        "and BREAKING CHANGE in the footer", "to identify a breaking change")


def _references_empty(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    negated = when == "always"
    not_empty = bool(parsed.references)
    return (not not_empty if negated else not_empty), _message("references", "must" if negated else "may not",
                                                               "be empty")


_CHERRY_PICK = re.compile(r"\(cherry picked from commit [0-9a-f]{7,64}\)\Z", re.IGNORECASE | re.ASCII)


def _signed_off_by(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """signed-off-by.ts: the last raw line that is no comment, cherry-pick note or empty line."""
    lines = [line for line in _LINE_BREAK.split(parsed.raw)
             if not line.startswith("#") and not _CHERRY_PICK.match(_js_trim(line)) and line]
    has = bool(lines) and lines[-1].startswith("" if value is None else str(value))
    negated = when == "never"
    return (not has if negated else has), _message("message", "must not" if negated else "must", "be signed off")


def _trailer_exists(parsed: ParsedCommit, when: When, value: object) -> _Outcome:
    """trailer-exists.ts runs `git interpret-trailers --parse`; git_trailers() does what git does there."""
    prefix = "" if value is None else str(value)
    has = any(line.startswith(prefix) for line in git_trailers(parsed.raw))
    negated = when == "never"
    return (not has if negated else has), _message("message", "must not" if negated else "must",
                                                   f"have `{prefix}` trailer")


# --------------------------------------------------------------------------------------------------------------
# `git interpret-trailers --parse` (git's trailer.c), for trailer-exists: the last paragraph is the trailer block
# when it is all trailers, or holds a git-generated one and at least 25% trailers. Without git config
# (trailer.*, core.commentChar), as a hermetic git sees it.

_GIT_GENERATED = ("Signed-off-by: ", "(cherry picked from commit ")
_GIT_SPACE = " \t\n\r"  # git's sane_ctype isspace
_UNFOLD = re.compile("\n[ \t\n\r]*")  # trailer.c unfold_value: a newline and the space after it become one space


def _find_separator(line: str) -> int:
    """trailer.c find_separator: the ':' after a token of ASCII alphanumerics and '-' (and inner spaces)."""
    whitespace_found = False
    for index, char in enumerate(line):
        if char == ":":
            return index
        if not whitespace_found and ((char.isascii() and char.isalnum()) or char == "-"):
            continue
        if index and char in " \t":
            whitespace_found = True
            continue
        break
    return -1


def _is_blank(line: str) -> bool:
    return not line.strip(_GIT_SPACE)


def _end_of_log_message(lines: list[str], comment: str) -> int:
    """find_end_of_log_message: stop at a "---" divider, the scissors line, then drop the trailing run of
    comment lines, empty lines and old "Conflicts:" blocks (ignored_log_message_bytes)."""
    end = next((i for i, line in enumerate(lines) if line.startswith("---") and line[3:4] in (*_GIT_SPACE, "")),
               len(lines))
    scissors = f"{comment} {SCISSORS}"
    cutoff = lines.index(scissors) if scissors in lines[:end] else end
    boc, in_conflicts = 0, False  # like git, a run that starts on the first line counts as no run
    for index in range(cutoff):
        line = lines[index]
        if line.startswith(comment) or line == "":
            boc = boc or index
        elif line == "Conflicts:":
            in_conflicts, boc = True, boc or index
        elif in_conflicts and line.startswith("\t"):
            pass
        elif boc:
            boc, in_conflicts = 0, False
    return boc or cutoff


def _trailer_block_start(lines: list[str], end: int, comment: str) -> int:
    """find_trailer_block_start over lines[:end]; `end` when there is no trailer block."""
    title_end = next((i for i in range(end) if not lines[i].startswith(comment) and _is_blank(lines[i])), end)
    only_spaces, recognized = True, False
    trailers = non_trailers = continuations = 0
    for index in range(end - 1, title_end - 1, -1):
        line = lines[index]
        if line.startswith(comment):
            non_trailers, continuations = non_trailers + continuations, 0
            continue
        if _is_blank(line):
            if only_spaces:
                continue
            non_trailers += continuations
            if (recognized and trailers * 3 >= non_trailers) or (trailers and not non_trailers):
                return index + 1
            return end
        only_spaces = False
        if line.startswith(_GIT_GENERATED):
            trailers, continuations, recognized = trailers + 1, 0, True
        elif _find_separator(line) >= 1 and line[0] not in _GIT_SPACE:
            trailers, continuations = trailers + 1, 0
        elif line[0] in _GIT_SPACE:
            continuations += 1
        else:
            non_trailers, continuations = non_trailers + 1 + continuations, 0
    return end


def git_trailers(message: str, comment_char: str = "#") -> list[str]:
    """What `git interpret-trailers --parse` prints for `message`: "Token: value" lines, values unfolded."""
    lines = message.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text ends with a newline (git completes a last line that lacks one)
    end = _end_of_log_message(lines, comment_char)
    entries: list[str] = []
    last_is_trailer = False
    for line in lines[_trailer_block_start(lines, end, comment_char) : end]:
        if last_is_trailer and (line == "" or line[0] in _GIT_SPACE):
            entries[-1] += "\n" + line
            continue
        entries.append(line)
        last_is_trailer = _find_separator(line) >= 1
    result = []
    for entry in entries:
        separator = _find_separator(entry)
        if entry.startswith(comment_char) or separator < 1:
            continue
        token = entry[:separator].strip(_GIT_SPACE)
        value = _UNFOLD.sub(" ", entry[separator + 1 :].strip(_GIT_SPACE)).strip(_GIT_SPACE)
        result.append(f"{token}: {value}")
    return result


# --------------------------------------------------------------------------------------------------------------
# The rule registry (@commitlint/rules/src/index.ts) and lint (@commitlint/lint/src/lint.ts)

_RuleFunction = Callable[[ParsedCommit, When, object], _Outcome]


def _empty(part: str, default_never: bool = False) -> _RuleFunction:
    return lambda parsed, when, value: _empty_rule(part, getattr(parsed, part), when, default_never)


RULES: dict[str, _RuleFunction] = {
    "body-case": _body_case,
    "body-empty": _empty("body"),
    "body-full-stop": _body_full_stop,
    "body-leading-blank": _body_leading_blank,
    "body-max-length": _length_rule("body", longer=True),
    "body-max-line-length": _line_length_rule("body"),
    "body-min-length": _length_rule("body", longer=False),
    "breaking-change-exclamation-mark": _breaking_change_exclamation_mark,
    "footer-empty": _empty("footer"),
    "footer-leading-blank": _footer_leading_blank,
    "footer-max-length": _length_rule("footer", longer=True),
    "footer-max-line-length": _line_length_rule("footer"),
    "footer-min-length": _length_rule("footer", longer=False),
    "header-case": _header_case,
    "header-full-stop": _header_full_stop,
    "header-max-length": lambda parsed, when, value: _header_length(parsed, 0 if value is None else value, True),
    "header-min-length": lambda parsed, when, value: _header_length(parsed, 0 if value is None else value, False),
    "header-trim": _header_trim,
    "references-empty": _references_empty,
    "scope-case": _scope_case,
    "scope-delimiter-style": _scope_delimiter_style,
    "scope-empty": _empty("scope", default_never=True),
    "scope-enum": _scope_enum,
    "scope-max-length": _length_rule("scope", longer=True),
    "scope-min-length": _length_rule("scope", longer=False),
    "signed-off-by": _signed_off_by,
    "subject-case": _subject_case,
    "subject-empty": _empty("subject"),
    "subject-exclamation-mark": _subject_exclamation_mark,
    "subject-full-stop": _subject_full_stop,
    "subject-max-length": _length_rule("subject", longer=True),
    "subject-min-length": _length_rule("subject", longer=False),
    "trailer-exists": _trailer_exists,
    "type-case": _type_case,
    "type-empty": _empty("type"),
    "type-enum": _type_enum,
    "type-max-length": _length_rule("type", longer=True),
    "type-min-length": _length_rule("type", longer=False),
}


@dataclass(frozen=True)
class Rule:
    name: str  # a commitlint rule name, a key of RULES
    level: Literal[0, 1, 2]  # 0 off, 1 warning, 2 error (commitlint's RuleConfigSeverity)
    when: When = "always"  # "never" inverts the rule
    value: object = None  # the rule's argument: a length, a case, a list of types, {scopes, delimiters}, ...

    def __post_init__(self) -> None:
        # lint.ts rejects these configurations before linting; so do we, at construction.
        if self.name not in RULES:
            raise ValueError(f"Found rules without implementation: {self.name}.")
        if self.level not in (0, 1, 2):
            raise ValueError(f"level for rule {self.name} must be between 0 and 2, received {self.level!r}")
        if self.when not in ("always", "never"):
            raise ValueError(f'condition for rule {self.name} must be "always" or "never", received {self.when!r}')
        if isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))  # frozen all the way down, and hashable


@dataclass(frozen=True)
class Problem:
    name: str  # the rule that failed
    level: Literal[1, 2]  # 1 warning, 2 error
    message: str  # commitlint's wording, e.g. "subject may not be empty"


@dataclass(frozen=True)
class LintResult:
    valid: bool  # no errors (warnings never make a message invalid)
    errors: list[Problem]  # level-2 failures, in rule order
    warnings: list[Problem]  # level-1 failures, in rule order
    ignored: bool = False  # skipped as a merge, revert, fixup, release, ... (is_ignored) or an empty message


def rules_from_config(config: Mapping[str, Sequence[object]]) -> tuple[Rule, ...]:
    """commitlint's `rules` object ({"type-enum": [2, "always", ["feat"]]}) as Rules, in its order; a rule
    given as [0] alone is off."""
    rules = []
    for name, entry in config.items():
        if len(entry) == 1 and entry[0] == 0:
            continue
        if not 2 <= len(entry) <= 3:
            raise ValueError(f"config for rule {name} must be 2 or 3 items long, received {list(entry)!r}")
        level, when, *rest = entry
        rules.append(Rule(name, level, when, rest[0] if rest else None))  # type: ignore[arg-type]
    return tuple(rules)


# @commitlint/config-conventional 21.2.4 (lib/index.js), in its order.
CONFIG_CONVENTIONAL: tuple[Rule, ...] = (
    Rule("body-leading-blank", 1, "always"),
    Rule("body-max-line-length", 2, "always", 100),
    Rule("footer-leading-blank", 1, "always"),
    Rule("footer-max-line-length", 2, "always", 100),
    Rule("header-max-length", 2, "always", 100),
    Rule("header-trim", 2, "always"),
    Rule("subject-case", 2, "never", ("sentence-case", "start-case", "pascal-case", "upper-case")),
    Rule("subject-empty", 2, "never"),
    Rule("subject-full-stop", 2, "never", "."),
    Rule("type-case", 2, "always", "lower-case"),
    Rule("type-empty", 2, "never"),
    Rule("type-enum", 2, "always",
         ("build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test")),
)


# --------------------------------------------------------------------------------------------------------------
# Ignored messages: @commitlint/is-ignored/src/defaults.ts `wildcards`, with JS's multiline ^ and $ spelled out.

_BOL = "(?:\\A|(?<=[\n\r\u2028\u2029]))"  # `^` with the m flag: after any JS line terminator
_EOL = "(?=[\n\r\u2028\u2029]|\\Z)"  # `$` with the m flag
_MULTILINE_WILDCARDS = (
    re.compile(rf"{_BOL}((Merge pull request)|(Merge ({_DOT}*?) into ({_DOT}*?)|(Merge branch ({_DOT}*?)))"
               rf"(?:\r?\n)*{_EOL})"),
    re.compile(rf"{_BOL}(Merge tag ({_DOT}*?))(?:\r?\n)*{_EOL}"),
)
_START_WILDCARDS = (
    re.compile(rf"(R|r)evert ({_DOT}*)"),
    re.compile(rf"(R|r)eapply ({_DOT}*)"),
    re.compile(r"(amend|fixup|squash)!"),
    re.compile(rf"(Merged ({_DOT}*?)(in|into) ({_DOT}*)|Merged PR ({_DOT}*): ({_DOT}*))"),
    re.compile(rf"Merge remote-tracking branch({_S}*)({_DOT}*)"),
    re.compile(rf"Automatic merge({_DOT}*)"),
    re.compile(rf"Auto-merged ({_DOT}*?) into ({_DOT}*)"),
)
_CHORE_PREFIX = re.compile(r"chore(\([^)]+\))?:")
_SKIP_CI_BRACKETS = re.compile(rf"\[(skip|ci)(-|{_S})(ci|skip)\]", re.IGNORECASE | re.ASCII)
_SKIP_CI_PARENS = re.compile(rf"\((skip|ci)(-|{_S})(ci|skip)\)", re.IGNORECASE | re.ASCII)
# semver 7 re[t.FULL]: what semver.valid() accepts (not loose).
_PRERELEASE_ID = r"(?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9][0-9]*)"
_SEMVER = re.compile(
    r"v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    rf"(?:-({_PRERELEASE_ID}(?:\.{_PRERELEASE_ID})*))?(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))?\Z"
)
_MAX_SAFE_INTEGER = 2**53 - 1


def _is_semver(message: str) -> bool:
    """defaults.ts isSemver: the first line, less a `chore(...):` prefix and one [skip ci] / (skip ci), is a
    version semver.valid() accepts ("v1.2.3", "1.2.3-rc.1")."""
    first_line = message.split("\n", 1)[0]
    stripped = _CHORE_PREFIX.sub("", first_line, count=1) if _CHORE_PREFIX.match(first_line) else first_line
    stripped = _js_trim(_SKIP_CI_PARENS.sub("", _SKIP_CI_BRACKETS.sub("", stripped, count=1), count=1))
    if len(stripped) > 256:  # semver's MAX_LENGTH
        return False
    match = _SEMVER.match(stripped)
    return match is not None and all(int(match.group(i)) <= _MAX_SAFE_INTEGER for i in (1, 2, 3))


def _default_ignored(message: str) -> bool:
    return (any(pattern.search(message) for pattern in _MULTILINE_WILDCARDS)
            or any(pattern.match(message) for pattern in _START_WILDCARDS)
            or _is_semver(message))


Ignore = Callable[[str], bool] | re.Pattern[str]


def is_ignored(message: str, ignores: Iterable[Ignore] = (), default_ignores: bool = True) -> bool:
    """@commitlint/is-ignored: merges, reverts, reapplies, fixup!/squash!/amend!, release versions and the
    "Merged ... into ..." family of hosting services, plus the caller's own ignores (functions of the message, as
    commitlint's `ignores`, or patterns searched in it). lint() calls it on the message with trailing
    whitespace removed, as lint.ts does."""
    if default_ignores and _default_ignored(message):
        return True
    return any(ignore.search(message) is not None if isinstance(ignore, re.Pattern) else ignore(message)
               for ignore in ignores)


def lint(message: str, rules: Iterable[Rule] = CONFIG_CONVENTIONAL, *, ignores: Iterable[Ignore] = (),
         default_ignores: bool = True, comment_char: str | None = None) -> LintResult:
    """@commitlint/lint: check `message` against `rules`.

    `comment_char` as in parse_commit: None for a message as git stores it (what `commitlint` reads from
    stdin), "#" for a commit-msg file as `commitlint --edit` reads it (see lint_commit_msg_file).
    """
    if is_ignored(message.rstrip(_JS_SPACE_CHARS), ignores, default_ignores):
        return LintResult(valid=True, errors=[], warnings=[], ignored=True)
    parsed = parse_commit(message, comment_char=comment_char)
    if parsed.header is None and parsed.body is None and parsed.footer is None:
        return LintResult(valid=True, errors=[], warnings=[], ignored=True)  # lint.ts: an empty commit is skipped
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for rule in rules:
        if rule.level == 0:
            continue
        ok, text = RULES[rule.name](parsed, rule.when, rule.value)
        if not ok:
            (errors if rule.level == 2 else warnings).append(Problem(rule.name, rule.level, text))
    return LintResult(valid=not errors, errors=errors, warnings=warnings)


def lint_commit_msg_file(text: str, rules: Iterable[Rule] = CONFIG_CONVENTIONAL, *, comment_char: str = "#",
                         ignores: Iterable[Ignore] = (), default_ignores: bool = True) -> LintResult:
    """What `commitlint --edit FILE` decides for a commit-msg file holding `text`: @commitlint/read appends a
    newline, and the CLI strips comment lines and the scissors part with git's core.commentChar ("#")."""
    return lint(text + "\n", rules, ignores=ignores, default_ignores=default_ignores, comment_char=comment_char)
