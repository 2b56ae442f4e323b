"""gitvoice.composition.commitlint rule by rule, case by case, ignore pattern by ignore pattern, on real message
strings; no node needed. (test_commitlint_differential.py holds the same code to the real commitlint.)"""

from __future__ import annotations

import pytest

from gitvoice.composition.commitlint import (
    CONFIG_CONVENTIONAL,
    Rule,
    ensure_case,
    git_trailers,
    is_ignored,
    lint,
    lint_commit_msg_file,
    parse_commit,
    rules_from_config,
    to_case,
)

SCISSORS = "# ------------------------ >8 ------------------------"


def failures(message: str, *rules: Rule) -> list[str]:
    result = lint(message, rules, default_ignores=False)
    return [p.name for p in [*result.errors, *result.warnings]]


CONVENTIONAL_SUBJECT_CASE = next(rule for rule in CONFIG_CONVENTIONAL if rule.name == "subject-case")

# (rule, message, passes)
RULE_TABLE: list[tuple[Rule, str, bool]] = [
    (Rule("body-leading-blank", 1), "feat: x\n\nbody", True),
    (Rule("body-leading-blank", 1), "feat: x\nbody", False),
    (Rule("body-leading-blank", 1), "feat: x", True),
    (Rule("body-leading-blank", 1, "never"), "feat: x\n\nbody", False),
    (Rule("body-max-line-length", 2, "always", 100), "feat: x\n\n" + "b" * 100, True),
    (Rule("body-max-line-length", 2, "always", 100), "feat: x\n\n" + "b" * 101, False),
    (Rule("body-max-line-length", 2, "always", 100), "feat: x\n\n" + "😀" * 51, False),  # 102 UTF-16 units
    (Rule("body-max-line-length", 2, "always", 100), "feat: x\n\nsee https://e.com/" + "p" * 140, True),
    (Rule("footer-leading-blank", 1), "feat: x\n\nbody\n\nRefs: #1", True),
    (Rule("footer-leading-blank", 1), "feat: x\n\nbody\nRefs: #1", False),
    (Rule("footer-max-line-length", 2, "always", 100), "feat: x\n\nRefs: " + "r" * 94, True),
    (Rule("footer-max-line-length", 2, "always", 100), "feat: x\n\nRefs: " + "r" * 95, False),
    (Rule("header-max-length", 2, "always", 100), "feat: " + "a" * 94, True),
    (Rule("header-max-length", 2, "always", 100), "feat: " + "a" * 95, False),
    (Rule("header-max-length", 2, "always", 100), "feat: " + "😀" * 48, False),
    (Rule("header-min-length", 2, "always", 10), "feat: abcd", True),
    (Rule("header-min-length", 2, "always", 10), "feat: abc", False),
    (Rule("header-trim", 2), "feat: x", True),
    (Rule("header-trim", 2), " feat: x", False),
    (Rule("header-trim", 2), "feat: x\u00a0", False),
    (Rule("header-case", 2, "always", "lower-case"), "feat: add x", True),
    (Rule("header-case", 2, "always", "lower-case"), "feat: Add x", False),
    (Rule("header-case", 2, "always", "lower-case"), "1.2: Add x", True),  # headers not starting with a letter pass
    (Rule("header-full-stop", 2, "never", "."), "feat: x.", False),
    (Rule("header-full-stop", 2, "always", "."), "feat: x.", True),
    (CONVENTIONAL_SUBJECT_CASE, "feat: add X", True),
    (CONVENTIONAL_SUBJECT_CASE, "feat: Add x", False),
    (CONVENTIONAL_SUBJECT_CASE, "feat: ADD X", False),
    (CONVENTIONAL_SUBJECT_CASE, "feat: Add Thing", False),
    (CONVENTIONAL_SUBJECT_CASE, "feat: AddThing", False),
    (Rule("subject-case", 2, "never", ["sentence-case"]), "feat: 日本語", True),  # no cased first letter: skipped
    (Rule("subject-case", 2, "never", ["sentence-case"]), "feat: `Foo` works", True),  # quoted parts are ignored
    (Rule("subject-empty", 2, "never"), "feat: x", True),
    (Rule("subject-empty", 2, "never"), "feat:", False),
    (Rule("subject-empty", 2, "never"), "not conventional", False),
    (Rule("subject-full-stop", 2, "never", "."), "feat: x.", False),
    (Rule("subject-full-stop", 2, "never", "."), "feat: x...", True),
    (Rule("subject-full-stop", 2, "never", "."), "feat: x", True),
    (Rule("subject-max-length", 2, "always", 5), "feat: abcde", True),
    (Rule("subject-max-length", 2, "always", 5), "feat: abcdef", False),
    (Rule("subject-min-length", 2, "always", 3), "feat: ab", False),
    (Rule("subject-exclamation-mark", 2, "never"), "feat!: x", False),
    (Rule("subject-exclamation-mark", 2, "always"), "feat(api)!: x", True),
    (Rule("type-case", 2, "always", "lower-case"), "Feat: x", False),
    (Rule("type-empty", 2, "never"), ": x", False),
    (Rule("type-enum", 2, "always", ["feat", "fix"]), "fix: x", True),
    (Rule("type-enum", 2, "always", ["feat", "fix"]), "docs: x", False),
    (Rule("type-enum", 2, "never", ["wip"]), "wip: x", False),
    (Rule("type-max-length", 2, "always", 4), "feat: x", True),
    (Rule("type-max-length", 2, "always", 4), "chore: x", False),
    (Rule("type-min-length", 2, "always", 3), "ci: x", False),
    (Rule("scope-enum", 2, "always", ["api", "cli"]), "feat(api): x", True),
    (Rule("scope-enum", 2, "always", ["api", "cli"]), "feat(api/cli): x", True),
    (Rule("scope-enum", 2, "always", ["api", "cli"]), "feat(api, cli): x", True),
    (Rule("scope-enum", 2, "always", ["api", "cli"]), "feat(web): x", False),
    (Rule("scope-enum", 2, "always", ["api", "cli"]), "feat: x", True),
    (Rule("scope-enum", 2, "never", ["api"]), "feat(api/web): x", False),
    (Rule("scope-enum", 2, "always", {"scopes": ["a", "b"], "delimiters": ["|"]}), "feat(a|b): x", True),
    (Rule("scope-case", 2, "always", "kebab-case"), "feat(my-api/core): x", True),
    (Rule("scope-case", 2, "always", "kebab-case"), "feat(api/v2): x", False),  # lodash splits "v2" into v, 2
    (Rule("scope-case", 2, "always", "kebab-case"), "feat(myApi): x", False),
    (Rule("scope-empty", 2, "never"), "feat: x", False),
    (Rule("scope-empty", 2, "never"), "feat(a): x", True),
    (Rule("scope-empty", 2, "always"), "feat(a): x", False),
    (Rule("scope-max-length", 2, "always", 3), "feat(abcd): x", False),
    (Rule("scope-min-length", 2, "always", 3), "feat(ab): x", False),
    (Rule("scope-delimiter-style", 2, "always", ["/"]), "feat(a,b): x", False),
    (Rule("scope-delimiter-style", 2, "always", ["/"]), "feat(a/b-c_d): x", True),
    (Rule("body-empty", 2, "always"), "feat: x\n\nbody", False),
    (Rule("body-empty", 2, "never"), "feat: x", False),
    (Rule("body-min-length", 2, "always", 10), "feat: x\n\nshort", False),
    (Rule("body-max-length", 2, "always", 5), "feat: x\n\nlonger body", False),
    (Rule("body-case", 2, "always", "lower-case"), "feat: x\n\nBody", False),
    (Rule("body-full-stop", 2, "always", "."), "feat: x\n\nbody.", True),
    (Rule("footer-empty", 2, "always"), "feat: x\n\nRefs: #1", False),
    (Rule("footer-empty", 2, "never"), "feat: x\n\nbody", False),
    (Rule("footer-max-length", 2, "always", 8), "feat: x\n\nRefs: #12345", False),
    (Rule("footer-min-length", 2, "always", 20), "feat: x\n\nRefs: #1", False),
    (Rule("references-empty", 2, "never"), "feat: x\n\nCloses #12", True),
    (Rule("references-empty", 2, "never"), "feat: x", False),
    (Rule("references-empty", 2, "never"), "feat: x\n\nsee https://e.com/issues#12", False),  # URLs hide refs
    (Rule("breaking-change-exclamation-mark", 2), "feat!: x\n\nBREAKING CHANGE: y", True),
    (Rule("breaking-change-exclamation-mark", 2), "feat!: x", False),
    (Rule("breaking-change-exclamation-mark", 2), "feat: x\n\nBREAKING CHANGE: y", False),
    (Rule("signed-off-by", 2, "always", "Signed-off-by:"), "feat: x\n\nSigned-off-by: A <a@x>", True),
    (Rule("signed-off-by", 2, "always", "Signed-off-by:"), "feat: x\n\nSigned-off-by: A\n# comment", True),
    (Rule("signed-off-by", 2, "always", "Signed-off-by:"), "feat: x\n\nSigned-off-by: A\nmore", False),
    (Rule("trailer-exists", 2, "always", "Signed-off-by:"), "feat: x\n\nbody\n\nSigned-off-by: A <a@x>", True),
    (Rule("trailer-exists", 2, "always", "Signed-off-by:"), "feat: x\n\nSigned-off-by: A <a@x> in prose", True),
    (Rule("trailer-exists", 2, "always", "Signed-off-by:"), "feat: x\nSigned-off-by: A <a@x>", False),  # title only
    (Rule("trailer-exists", 2, "never", "Co-authored-by:"), "feat: x\n\nCo-authored-by: B <b@x>", False),
]


