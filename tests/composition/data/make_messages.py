"""Writes messages.jsonl beside it: the corpus that tests/composition/test_*_differential.py put through gitvoice's rule
engines and the real commitlint and commitizen. Deterministic; rerun after editing:

    python tests/composition/data/make_messages.py
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCISSORS = "# ------------------------ >8 ------------------------"
GIT_TEMPLATE = (
    "\n# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored, and an empty message aborts the commit.\n#\n# On branch main\n"
)
VERBOSE_TAIL = (
    f"{SCISSORS}\n# Do not modify or remove the line above.\n# Everything below it will be ignored.\n"
    "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-Old line\n+New Line\n"
)


LINE_BREAKERS = {code: f"\\u{code:04x}" for code in (0x85, 0x2028, 0x2029)}


def header_lengths() -> Iterator[tuple[str, str]]:
    for total in (98, 99, 100, 101, 102, 120):
        yield "header-length", "feat: " + "a" * (total - 6)
        yield "header-length", "fix(parser): " + ("word " * 40)[: total - 13].rstrip().ljust(total - 13, "x")
    yield "header-length", "feat: " + "😀" * 47  # 100 UTF-16 units, 53 code points
    yield "header-length", "feat: " + "😀" * 48  # 102 units
    yield "header-length", "feat: " + "é" * 94  # 100 code points, 100 units
    yield "header-length", "feat: " + "a" * 95 + "\n\nbody line"
    yield "header-length", "feat: " + "b" * 94 + "\n\n" + "c" * 120


def releases() -> Iterator[tuple[str, str]]:
    for text in (
        "v21.2.2",
        "1.2.3",
        "v1.0.0-rc.1",
        "2.0.0+build.5",
        "chore(release): 1.2.3",
        "chore(release): v2.0.0",
        "chore(release): 1.2.3 [skip ci]",
        "chore: 1.0.0-rc.1 (skip ci)",
        "chore(release): 3.1.4 [ci skip]",
        "chore(deps): v1.2.3",
        "1.2.3\n\nRelease notes here",
        "v1.2.3\r\n",
        "chore(release): 1.2.3\n\n- fix a",
        "v1.2",
        "01.2.3",
        "v1.2.3 extra",
        "=1.2.3",
        " v1.2.3",
        "V1.2.3",
        "1.2.3-beta.01",
        "1.2.3-beta.1",
        "release: 1.2.3",
        "chore(release): publish 1.2.3",
        "chore(): 1.2.3",
        "Chore(release): 1.2.3",
        "v99999999999999999.0.0",
        "1.2.3-",
        "[skip ci] 1.2.3",
        "1.2.3 [skip-ci]",
        "1.2.3 [CI SKIP]",
    ):
        yield "release", text


SUBJECTS = (
    "add thing",
    "Add thing",
    "Add Thing",
    "ADD THING",
    "addThing",
    "AddThing",
    "add_thing",
    "add-thing",
    "ADD thing",
    "aDD",
    "Écrire le test",
    "éCrire",
    "ärger",
    "Ärger",
    "日本語を追加",
    "😀 add emoji",
    "`Foo` is quoted",
    '"Quoted" thing',
    "'Single' quoted",
    "iOS support",
    "URL parser",
    "1st release",
    "2nd",
    "x",
    "X",
    "Ab",
    "a B",
    "HTTPRequest handler",
    "ßtraße",
    "İstanbul",
    "ǅemal",
    "σίγμα",
    "Σίγμα",
    "ΣΙΓΜΑ",
    "über",
    "Über alles",
    "don't stop",
    "Don't Stop",
    "it’s fine",
    "GraphQL API",
    "v2 API",
    "add 2 tests",
    "Add 2 Tests",
    "hello-World",
    "hello_World",
    "helloWorld",
    "Hello-world",
    "Hello_world",
    "a.b.c",
    "Fix #12",
    "Æsir",
    "Œuvre complete",
    "ĳssel",
    "Ŀ",
    "Ｆｕｌｌwidth",
    "Ⅻ roman",
    "ɐ turned",
    "a\u0301ccent",
    "Ａdd",
    "Add\u00a0thing",
    "add  two",
    "Ab-Cd Ef_Gh",
    "Add `Code` And More",
    'Add "Quote" Then Go',
    "ＡＤＤ",
    "add 😀 Emoji",
    "Add 😀 Emoji",
    "xmlHttpRequest",
    "XMLHttpRequest",
    "snake_case_name",
    "SCREAMING_SNAKE",
    "kebab-case-name",
    "Start Case Name",
    "camelCase",
    "PascalCase",
    "lower case",
    "Sentence case here",
    "UPPER CASE",
    "Mixed UP",
    "ñandú",
    "Ñandú",
    "1 Add",
    "#hash",
    "@mention user",
    "déjà vu",
    "Déjà Vu",
    "ÄÖÜ",
    "3rd party",
    "the 4TH",
    "I/O layer",
)


def subjects() -> Iterator[tuple[str, str]]:
    for subject in SUBJECTS:
        yield "subject-case", f"feat: {subject}"
    for subject in SUBJECTS[::4]:
        yield "subject-case-scoped", f"fix(core): {subject}"


def types() -> Iterator[tuple[str, str]]:
    for type_ in (
        "Feat",
        "FEAT",
        "fEat",
        "feat_x",
        "feature",
        "wip",
        "Fix",
        "fix2",
        "build",
        "chore",
        "ci",
        "docs",
        "perf",
        "refactor",
        "revert",
        "style",
        "test",
        "bump",
        "f",
        "featureflagging",
        "éfeat",
        "feat-x",
        "FeatX",
        "feat x",
        "",
        "FIX",
        "Docs",
        "featBar",
        "Fix_Bug",
    ):
        yield "type", f"{type_}: add thing"


def scopes() -> Iterator[tuple[str, str]]:
    for scope in (
        "api/v2",
        "api-v2",
        "api,cli",
        "api, cli",
        "API",
        "apiV2",
        "",
        " ",
        "a)(b",
        "a\\b",
        "a|b",
        "Api_Two",
        "$x",
        "café",
        "core/hooks/commit-msg",
        "cli",
        "hooks",
        "docs",
        "x",
        "averyveryverylongscope",
        "api/Cli",
        "api,Cli",
        "Api/Cli",
        "core-api/cli_x",
        "api/",
        "/api",
        "api//cli",
        "api,,cli",
        "ApiClient",
        "apiClient",
        "api_client",
        "API_CLIENT",
        "Api Client",
        "api client",
        "api.cli",
        "api*",
    ):
        yield "scope", f"feat({scope}): add thing"
    for header in (
        "feat(a: x",
        "feat (a): x",
        "feat(a) : x",
        "feat(a):x",
        "feat(a)(b): x",
        "feat((a)): x",
        "feat(a)!: x",
        "feat!(a): x",
        "feat(a)!!: x",
        "feat!: x",
        "feat!:x",
        "(a): x",
        "(a)!: x",
    ):
        yield "scope-syntax", header


def footers() -> Iterator[tuple[str, str]]:
    yield "footer", "feat: add x\n\nSigned-off-by: Ada <ada@example.com>"
    yield "footer", "feat: add x\n\nBody text.\n\nSigned-off-by: Ada <ada@example.com>"
    yield "footer", "feat: add x\n\nBody text\nSigned-off-by: Ada <ada@example.com>"
    yield "footer", "feat: add x\n\nCo-authored-by: Bo <bo@example.com>\nSigned-off-by: Ada <ada@example.com>"
    yield "footer", "feat: add x\n\nRefs: #12"
    yield "footer", "feat: add x\n\nCloses #12"
    yield "footer", "feat: add x\n\nCloses: #12, #13"
    yield "footer", "feat: add x\n\nfixes owner/repo#7"
    yield "footer", "feat: add x\n\nbody mentions #12 inline"
    yield "footer", "feat: add x #12"
    yield "footer", "feat: add x\n\nsee https://example.com/issues#12"
    yield "footer", "feat: add x\n\nReviewed-by: Z\nRefs: abc"
    yield "footer", "feat: add x\nRefs: #12"
    yield "footer", "feat: add x\n\nbody\nRefs: #12"
    yield "footer", "feat: add x\n\nbody\n\nRefs: #12\nmore text after\n\nand more"
    yield "footer", "feat: add x\n\nbody\n\nRefs: " + "r" * 94
    yield "footer", "feat: add x\n\nbody\n\nRefs: " + "r" * 95
    yield "footer", "feat: add x\n\nbody\n\nRefs: " + "r" * 96
    yield "footer", "feat: add x\n\nbody\n\nRefs: https://example.com/" + "r" * 120
    yield "footer", "feat: add x\n\nToken: value\n  continued value\nOther: v"
    yield (
        "footer",
        "feat: add x\n\nbody\n\nSigned-off-by: Ada <ada@example.com>\n(cherry picked from commit abcdef1234567)",
    )
    yield "footer", "feat: add x\n\nbody\n\nSigned-off-by: Ada <ada@example.com>\n# a comment"
    yield "footer", "feat: add x\n\nbody\n\nnot a trailer line\nSigned-off-by: Ada <ada@example.com>"
    yield "footer", "feat: add x\n\nbody\n\nline one\nline two\nline three\nline four\nSigned-off-by: A <a@x>"
    yield "footer", "feat: add x\n\nbody\n\nKey: v\nplain line\nSigned-off-by: A <a@x>"
    yield "footer", "feat: add x\n\nbody\n\nKey: v\nplain line"
    yield "footer", "feat: add x\n\nbody\n\nKey : spaced token\nOther-Key:v"
    yield "footer", "feat: add x\n\nbody\n\nSigned-off-by: A <a@x>\n---\nnot part: of message"
    yield "footer", "feat: add x\n\nSigned-off-by: A <a@x>\n\n"
    yield "footer", "feat: add x\n\nbody\n\nSigned-off-by:A"
    yield "footer", "feat: add x\n\nbody\n\nsigned-off-by: a"
    yield "footer", "feat: add x\n\nbody\n\nCo-authored-by: B <b@x>"
    yield "footer", "feat: add x\n\nCloses #1\nCloses #1"
    yield "footer", "feat: add x\n\nfix #3 and resolve #4, close gh-5"
    yield "footer", "feat: add x\n\nprefix #1 Fixes #2"
    yield "footer", "feat: add x\n\nsee #general for chat"
    yield "footer", "feat: add x\n\ntough-cookie#12 and high-5"
    yield "footer", "feat: add x\n\n@alice and @bob-smith reviewed"
    yield "footer", "feat: add x\n\nbody line\n\nRefs #12"
    yield "footer", "feat: add x\n\nbody line\n  Indented: not a footer"


def breaking() -> Iterator[tuple[str, str]]:
    yield "breaking", "feat!: drop node 16"
    yield "breaking", "feat(api)!: drop v1"
    yield "breaking", "feat!: drop node 16\n\nBREAKING CHANGE: node 16 is gone"
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: node 16 is gone"
    yield "breaking", "feat: drop node 16\n\nBREAKING-CHANGE: node 16 is gone"
    yield "breaking", "feat: drop node 16\n\nbreaking change: lower case keyword"
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE:no space"
    yield "breaking", "feat: drop node 16\n\n* BREAKING CHANGE: bulleted"
    yield "breaking", "feat: drop node 16\n\nbody\nBREAKING CHANGE: no blank before"
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: first\nmore detail\nRefs: #3\nafter token"
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: a\nBREAKING CHANGE: b"
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: " + "z" * 90
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: " + "z" * 84
    yield "breaking", "feat: drop node 16\n\nBREAKING CHANGE: " + "z" * 83
    yield "breaking", "feat!: drop node 16\n\nbody\n\nRefs: #1"
    yield "breaking", "fix!: X"
    yield "breaking", "feat: x\n\nBREAKING CHANGE"
    yield "breaking", "BREAKING CHANGE: only"


def merges_and_reverts() -> Iterator[tuple[str, str]]:
    for text in (
        "Merge branch 'main' into dev",
        "Merge pull request #12 from a/b",
        "Merge pull request #12 from a/b\n\nfeat: x",
        "Merge remote-tracking branch 'origin/main'",
        "Merge tag 'v1.0'",
        "Merge tag 'v1.0'\n\n",
        "Merged in feature (pull request #3)",
        "Merged PR 123: Add x",
        "Automatic merge from release",
        "Automatic merge",
        "Auto-merged a into b",
        "merge branch x",
        "Merge branch 'a'",
        "Merge branch 'a' of github.com:x/y",
        "Merge x into y\n\nsome body",
        "Merge",
        "Merged",
        "feat: x\n\nMerge branch 'z'",
        "feat: x\n\nMerge pull request",
        "feat: x\n\nMerge tag 'v1'\nmore",
        "Merge branch 'a'\r\n",
        "Merge commit 'abc'",
        "Merge changes from x into y",
        'Revert "feat: x"\n\nThis reverts commit abc1234.',
        "revert: feat: x",
        "revert: x\n\nThis reverts commit abcdef0.",
        'Reapply "feat: x"',
        "Revert: x",
        "revert x",
        "Revert",
        "Reverted x",
        "reapply: x",
        "Reapply",
        'revert: "feat: Add X"\n\nThis reverts commit 1234567.',
        "revert(scope): undo",
        'Revert "x"\r\n\r\nbody',
        "fixup! feat: x",
        "squash! x",
        "amend! x",
        "fixup!x",
        "Fixup! x",
        "fixup: x",
        "squash: x",
        "amend: x",
        " fixup! x",
        "fixup!",
        "Initial commit",
        "initial commit",
        "WIP",
        "wip: x",
        "Update README.md",
        "Bump lodash from 4.17.20 to 4.17.21",
        "chore(deps): bump lodash from 4.17.20 to 4.17.21",
    ):
        yield "merge-revert", text


def whitespace() -> Iterator[tuple[str, str]]:
    for text in (
        "feat: add x ",
        " feat: add x",
        "feat: add x\t",
        "\tfeat: add x",
        "feat: add x\u00a0",
        "feat: add x\u3000",
        "feat: add x\ufeff",
        "\ufefffeat: add x",
        "feat: add x\n",
        "feat: add x\n\n\n",
        "\n\nfeat: add x",
        "\n\nfeat: add x\n\nbody",
        "feat: add x\r\n\r\nbody\r\n",
        "feat: add x\r\n\r\nbody\r\n\r\nRefs: #1\r\n",
        "feat: add x\rbody",
        "feat: add x\r\rbody",
        "feat: add x\r\n",
        " feat: add x ",
        "feat:  add x",
        "feat:add x",
        "feat : add x",
        "feat: add x\n \nbody",
        "feat: add x\n\t\nbody",
        "feat: add x\n\n \n\nbody",
        "  \nfeat: x",
        "feat: add x\u2028body",
        "feat: add x\n\nbody \n",
        "feat: add x\x0b",
        "feat: add x\x1c",
        "feat: add x\u200b",
        "feat: add x\u0085",
        "feat: add x\n\n\n\nbody after gap",
        "feat: add x\n\nbody\n\n\n\nRefs: #1",
    ):
        yield "whitespace", text


def comments() -> Iterator[tuple[str, str]]:
    for text in (
        "# comment\nfeat: add x",
        "feat: add x\n# comment\nbody",
        f"feat: add x\n\n{SCISSORS}\ndiff --git a b",
        f"feat: Add x\n{SCISSORS}",
        f"feat: add x{GIT_TEMPLATE}",
        f"feat: Add x{GIT_TEMPLATE}",
        f"feat: add x\n\nbody line{GIT_TEMPLATE}{VERBOSE_TAIL}",
        f"feat: add x\n{VERBOSE_TAIL}",
        f"{SCISSORS}\nfeat: add x",
        "#123 fix the thing",
        "# feat: x",
        "feat: add x\n#\n#",
        "feat: add x\n\n# c\nbody",
        f"feat: add x\n\nbody\n{SCISSORS}\nSigned-off-by: A <a@x>",
        f"feat: add x\n\nSigned-off-by: A <a@x>{GIT_TEMPLATE}",
        "# only a comment",
        "#\n#\n",
        "feat: add x\n  # indented hash\nbody",
        "feat: add x\n\nbody\n#Refs: #1",
        f"feat: add x\n\n{SCISSORS} \nafter",
        f"feat: add x\n\n#{SCISSORS[1:]}\nafter",
        "; comment\nfeat: x",
        "# c\n\nfeat: add x",
        "feat: add x\n# c\n\nbody",
        "feat: add x\ngpg: Signature made\nbody",
        "feat: add x\n\n  gpg: indented",
        "gpg: first\nfeat: add x",
        f"fixup! x{GIT_TEMPLATE}",
        "# c\nMerge branch 'a'",
    ):
        yield "comments", text


def bodies() -> Iterator[tuple[str, str]]:
    for length in (99, 100, 101):
        yield "body-length", "feat: add x\n\n" + "b" * length
        yield "body-length", "feat: add x\n\nfirst line\n" + "c" * length + "\nlast line"
    yield "body-length", "feat: add x\n\n" + "😀" * 50
    yield "body-length", "feat: add x\n\n" + "😀" * 51
    yield "body-length", "feat: add x\n\nsee https://example.com/" + "p" * 140
    yield "body-length", "feat: add x\n\nhttp://x " + "p" * 140
    yield "body-length", "feat: add x\n\nftp://example.com/" + "p" * 140
    yield "body-length", "feat: add x\n\nxhttps://example.com/" + "p" * 140
    yield "body-length", "feat: add x\n\n" + "w " * 60
    yield "body-length", "feat: add x\r\n\r\n" + "b" * 101 + "\r\n"
    for text in (
        "feat: add x\nbody without blank",
        "feat: add x\n\nbody.",
        "feat: add x\n\nBody Sentence.",
        "feat: add x\n\nBODY",
        "feat: add x\n\nbody\n\nsecond paragraph",
        "feat: add x\n\n\n",
        "feat: add x\n\n\nbody after two blanks",
        "feat: add x\n\nbody-with-dashes",
        "feat: add x\n\nbody_with_underscores",
        "feat: add x\n\nbodyCamel",
        "feat: add x\n\nBodyPascal",
        "feat: add x\n\nBody Start Case",
        "feat: add x\n\n1. numbered",
        "feat: add x\n\n- bullet",
        "feat: add x\n\nshort",
        "feat: add x\n\n" + "a reasonably long body line with words " * 2,
        "feat: add x\n\nline one\nline two.",
        "feat: add x\n\n日本語の本文",
        "feat: add x\n\n😀",
        "feat: add x\n\nCo-authored-by text: not a footer because spaces",
        "feat: add x\n\n-Key-: value",
        "feat: add x\n\n---\nyaml: doc",
        "feat(api): add x\n\nbody\n\n\n",
        "docs: fix typo\n\nin the README.",
    ):
        yield "body", text


def misc() -> Iterator[tuple[str, str]]:
    for text in (
        ": add x",
        "feat: x.",
        "feat: x...",
        "feat: x?",
        "feat: x!",
        "feat:",
        "feat: ",
        "feat(scope):",
        "feat: a: b",
        "feat: a (b)",
        "feat: x。",
        "feat: x.\n\nbody",
        "feat: x.,",
        "feat",
        "feat:\n\nbody",
        "feat(x):\n\nbody",
        "feat: 😀",
        "feat: 1.2.3",
        "feat: ...",
        "feat: .",
        "docs: update docs",
        "feat: add x\n\nfeat: add y",
        "feat:add",
        "feat(:): x",
        "feat(a):: x",
        "feat: x: y.",
        "test: add test for `Foo.bar()`",
        "ci: Fix CI",
        "style: format",
        "perf: speed up x by 2x",
        "refactor: rename a to b",
        "build: bump deps",
        "chore: release v1.2.3",
        "feat: ab",
        "feat: abcde",
        "feat(ab): abcdef",
        "feat(abcdefghijk): x",
        "feat: " + "s" * 49,
        "feat: " + "s" * 50,
        "feat: " + "s" * 51,
        "feat(api): add Endpoint",
        "feat(cli): add command\n\nSigned-off-by: A <a@x>",
        "fix(hooks): handle x\n\nCloses #4\n\nSigned-off-by: A <a@x>",
    ):
        yield "misc", text


def corpus() -> Iterator[dict[str, str]]:
    counters: dict[str, int] = {}
    seen: set[str] = set()
    for source in (
        header_lengths,
        releases,
        subjects,
        types,
        scopes,
        footers,
        breaking,
        merges_and_reverts,
        whitespace,
        comments,
        bodies,
        misc,
    ):
        for category, message in source():
            if message in seen:
                continue
            seen.add(message)
            counters[category] = counters.get(category, 0) + 1
            yield {"id": f"{category}-{counters[category]:03d}", "message": message}


def main() -> None:
    # Readable UTF-8, but with the characters that str.splitlines() would break a line at escaped.
    lines = [json.dumps(entry, ensure_ascii=False).translate(LINE_BREAKERS) for entry in corpus()]
    (HERE / "messages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} messages")


if __name__ == "__main__":
    main()
