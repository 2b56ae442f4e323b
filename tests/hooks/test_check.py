"""`git voice check`: a message file, a range of commits (CI) or -m, with the commit-msg hook's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Result, run_git_voice, run_main
from support import git

GIT_TEMPLATE = ("\n# Please enter the commit message for your changes. Lines starting\n"
                "# with '#' will be ignored, and an empty message aborts the commit.\n")


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: Path):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Result:
        monkeypatch.chdir(repo)
        return run_main(["check", *args], capsys)

    return run


def test_config_conventional_decides_without_a_configuration(check) -> None:  # type: ignore[no-untyped-def]
    assert check("-m", "feat(api)!: drop the v1 endpoints").exit_code == 0
    # A warning in config-conventional: shown, never rejecting.
    result = check("-m", "fix: handle empty input\nno blank line")
    assert result.exit_code == 0
    assert "⚠ body-leading-blank: body must have leading blank line" in result.stderr
    # Errors: each rule named, with commitlint's own words.
    result = check("-m", "Fix: Handle Empty Input.")
    assert result.exit_code == 1
    for rule in ("type-case", "type-enum", "subject-case", "subject-full-stop"):
        assert f"✖ {rule}:" in result.stderr, result.stderr
    assert "@commitlint/config-conventional" in result.stderr
    # 100 characters in the header are fine (not 72), 101 are not; release commits are ignored.
    assert check("-m", "feat: " + "x" * 94).exit_code == 0
    assert "header-max-length" in check("-m", "feat: " + "x" * 95).stderr
    assert check("-m", "v21.2.2").exit_code == 0
    result = check("-m", "")
    assert result.exit_code == 1
    assert "subject-empty" in result.stderr and "type-empty" in result.stderr


def test_message_file_ignores_comments_and_scissors_and_keeps_a_rejected_copy(check, repo: Path,  # type: ignore[no-untyped-def]
                                                                             tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.write_text("docs: explain hooks\n" + GIT_TEMPLATE + "# ------------------------ >8 ------------------------\n"
                    "diff --git a/x b/x\nBreaking change: after the scissors\n")
    assert check("--commit-msg-file", str(good)).exit_code == 0
    bad = tmp_path / "bad"
    bad.write_text("Docs: explain hooks\n" + GIT_TEMPLATE)
    result = check("--commit-msg-file", str(bad))
    assert result.exit_code == 1
    assert "✖ type-case: type must be lower-case" in result.stderr
    saved = Path(result.stderr.split("your message is saved in ")[1].split(";")[0])
    assert saved.parent == repo / ".git" / "gitvoice"
    assert saved.read_text() == bad.read_text()


def test_a_rejected_message_is_kept_byte_for_byte(check, repo: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "latin1"
    bad.write_bytes(b"Caf\xe9: r\xe9sum\xe9 parsing\n" + GIT_TEMPLATE.encode())
    result = check("--commit-msg-file", str(bad))
    assert result.exit_code == 1
    saved = Path(result.stderr.split("your message is saved in ")[1].split(";")[0])
    assert saved.read_bytes() == bad.read_bytes()


def test_an_emptied_message_is_left_to_git(check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.write_text(GIT_TEMPLATE)
    assert check("--commit-msg-file", str(empty)).exit_code == 0


def _commit(repo: Path, message: str) -> None:
    git(repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", message)


def test_range_reports_only_the_commits_that_break_the_convention(check, repo: Path) -> None:  # type: ignore[no-untyped-def]
    base = git(repo, "rev-parse", "HEAD").strip()
    _commit(repo, "feat: add a thing")
    _commit(repo, "fixup! feat: add a thing")
    _commit(repo, "squash! feat: add a thing\n\nmore")
    _commit(repo, "amend! feat: add a thing\n\nfeat: add the thing")
    git(repo, "checkout", "-q", "-b", "side")
    _commit(repo, "fix: on the side")
    git(repo, "checkout", "-q", "main")
    _commit(repo, "added stuff")
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "side")
    _commit(repo, 'Revert "feat: add a thing"\n\nThis reverts commit 0123abc.')
    bad = git(repo, "rev-parse", "HEAD~2").strip()

    result = check("--rev-range", f"{base}..HEAD")
    assert result.exit_code == 1
    assert f"{bad[:12]} added stuff" in result.stderr
    assert "✖ subject-empty" in result.stderr and "✖ type-empty" in result.stderr
    assert "1 of 8 commits" in result.stderr
    assert "Merge branch" not in result.stderr and "fixup!" not in result.stderr and "Revert" not in result.stderr

    result = check("--rev-range", f"{base}..HEAD~3")
    assert result.exit_code == 0, result.stderr
    assert "4 commits" in result.stdout


def test_a_bad_range_and_bad_usage(check) -> None:  # type: ignore[no-untyped-def]
    result = check("--rev-range", "nosuchbranch..HEAD")
    assert result.exit_code == 1
    assert "cannot list commits in 'nosuchbranch..HEAD'" in result.stderr
    assert "hint:" in result.stderr
    assert check().exit_code == 2
    assert check("-m", "feat: x", "--rev-range", "HEAD").exit_code == 2


def test_git_voice_check_as_ci_runs_it(repo: Path) -> None:
    _commit(repo, "Update README")
    result = run_git_voice(["check", "--rev-range", "HEAD~1..HEAD"], cwd=repo)
    assert result.exit_code == 1
    assert "Update README" in result.stderr
    assert "Traceback" not in result.stderr