@pytest.mark.parametrize(("rule", "message", "passes"), RULE_TABLE,
                         ids=[f"{r.name}-{r.when}-{i}" for i, (r, _, _) in enumerate(RULE_TABLE)])
def test_rule(rule: Rule, message: str, passes: bool) -> None:
    assert failures(message, rule) == ([] if passes else [rule.name])


# (case, text, ensure_case verdict)
CASE_TABLE: list[tuple[str, str, bool]] = [
    ("lower-case", "add thing", True), ("lower-case", "Add thing", False),
    ("upper-case", "ADD THING", True), ("upper-case", "ADD thing", False),
    ("sentence-case", "Add thing", True), ("sentence-case", "add thing", False),
    ("sentence-case", "Add Thing", True),  # sentence case only looks at the first letter
    ("start-case", "Add Thing", True), ("start-case", "Add thing", False), ("start-case", "Add-Thing", False),
    ("pascal-case", "AddThing", True), ("pascal-case", "Add Thing", False), ("pascal-case", "addThing", False),
    ("camel-case", "addThing", True), ("camel-case", "AddThing", False), ("camel-case", "add thing", False),
    ("kebab-case", "add-thing", True), ("kebab-case", "add_thing", False), ("kebab-case", "addThing", False),
    ("snake-case", "add_thing", True), ("snake-case", "add-thing", False),
    ("upper-case", "1.2.3", True),  # converts to something starting with a digit: passes
    ("lower-case", "", True),
    ("lower-case", "`README` update", True),  # backticked parts are ignored
    ("sentence-case", "Écrire", True), ("sentence-case", "écrire", False),
    ("start-case", "Über Alles", False),  # converted via deburr to "Uber Alles", which differs from the input
    ("kebab-case", "café-au-lait", False),  # deburred to "cafe-au-lait", which differs from the input
    ("camel-case", "xmlHttpRequest", True), ("camel-case", "XMLHttpRequest", False),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASE_TABLE)
