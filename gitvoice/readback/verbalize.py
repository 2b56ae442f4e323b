"""Say code the way a person reads it aloud: identifiers split into words, symbols named, long literals summarized.

Pure: strings in, strings out. Screen readers spell `getUserById` letter by letter and read `->` as "dash greater";
these functions give a speech engine words instead ("get user by id", "arrow").
"""

from __future__ import annotations

import re

# Spoken names for operators and punctuation in code. One name per symbol, used everywhere, so a listener learns it
# once. Longer symbols come first in SYMBOL_PATTERN so `===` is never read as `==` then `=`.
SYMBOL_NAMES: dict[str, str] = {
    "===": "triple equals",
    "!==": "not triple equals",
    "**=": "power equals",
    "//=": "floor divide equals",
    "<<=": "shift left equals",
    ">>=": "shift right equals",
    "...": "ellipsis",
    "->": "arrow",
    "=>": "fat arrow",
    "==": "equals equals",
    "!=": "not equals",
    "<=": "less or equal",
    ">=": "greater or equal",
    "&&": "and and",
    "||": "or or",
    "+=": "plus equals",
    "-=": "minus equals",
    "*=": "times equals",
    "/=": "divide equals",
    "%=": "mod equals",
    "&=": "and equals",
    "|=": "or equals",
    "^=": "x or equals",
    ":=": "colon equals",
    "::": "double colon",
    "**": "power",
    "//": "floor divide",
    "<<": "shift left",
    ">>": "shift right",
    "++": "plus plus",
    "--": "minus minus",
    "??": "double question mark",
    "?.": "question dot",
    "=": "equals",
    "+": "plus",
    "-": "minus",
    "*": "star",
    "/": "slash",
    "%": "percent",
    "<": "less than",
    ">": "greater than",
    "!": "not",
    "&": "ampersand",
    "|": "pipe",
    "^": "caret",
    "~": "tilde",
    "?": "question mark",
    ":": "colon",
    ";": "semicolon",
    ",": "comma",
    ".": "dot",
    "(": "open paren",
    ")": "close paren",
    "[": "open bracket",
    "]": "close bracket",
    "{": "open brace",
    "}": "close brace",
    "@": "at",
    "#": "hash",
    "$": "dollar",
    "\\": "backslash",
    '"': "quote",
    "'": "quote",
    "`": "backtick",
}

# Words kept in capitals inside identifiers (`MAX_HTTP_RETRIES` -> "max HTTP retries"); other all-caps words are
# lowered because engines read a long capitalised word letter by letter or shout it.
ACRONYMS = frozenset({
    "API", "CI", "CLI", "CPU", "CSS", "CSV", "DB", "DNS", "GPU", "HTML", "HTTP", "HTTPS", "ID", "IO", "IP", "JSON",
    "JWT", "OS", "PDF", "SQL", "SSH", "SSL", "TCP", "TLS", "TTS", "UDP", "UI", "URI", "URL", "UTF", "UUID", "XML",
    "YAML",
})

LONG_STRING_CHARS = 40  # a string literal longer than this is summarized, not read
LONG_NUMBER_DIGITS = 7  # 1234567 and up: "a 7 digit number"
LONG_HEX_CHARS = 12  # commit ids, hashes, keys
LONG_BASE64_CHARS = 24
LONG_LINE_CHARS = 300  # minified code and data blobs: one summary for the line

SYMBOL_PATTERN = "|".join(re.escape(symbol) for symbol in sorted(SYMBOL_NAMES, key=len, reverse=True))
_CODE_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)"""
    r"|(?P<blob>(?<![\w$])[0-9a-fA-F]{12,}(?![\w$]))"  # commit ids and hashes, which may start with a digit
    r"|(?P<hex>0[xX][0-9a-fA-F_]+)"
    r"|(?P<number>\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    rf"|(?P<symbol>{SYMBOL_PATTERN})"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)
# Splits an identifier into words: HTTPServer -> HTTP Server, getUserById -> get User By Id, utf8 -> utf 8.
_WORD_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_HEX_BLOB = re.compile(r"^[0-9a-fA-F]+$")
_BASE64_BLOB = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")


def plural(count: int, noun: str) -> str:
    """`1 line`, `2 lines`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def identifier_words(identifier: str) -> str:
    """`getUserById` -> "get user by id", `parse_config` -> "parse config", `HTTPServer` -> "HTTP server"."""
    words: list[str] = []
    if len(identifier) > 4 and identifier.startswith("__") and identifier.endswith("__"):
        words.append("dunder")  # Python's special names: `__init__` is said "dunder init"
    for part in _WORD_PART.findall(identifier):
        if part.isupper() and (part in ACRONYMS or len(part) == 1):
            words.append(part)
        else:
            words.append(part.lower())
    return " ".join(words)


def path_words(path: str) -> str:
    """`api/users.py` -> "api slash users dot py"; `package-lock.json` -> "package lock dot json"."""
    spoken: list[str] = []
    for index, component in enumerate(path.split("/")):
        if index:
            spoken.append("slash")
        pieces = component.split(".")
        for position, piece in enumerate(pieces):
            if position:
                spoken.append("dot")
            if piece:
                spoken.append(identifier_words(piece) or piece)
    return " ".join(spoken)


def hex_summary(token: str) -> str | None:
    """"a 40 character hex string" for commit ids and hashes, or None for anything else."""
    if token.lower().startswith("0x") and len(token) - 2 >= 8:
        return f"a hex number of {len(token) - 2} digits"
    if len(token) >= LONG_HEX_CHARS and _HEX_BLOB.match(token) and not token.isdigit() and not token.isalpha():
        return f"a hex string of {len(token)} characters"
    return None


