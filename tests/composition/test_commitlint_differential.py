"""gitvoice.composition.commitlint against the real commitlint (tests/oracles/package.json), message by message.

The whole corpus goes to one node process (tests/oracles/commitlint-oracle.mjs) under every rule set of
data/rulesets.json, both as `commitlint` reads stdin and as `commitlint --edit` reads a commit-msg file; each
verdict must match: valid, and the errors and warnings with their rule names and messages, in order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitvoice.composition.commitlint import (
    CASES,
    CONFIG_CONVENTIONAL,
    LintResult,
    Rule,
    lint,
    lint_commit_msg_file,
    rules_from_config,
    to_case,
)

ORACLES = Path(__file__).resolve().parents[1] / "oracles"
DATA = Path(__file__).resolve().parent / "data"
RULESETS: dict[str, Any] = {k: v for k, v in json.loads((DATA / "rulesets.json").read_text()).items()
                            if not k.startswith("_")}
MODES = ("stdin", "edit")
CASE_TEXTS = (
    "", "a", "A", "ab cd", "Ab Cd", "AB CD", "abCd", "AbCd", "ab_cd", "ab-cd", "AB_CD", "ab--cd", "-ab", "ab-",
    "_ab_", "ab  cd", " ab ", "ab1cd", "ab1Cd", "1ab", "ab 1", "AB1", "a1B2", "HTTPServer", "httpServer", "XMLHttp",
    "iOS", "IOs", "ab's", "Ab's", "AB'S", "don’t", "ab.cd", "ab/cd", "ab,cd", "ab+cd", "ab@cd", "émile", "Émile",
    "ÉMILE", "straße", "STRASSE", "Æther", "æther", "ĳ", "Ĳssel", "ǅ", "ǆ", "σς", "ΣΣ", "Σς", "日本", "日本 Go",
    "😀", "😀a", "a😀", "A😀B", "😀 Ab", "👍🏽", "🇫🇷 flag", "a\u0301", "A\u0301b", "x\u200dy", "1st", "1ST",
    "2nd Place",
    "the 3rd", "4th", "11TH", "ab cd ef", "Ab cd ef", "ab Cd ef", "ab\tcd", "ab\ncd", "Ab\nCd", "a b c", "A B C",
    "`Ab` cd", "\"Ab\" cd", "'Ab' cd", "x`Ab`", "ǅemal", "İstanbul", "ı", "Ⅻ", "ⅻ", "Ｆｕｌｌ", "ｆｕｌｌ", "ɐ", "×÷",
    "ab×cd", "ÀÉÎ", "àéî", "ſ", "K", "µ", "ÿ", "Ÿ", "ŉ", "ŀ", "ĸ", "ð", "Þorn", "þorn", "1.2.3", "v2", "V2",
    "snake_Case", "Kebab-Case", "camelCase1", "Pascal1Case", "a_b-c d", "ABC-def", "abc-DEF", "Ab_Cd-Ef Gh",
)

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed: the differential tests run the real commitlint")


def _hermetic_git_env(home: Path) -> dict[str, str]:
    # trailer-exists runs `git interpret-trailers`; no user or system git config may change its answer.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, XDG_CONFIG_HOME=str(home))
    return env


def _ensure_node_modules() -> None:
    if (ORACLES / "node_modules" / "@commitlint" / "lint").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("tests/oracles/node_modules is missing and npm is not installed: run scripts/setup.sh --dev")
    subprocess.run([npm, "ci", "--prefix", str(ORACLES), "--no-audit", "--no-fund"], check=True,
                   capture_output=True, timeout=600)


def _cases(corpus: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    for ruleset in RULESETS:
        for mode in MODES:
            for entry in corpus:
                yield {"id": entry["id"], "message": entry["message"], "mode": mode, "ruleset": ruleset}


@pytest.fixture(scope="session")
def oracle(corpus: list[dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of the real commitlint over everything: rule sets × modes × corpus, plus toCase."""
    _ensure_node_modules()
    cases = list(_cases(corpus))
    request = {"rulesets": RULESETS, "cases": cases,
               "cases_for_to_case": [{"text": t, "case": c} for t in CASE_TEXTS for c in CASES]}
    completed = subprocess.run(["node", str(ORACLES / "commitlint-oracle.mjs")], input=json.dumps(request),
                               capture_output=True, text=True, encoding="utf-8", check=True, timeout=600,
                               cwd=ORACLES, env=_hermetic_git_env(tmp_path_factory.mktemp("git-home")))
    answer: dict[str, Any] = json.loads(completed.stdout)
    answer["cases"] = cases
    return answer