def test_ensure_case(case: str, text: str, expected: bool) -> None:
    assert ensure_case(text, case) is expected


@pytest.mark.parametrize(("case", "text", "converted"), [
    ("camel-case", "HTTPRequest handler", "httpRequestHandler"),
    ("kebab-case", "HTTPRequest handler", "http-request-handler"),
    ("snake-case", "Add thing now", "add_thing_now"),
    ("start-case", "add-thing_now", "Add Thing Now"),
    ("pascal-case", "add thing", "AddThing"),
    ("start-case", "don't stop", "Dont Stop"),  # apostrophes are dropped
    ("kebab-case", "Crème brûlée", "creme-brulee"),
    ("camel-case", "1st place", "1stPlace"),
    ("sentence-case", "😀 emoji", "😀 emoji"),
])
def test_to_case(case: str, text: str, converted: str) -> None:
    assert to_case(text, case) == converted


def test_unknown_case_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown target case"):
        to_case("x", "title-case")


IGNORED = [
    "Merge branch 'main' into dev", "Merge pull request #12 from a/b", "Merge remote-tracking branch 'origin/x'",
    "Merge tag 'v1.0'", "Merged in feature (pull request #3)", "Merged PR 123: Add x", "Automatic merge from x",
    "Auto-merged a into b", 'Revert "feat: x"', "revert x", 'Reapply "feat: x"', "fixup! feat: x", "squash! x",
    "amend! x", "v21.2.2", "1.2.3", "v1.0.0-rc.1", "chore(release): 1.2.3", "chore(release): v2.0.0 [skip ci]",
    "chore: 1.0.0 (skip ci)", "1.2.3\n\nnotes", "feat: x\n\nMerge branch 'y'",  # a Merge line anywhere counts
]
NOT_IGNORED = [
    "merge branch x", "Initial commit", "feat: x", "v1.2", "01.2.3", "=1.2.3", "V1.2.3", "1.2.3-beta.01",
    "Fixup! x", "fixup: x", "revert: x", "Revert: x", "chore(deps): v1.2.3 extra", "Merge", "Bump x from 1 to 2",
]


@pytest.mark.parametrize("message", IGNORED)
def test_default_ignores(message: str) -> None:
    assert is_ignored(message)
    assert not is_ignored(message, default_ignores=False)


