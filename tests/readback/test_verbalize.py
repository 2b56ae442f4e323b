"""Code said the way a person reads it aloud: identifiers as words, symbols by name, long literals summarized."""

from __future__ import annotations

import pytest

from gitvoice.readback.verbalize import (
    SYMBOL_NAMES,
    identifier_words,
    path_words,
    verbalize_code,
    verbalize_text,
)


@pytest.mark.parametrize(("identifier", "spoken"), [
    ("getUserById", "get user by id"),
    ("parse_config", "parse config"),
    ("HTTPServer", "HTTP server"),
    ("XMLHttpRequest", "XML http request"),
    ("MAX_HTTP_RETRIES", "max HTTP retries"),
    ("userID", "user ID"),
    ("kebab-case-name", "kebab case name"),
    ("utf8Decode", "utf 8 decode"),
    ("__init__", "dunder init"),
    ("_private", "private"),
    ("x", "x"),
    ("URL", "URL"),
    ("README", "readme"),
])
def test_identifiers_are_split_into_words(identifier: str, spoken: str) -> None:
    assert identifier_words(identifier) == spoken


@pytest.mark.parametrize(("path", "spoken"), [
    ("api/users.py", "api slash users dot py"),
    ("package-lock.json", "package lock dot json"),
    (".gitignore", "dot gitignore"),
    ("src/HTTPServer.java", "src slash HTTP server dot java"),
    ("docs/getting_started.md", "docs slash getting started dot md"),
    ("static/app.min.js", "static slash app dot min dot js"),
])
def test_paths_name_their_slashes_and_dots(path: str, spoken: str) -> None:
    assert path_words(path) == spoken


@pytest.mark.parametrize(("line", "spoken"), [
    ("def get_user(self, user_id: int) -> User:",
     "def get user open paren self comma user id colon int close paren arrow user colon"),
    ("if (a != b && c <= 10) { x += 1; }",
     "if open paren a not equals b and and c less or equal 10 close paren open brace x plus equals 1 semicolon "
     "close brace"),
    ("const f = (x) => x === 3;", "const f equals open paren x close paren fat arrow x triple equals 3 semicolon"),
    ("ok = a == b or c >= d", "ok equals a equals equals b or c greater or equal d"),
    ("flag = a || !b", "flag equals a or or not b"),
    ("return self.items[i]", "return self dot items open bracket i close bracket"),
    ("std::vector<int> v;", "std double colon vector less than int greater than v semicolon"),
    ("n := len(xs) - 1", "n colon equals len open paren xs close paren minus 1"),
    ("x **= 2", "x power equals 2"),
    ('print("hello world")', "print open paren string hello world close paren"),
    ("name = ''", "name equals empty string"),
    ("mask = 0xff", "mask equals hex ff"),
    ("timeout_s = 1_000", "timeout s equals 1000"),
    ("", ""),
])
def test_code_lines_name_every_symbol(line: str, spoken: str) -> None:
    assert verbalize_code(line) == spoken


@pytest.mark.parametrize(("line", "spoken"), [
    ('key = "d41d8cd98f00b204e9800998ecf8427e"', "key equals a hex string of 32 characters"),
    ('TOKEN = "QWxhZGRpbjpvcGVuIHNlc2FtZQ2xYz=="', "token equals an encoded string of 32 characters"),
    ("n = 12345678", "n equals a number of 8 digits"),
    ("x = 0xDEADBEEF", "x equals a hex number of 8 digits"),
    ('msg = "' + "lorem ipsum " * 5 + '"', "msg equals a string of 60 characters"),
    ("sha = 3f786850e387550fdab836ed7e6dc881de23001b", "sha equals a hex string of 40 characters"),
    ("var a=" + "1," * 200 + "2;", "a long line of 408 characters"),
])
def test_long_literals_are_summarized_not_read(line: str, spoken: str) -> None:
    assert verbalize_code(line) == spoken


@pytest.mark.parametrize(("line", "prefixes", "spoken"), [
    ("total += 1  # count `user_id` once", ("#",), "total plus equals 1 comment count user id once"),
    ("// TODO: retry on failure", ("//",), "comment TODO: retry on failure"),
    ("a // b", ("#",), "a floor divide b"),
])
def test_comments_are_read_as_prose(line: str, prefixes: tuple[str, ...], spoken: str) -> None:
    assert verbalize_code(line, prefixes) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("Call `getUserById` from api/users.py, e.g. when parse_config() fails.",
     "Call get user by id from api slash users dot py, e.g. when parse config call fails."),
    ("Fixes #42. See https://example.com/a/b for details.",
     "Fixes number 42. See a link to example dot com for details."),
    ("Use HTTPServer and the README.md file.", "Use HTTP server and the readme dot md file."),
    ("Bump version to 1.2.3.", "Bump version to 1.2.3."),
    ("Revert 3f786850e387550fdab836ed7e6dc881de23001b now", "Revert a hex string of 40 characters now"),
    ("Plain words stay exactly as written, i.e. untouched.", "Plain words stay exactly as written, i.e. untouched."),
])
def test_prose_keeps_words_and_speaks_the_code_inside(text: str, spoken: str) -> None:
    assert verbalize_text(text) == spoken


def test_every_symbol_name_is_unique_so_listeners_can_tell_them_apart() -> None:
    names = [name for symbol, name in SYMBOL_NAMES.items() if symbol not in ('"', "'")]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("line", "spoken"), [
    ("#!/usr/bin/env python3", "shebang usr slash bin slash env python3"),
    ('exec "$@"', "exec string dollar at"),
    ('sep = "->"', "sep equals string arrow"),
])
def test_script_lines_and_symbol_strings(line: str, spoken: str) -> None:
    assert verbalize_code(line, ("#",)) == spoken
