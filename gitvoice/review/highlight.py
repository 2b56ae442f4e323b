"""Syntax highlighting of diff lines, small and dependency-free: comments, strings, numbers, keywords and
definitions, for the languages the suffix names. Each line is highlighted on its own (a diff shows fragments, so
a string or comment that spans lines is not followed; neither do GitHub's or cgit's diff views).

Every piece of text goes through markupsafe's escape: repository text is untrusted, and only the <span> tags built
here are markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from markupsafe import Markup, escape

_PYTHON = ("False None True and as assert async await break class continue def del elif else except finally for "
           "from global if import in is lambda nonlocal not or pass raise return self try while with yield match case")
_C_LIKE = ("auto break case catch char class const continue default delete do double else enum export extends "
           "extern false final float for fn func function go if impl import in int interface let long match mod "
           "mut namespace new nil null package private protected pub public return self short signed sizeof static "
           "struct super switch this throw true try type typedef typeof union unsigned use var void volatile while "
           "async await yield defer range chan map select const_cast template typename virtual override bool string")
_SHELL = "if then else elif fi for in do done while until case esac function return local export set unset echo"

_HASH = frozenset({".py", ".pyi", ".sh", ".bash", ".zsh", ".rb", ".pl", ".r", ".yaml", ".yml", ".toml", ".cfg",
                   ".ini", ".conf", ".mk", ".cmake", ".tf", ".nix", ".ps1"})
_SLASH = frozenset({".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".java", ".js", ".jsx", ".mjs", ".ts", ".tsx", ".go",
                    ".rs", ".swift", ".kt", ".kts", ".scala", ".dart", ".php", ".css", ".scss", ".less", ".groovy",
                    ".zig"})
_NAMES = {"Makefile": ".mk", "Dockerfile": ".sh", ".gitignore": ".gitignore"}

_STRING = r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?"
_NUMBER = r"\b(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\b"
_WORD = r"[A-Za-z_$][\w$]*"


@lru_cache(maxsize=32)
def _lexer(suffix: str) -> re.Pattern[str] | None:
    if suffix in _HASH:
        comment, words = r"#.*", _PYTHON if suffix in (".py", ".pyi") else _SHELL if suffix in (
            ".sh", ".bash", ".zsh") else ""
    elif suffix in _SLASH:
        comment, words = r"//.*|/\*.*?(?:\*/|$)", _C_LIKE
    else:
        return None
    keyword = r"\b(?:" + "|".join(sorted(map(re.escape, words.split()), key=len, reverse=True)) + r")\b" if words \
        else r"(?!x)x"
    return re.compile(f"(?P<comment>{comment})|(?P<string>{_STRING})|(?P<number>{_NUMBER})|"
                      f"(?P<keyword>{keyword})|(?P<word>{_WORD})")


def language_suffix(path: str) -> str:
    name = PurePosixPath(path).name
    return _NAMES.get(name, PurePosixPath(path).suffix.lower())


def highlight_line(text: str, suffix: str) -> Markup:
    """`text` escaped, with <span class="tok-..."> around comments, strings, numbers and keywords."""
    lexer = _lexer(suffix)
    if lexer is None:
        return escape(text)
    parts: list[str] = []
    position = 0
    for match in lexer.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            continue
        parts.append(str(escape(text[position:match.start()])))
        parts.append(f'<span class="tok-{kind}">{escape(match.group())}</span>')
        position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))