def _rules(ruleset: str) -> tuple[Rule, ...]:
    config = RULESETS[ruleset]
    return CONFIG_CONVENTIONAL if config is None else rules_from_config(config)


def _ours(message: str, mode: str, rules: tuple[Rule, ...]) -> LintResult:
    return lint_commit_msg_file(message, rules) if mode == "edit" else lint(message, rules)


def _as_oracle(result: LintResult) -> dict[str, Any]:
    return {"valid": result.valid, "errors": [[p.name, p.message] for p in result.errors],
            "warnings": [[p.name, p.message] for p in result.warnings]}


def test_config_conventional_is_the_installed_one(oracle: dict[str, Any]) -> None:
    assert rules_from_config(oracle["conventional_rules"]) == CONFIG_CONVENTIONAL


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ruleset", list(RULESETS))
def test_lint_agrees_with_commitlint(oracle: dict[str, Any], ruleset: str, mode: str) -> None:
    rules = _rules(ruleset)
    mismatches, compared = [], 0
    for case, expected in zip(oracle["cases"], oracle["results"], strict=True):
        if case["ruleset"] != ruleset or case["mode"] != mode:
            continue
        assert "error" not in expected, f"commitlint threw on {case['id']}: {expected['error']}"
        compared += 1
        ours = _as_oracle(_ours(case["message"], mode, rules))
        if ours != expected:
            mismatches.append(f"{case['id']} {case['message']!r}\n  commitlint: {expected}\n  gitvoice:   {ours}")
    assert compared >= 400
    assert not mismatches, f"{len(mismatches)}/{compared} disagree:\n" + "\n".join(mismatches[:25])


def test_case_conversions_agree_with_ensure(oracle: dict[str, Any]) -> None:
    requests = [(t, c) for t in CASE_TEXTS for c in CASES]
    mismatches = [f"{c} {t!r}: commitlint {expected!r}, gitvoice {to_case(t, c)!r}"
                  for (t, c), expected in zip(requests, oracle["to_case"], strict=True) if to_case(t, c) != expected]
    assert not mismatches, "\n".join(mismatches)


def _cli(message: str, edit: bool, tmp_path: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    command = ["node", str(ORACLES / "node_modules" / "@commitlint" / "cli" / "cli.js"),
               "--extends", "@commitlint/config-conventional"]
    stdin = message
    if edit:
        path = tmp_path / "COMMIT_EDITMSG"
        path.write_text(message, encoding="utf-8")
        command += ["--edit", str(path)]
        stdin = ""
    # CI=true makes commitlint colour its output (supports-color); the rule names are read from plain text.
    completed = subprocess.run(command, input=stdin, capture_output=True, text=True, encoding="utf-8",
                               cwd=ORACLES, env={**env, "FORCE_COLOR": "0", "NO_COLOR": "1"}, timeout=60,
                               check=False)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", completed.stdout)
    return completed.returncode, re.findall(r"^[✖⚠] .*\[([a-z-]+)\]$", plain, re.MULTILINE)


SAMPLE = ("feat: Add thing", "feat: add thing\nbody", "# c\nfix: x\n\n# ------------------------ >8 "
          "------------------------\nZ", "Merge branch 'x'", "feat: x.\n\nBREAKING CHANGE: y",
          "fixup! WIP", "feat(a): " + "a" * 95 + "\n\n" + "b" * 101)


@pytest.mark.parametrize("edit", [False, True], ids=["stdin", "edit"])
def test_batch_oracle_matches_the_cli(edit: bool, tmp_path: Path) -> None:
    """The batch script drives @commitlint/lint the way the `commitlint` CLI does, in both modes."""
    _ensure_node_modules()
    git_dir = tmp_path / "repo"
    git_dir.mkdir()
    env = _hermetic_git_env(tmp_path)
    for message in SAMPLE:
        code, names = _cli(message, edit, git_dir, env)
        ours = lint_commit_msg_file(message) if edit else lint(message)
        assert (code == 0) == ours.valid, message
        assert sorted(names) == sorted(p.name for p in [*ours.errors, *ours.warnings]), message