@pytest.mark.parametrize("message", NOT_IGNORED)
def test_not_ignored(message: str) -> None:
    assert not is_ignored(message)


def test_own_ignores_are_functions_or_patterns() -> None:
    import re

    assert is_ignored("WIP stuff", [lambda m: m.startswith("WIP")])
    assert is_ignored("chore: sync [bot]", [re.compile(r"\[bot\]$")])
    assert lint("WIP stuff", ignores=[lambda m: m.startswith("WIP")]).ignored


def test_parse_commit() -> None:
    parsed = parse_commit("feat(api)!: drop v1\n\nWhy it goes.\n\nCloses #12\nBREAKING CHANGE: v1 is gone\n@ada")
    assert (parsed.type, parsed.scope, parsed.subject) == ("feat", "api", "drop v1")
    assert parsed.body == "Why it goes."
    assert parsed.footer == "Closes #12\nBREAKING CHANGE: v1 is gone\n@ada"
    assert [(n.title, n.text) for n in parsed.notes] == [("BREAKING CHANGE", "v1 is gone\n@ada")]
    assert [(r.action, r.issue) for r in parsed.references] == [("Closes", "12")]
    assert parsed.mentions == ("ada",)


def test_parse_commit_with_comments_and_scissors() -> None:
    text = f"# hello\nfix: x\n\nbody\n# note\n{SCISSORS}\ndiff --git a b"
    parsed = parse_commit(text, comment_char="#")
    assert (parsed.header, parsed.body) == ("fix: x", "body")
    assert parsed.raw == text  # rules such as body-leading-blank read the raw text, comments included
    assert parse_commit(text).header == "# hello"


def test_revert_is_parsed() -> None:
    parsed = parse_commit('Revert "feat: x"\n\nThis reverts commit abc1234.')
    assert parsed.revert == {"header": "feat: x", "hash": "abc1234"}


def test_lint_messages_are_commitlints() -> None:
    result = lint("Feat: " + "x" * 99)
    assert not result.valid
    assert [(p.name, p.level, p.message) for p in result.errors] == [
        ("header-max-length", 2, "header must not be longer than 100 characters, current length is 105"),
        ("type-case", 2, "type must be lower-case"),
        ("type-enum", 2,
         "type must be one of [build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test]"),
    ]


def test_warnings_do_not_invalidate() -> None:
    result = lint("feat: x\nbody")
    assert result.valid
    assert [p.name for p in result.warnings] == ["body-leading-blank"]


def test_commit_msg_file_mode() -> None:
    text = f"feat: add x\n\n# Please enter the commit message\n{SCISSORS}\nDiff Line That Is Long " + "y" * 120
    assert lint_commit_msg_file(text).valid
    assert not lint(text).valid  # as stdin, the diff is part of the message


def test_empty_messages_are_skipped() -> None:
    assert lint("").ignored and lint("").valid
    assert lint_commit_msg_file("# only comments\n").ignored


def test_level_zero_rules_are_off() -> None:
    assert lint("nonsense", [Rule("type-empty", 0, "never")]).valid


def test_rules_from_config() -> None:
    rules = rules_from_config({"type-enum": [2, "always", ["feat"]], "body-case": [0], "scope-empty": [1, "never"]})
    assert rules == (Rule("type-enum", 2, "always", ("feat",)), Rule("scope-empty", 1, "never"))
    assert rules_from_config({}) == ()
    assert CONFIG_CONVENTIONAL[0] == Rule("body-leading-blank", 1, "always")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"name": "no-such-rule", "level": 2}, "without implementation"),
    ({"name": "type-empty", "level": 3}, "between 0 and 2"),
    ({"name": "type-empty", "level": 2, "when": "sometimes"}, "always"),
])
def test_invalid_rules_are_rejected(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Rule(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("message", "trailers"), [
    ("feat: x\n\nbody\n\nSigned-off-by: A <a@x>\nRefs : 12", ["Signed-off-by: A <a@x>", "Refs: 12"]),
    ("feat: x\n\nKey: a\n  continued\n", ["Key: a continued"]),
    ("feat: x\n\nplain\nplain\nplain\nSigned-off-by: A", ["Signed-off-by: A"]),  # 25% rule with a git trailer
    ("feat: x\n\nplain\nplain\nplain\nKey: v", []),
    ("feat: x\nKey: v", []),  # the title paragraph is never trailers
    ("feat: x\n\nKey: v\n---\nOther: w", ["Key: v"]),
    ("feat: x\n\nKey: v\n# comment\n\n", ["Key: v"]),
])
def test_git_trailers(message: str, trailers: list[str]) -> None:
    assert git_trailers(message) == trailers