def literal_summary(token: str) -> str | None:
    """A short description for a literal too long to read ("a 40 character hex string"), or None to read it."""
    body = token[1:-1] if token[:1] in "\"'`" and token[-1:] == token[:1] and len(token) >= 2 else token
    hex_words = hex_summary(body)
    if hex_words:
        return hex_words
    if (len(body) >= LONG_BASE64_CHARS and _BASE64_BLOB.match(body) and any(c.isdigit() for c in body)
            and any(c.isupper() for c in body) and any(c.islower() for c in body)):
        return f"an encoded string of {len(body)} characters"
    digits = body.replace("_", "")
    if digits.isdigit() and len(digits) >= LONG_NUMBER_DIGITS:
        return f"a number of {len(digits)} digits"
    if token != body and len(body) > LONG_STRING_CHARS:
        return f"a string of {len(body)} characters"
    return None


def _string_words(token: str) -> str:
    summary = literal_summary(token)
    if summary:
        return summary
    inner = token[1:-1]
    if not inner.strip():
        return "empty string"
    # Words in a string are read as prose; a string of only symbols ("$@", "->") has its symbols named.
    spoken = verbalize_text(inner) if re.search(r"[A-Za-z0-9]", inner) else verbalize_code(inner)
    return f"string {spoken}"


def verbalize_code(line: str, comment_prefixes: tuple[str, ...] = ()) -> str:
    """One line of code as words: `if a != b:` -> "if a not equals b colon".

    `comment_prefixes` are the markers that start a comment in this file's language (`#` in Python, `//` in C);
    a comment is read as prose after the word "comment".
    """
    stripped = line.strip()
    if not stripped:
        return ""
    if len(stripped) > LONG_LINE_CHARS:
        return f"a long line of {len(stripped)} characters"
    if stripped.startswith("#!/"):  # the interpreter line of a script
        return "shebang " + path_words(stripped[3:].split()[0]) + "".join(f" {w}" for w in stripped.split()[1:])
    words: list[str] = []
    position = 0
    text = stripped
    while position < len(text):
        prefix = next((p for p in comment_prefixes if text.startswith(p, position)), None)
        if prefix is not None:
            comment = verbalize_text(text[position + len(prefix):].strip())
            words.append(f"comment {comment}".rstrip())
            break
        match = _CODE_TOKEN.match(text, position)
        assert match is not None  # the `other` branch matches any character
        position = match.end()
        kind, token = match.lastgroup, match.group()
        if kind == "string":
            words.append(_string_words(token))
        elif kind == "blob":
            words.append(hex_summary(token) or literal_summary(token) or identifier_words(token))
        elif kind == "hex":
            words.append(literal_summary(token) or f"hex {token[2:].lower()}")
        elif kind == "number":
            words.append(literal_summary(token) or token.replace("_", ""))
        elif kind == "word":
            words.append(hex_summary(token) or identifier_words(token) or token)
        elif kind == "symbol":
            words.append(SYMBOL_NAMES[token])
        elif kind == "other" and token.isalpha():
            words.append(token)
    return " ".join(word for word in words if word)


# Prose tokens that are code: `backticked`, snake_case, camelCase, paths and file names, calls like `run()`.
_PROSE_CODE = re.compile(
    r"`(?P<backticked>[^`]+)`"
    r"|(?P<url>https?://[^\s)>\]]+)"
    r"|#(?P<issue>\d+)\b"
    r"|(?P<hexblob>\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b)"
    r"|(?P<path>(?<![\w/])(?:[\w.-]+/)+[\w.-]*[\w]|(?<![\w.])[\w-]*[A-Za-z_][\w-]*\.(?:[A-Za-z][\w]*)(?:\.[A-Za-z]\w*)*)"
    r"(?P<call>\(\))?"
    r"|(?P<identifier>\b[A-Za-z_]\w*(?:_\w+|[a-z][A-Z]\w*)|\b[A-Z]{2,}[a-z]\w*)(?P<call2>\(\))?"
)


def _is_prose_abbreviation(token: str) -> bool:
    """e.g, i.e, etc.: every dotted part is one or two letters, not a file name."""
    parts = token.split(".")
    return all(len(part) <= 2 and part.isalpha() for part in parts) and len(parts) > 1


def verbalize_text(text: str) -> str:
    """Prose with code in it: ordinary words stay, identifiers and paths inside are said as words.

    "Call `getUserById` from api/users.py" -> "Call get user by id from api slash users dot py".
    """

    def spoken(match: re.Match[str]) -> str:
        if match.group("backticked") is not None:
            return verbalize_code(match.group("backticked"))
        if match.group("url") is not None:
            host = re.sub(r"^https?://", "", match.group("url")).split("/")[0]
            return f"a link to {path_words(host)}"
        if match.group("hexblob") is not None:
            return hex_summary(match.group("hexblob")) or match.group()
        if match.group("issue") is not None:
            return f"number {match.group('issue')}"
        if match.group("path") is not None:
            token = match.group("path")
            if _is_prose_abbreviation(token):
                return match.group()
            summary = literal_summary(token)
            words = summary or path_words(token)
            return words + (" call" if match.group("call") else "")
        token = match.group("identifier")
        words = hex_summary(token) or identifier_words(token)
        return words + (" call" if match.group("call2") else "")

    return re.sub(r"\s+", " ", _PROSE_CODE.sub(spoken, text)).strip()
