"""gitvoice/git/commit.py in real repositories: every state in which a voice commit must not start, footers through
`git interpret-trailers`, the comment character, and `git commit` driven through a dummy editor and hooks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import conflicting_branches, git

from gitvoice.composition.conventional import Footer
from gitvoice.core.errors import GitError
from gitvoice.git.commit import add_trailers, check_ready_to_commit, run_commit, signoff_footer
from gitvoice.git.messages import message_file_comment_char


def _stage(repo: Path, name: str = "api.py", text: str = "def fetch_user(): ...\n") -> None:
    (repo / name).write_text(text)
    git(repo, "add", name)


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def test_ready_with_staged_changes(repo: Path) -> None:
    _stage(repo)
    state = check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)
    assert state.root == repo and state.head == git(repo, "rev-parse", "HEAD").strip()


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository") as error:
        check_ready_to_commit(all_tracked=False, amend=False, cwd=tmp_path)
    assert error.value.hint


def test_nothing_staged(repo: Path) -> None:
    (repo / "README.md").write_text("# modified only\n")
    with pytest.raises(GitError, match="nothing staged") as error:
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)
    assert "-a" in (error.value.hint or "")
    check_ready_to_commit(all_tracked=True, amend=False, cwd=repo)  # -a commits the modification


def test_all_with_only_untracked_files(repo: Path) -> None:
    (repo / "new.py").write_text("x = 1\n")
    with pytest.raises(GitError, match="no tracked file is modified") as error:
        check_ready_to_commit(all_tracked=True, amend=False, cwd=repo)
    assert "git add" in (error.value.hint or "")


def test_amend_needs_no_staged_change(repo: Path) -> None:
    state = check_ready_to_commit(all_tracked=False, amend=True, cwd=repo)  # rewording the last commit by voice
    assert state.head == git(repo, "rev-parse", "HEAD").strip()
    assert state.root == repo.resolve()


def test_merge_in_progress(repo: Path) -> None:
    conflicting_branches(repo)
    git(repo, "merge", "other", check=False)
    with pytest.raises(GitError, match="a merge is in progress"):
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)


def test_merge_in_progress_without_conflicts(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "other")
    _stage(repo, "b.py")
    git(repo, "commit", "-q", "-m", "feat: b")
    git(repo, "checkout", "-q", "main")
    _stage(repo, "c.py")
    git(repo, "commit", "-q", "-m", "feat: c")
    git(repo, "merge", "--no-commit", "-q", "other")
    with pytest.raises(GitError, match="merge is in progress") as error:
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)
    assert "git commit" in (error.value.hint or "")


def test_rebase_in_progress(repo: Path) -> None:
    conflicting_branches(repo)
    git(repo, "checkout", "-q", "other")
    git(repo, "rebase", "main", check=False)
    with pytest.raises(GitError, match="rebase") as error:
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)
    assert "git rebase --continue" in (error.value.hint or "")


def test_interactive_rebase_stopped_for_edit(repo: Path, tmp_path: Path) -> None:
    _stage(repo)
    git(repo, "commit", "-q", "-m", "feat: a")
    editor = _script(tmp_path / "seq", "sed -i '1s/^pick/edit/' \"$1\"\n")
    subprocess.run(["git", "rebase", "-q", "-i", "HEAD~1"], cwd=repo, check=True,
                   env={**os.environ, "GIT_SEQUENCE_EDITOR": str(editor)})
    with pytest.raises(GitError, match="a rebase is in progress"):
        check_ready_to_commit(all_tracked=False, amend=True, cwd=repo)


def test_cherry_pick_in_progress(repo: Path) -> None:
    conflicting_branches(repo)
    git(repo, "cherry-pick", "other", check=False)
    with pytest.raises(GitError, match="cherry-pick"):
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)


def test_unmerged_paths_without_an_operation(repo: Path) -> None:
    conflicting_branches(repo)
    git(repo, "merge", "other", check=False)
    (repo / ".git" / "MERGE_HEAD").unlink()  # as left behind by e.g. a conflicting `git stash pop`
    with pytest.raises(GitError, match="unmerged paths"):
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)


def test_unborn_branch(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    git(tmp_path, "init", "-q", str(fresh))
    with pytest.raises(GitError, match="nothing staged"):
        check_ready_to_commit(all_tracked=False, amend=False, cwd=fresh)
    _stage(fresh)
    with pytest.raises(GitError, match="nothing to amend") as error:
        check_ready_to_commit(all_tracked=False, amend=True, cwd=fresh)
    assert "--amend" in (error.value.hint or "")
    state = check_ready_to_commit(all_tracked=False, amend=False, cwd=fresh)  # a first commit is fine
    assert state.head is None


def test_unknown_identity(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(repo)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("EMAIL", "")
    git(repo, "config", "user.useConfigOnly", "true")
    with pytest.raises(GitError, match="does not know who you are"):
        check_ready_to_commit(all_tracked=False, amend=False, cwd=repo)


# --- footers and comments -------------------------------------------------------------------------------

def test_footers_keep_their_exact_form(repo: Path) -> None:
    text = add_trailers("feat(api)!: drop v1\n\nThe old endpoints are gone.\n", [
        Footer("BREAKING CHANGE", "the v1 endpoints are removed"),
        Footer("Fixes", "42", " #"),
        Footer("Refs", "#7"),
    ], repo)
    assert text == ("feat(api)!: drop v1\n\nThe old endpoints are gone.\n\n"
                    "BREAKING CHANGE: the v1 endpoints are removed\nFixes #42\nRefs: #7\n")


def test_footers_join_an_existing_trailer_block_without_duplicates(repo: Path) -> None:
    message = "fix: x\n\nbody\n\nReviewed-by: Bo <bo@example.com>\n"
    sign = signoff_footer(repo)
    assert sign == Footer("Signed-off-by", "Ada Tester <ada@example.com>")
    once = add_trailers(message, [sign], repo)
    assert once.endswith("Reviewed-by: Bo <bo@example.com>\nSigned-off-by: Ada Tester <ada@example.com>\n")
    assert add_trailers(once, [sign], repo) == once
    assert add_trailers(message, [], repo) == message


@pytest.mark.parametrize(("configured", "message", "expected"), [
    (None, "feat: x\n", "#"),
    (";", "feat: x\n", ";"),
    ("auto", "feat: x\n\n# not a comment\n", ";"),
    ("auto", "feat: x\n\n# kept\n;\n; Please enter the commit message\n", ";"),
])
def test_comment_char(repo: Path, configured: str | None, message: str, expected: str) -> None:
    if configured:
        git(repo, "config", "core.commentChar", configured)
    assert message_file_comment_char(message, repo) == expected


def test_comment_string_and_cleanup_are_honoured(repo: Path) -> None:
    git(repo, "config", "core.commentString", "//")
    assert message_file_comment_char("feat: x\n", repo) == "//"
    git(repo, "config", "commit.cleanup", "verbatim")
    assert message_file_comment_char("feat: x\n", repo) == ""


# --- git commit through the user's editor and hooks ------------------------------------------------------

def _draft(tmp_path: Path, text: str = "feat(api): add fetch_user\n\nCallers need it.\n") -> Path:
    path = tmp_path / "draft.txt"
    path.write_text(text)
    return path


def test_commit_without_editor(repo: Path, tmp_path: Path) -> None:
    _stage(repo)
    outcome = run_commit(_draft(tmp_path), edit=False, all_tracked=False, signoff=True, amend=False,
                         no_verify=False, cwd=repo)
    assert outcome.commit == git(repo, "rev-parse", "HEAD").strip()
    body = git(repo, "log", "-1", "--format=%B")
    assert body.startswith("feat(api): add fetch_user\n\nCallers need it.\n")
    assert body.count("Signed-off-by: Ada Tester <ada@example.com>") == 1


def test_the_editor_sees_gits_comment_lines(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(repo)
    seen = tmp_path / "seen.txt"
    editor = _script(tmp_path / "editor", f"cp \"$1\" '{seen}'\n")
    monkeypatch.setenv("GIT_EDITOR", str(editor))
    outcome = run_commit(_draft(tmp_path), edit=True, all_tracked=False, signoff=False, amend=False,
                         no_verify=False, cwd=repo)
    assert outcome.commit is not None
    shown = seen.read_text()
    assert shown.startswith("feat(api): add fetch_user\n") and "# Changes to be committed:" in shown
    assert git(repo, "log", "-1", "--format=%B").strip() == "feat(api): add fetch_user\n\nCallers need it."


def test_an_emptied_message_is_reported(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(repo)
    monkeypatch.setenv("GIT_EDITOR", str(_script(tmp_path / "editor", ": > \"$1\"\n")))
    head = git(repo, "rev-parse", "HEAD")
    outcome = run_commit(_draft(tmp_path), edit=True, all_tracked=False, signoff=False, amend=False,
                         no_verify=False, cwd=repo)
    assert (outcome.commit, outcome.reason) == (None, "empty")
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_rejecting_hook_keeps_the_users_edit(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(repo)
    _script(repo / ".git" / "hooks" / "commit-msg", "echo 'commit-msg: rejected' >&2\nexit 1\n")
    monkeypatch.setenv("GIT_EDITOR", str(_script(tmp_path / "editor", "echo 'Edited by hand.' >> \"$1\"\n")))
    outcome = run_commit(_draft(tmp_path), edit=True, all_tracked=False, signoff=False, amend=False,
                         no_verify=False, cwd=repo)
    assert (outcome.commit, outcome.reason) == (None, "failed")
    assert outcome.edited_message is not None and "Edited by hand." in outcome.edited_message
    assert "#" not in outcome.edited_message  # git's comment lines are not part of the message
    # --no-verify skips the hook, as with git commit -n.
    outcome = run_commit(_draft(tmp_path), edit=False, all_tracked=False, signoff=False, amend=False,
                         no_verify=True, cwd=repo)
    assert outcome.commit is not None


def test_a_pre_commit_rejection_is_not_mistaken_for_an_edit(repo: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _stage(repo)
    (repo / ".git" / "COMMIT_EDITMSG").write_text("an old message from another commit\n")
    _script(repo / ".git" / "hooks" / "pre-commit", "exit 1\n")
    monkeypatch.setenv("GIT_EDITOR", "true")
    outcome = run_commit(_draft(tmp_path), edit=True, all_tracked=False, signoff=False, amend=False,
                         no_verify=False, cwd=repo)
    assert (outcome.reason, outcome.edited_message) == ("failed", None)


def test_amend_and_all(repo: Path, tmp_path: Path) -> None:
    (repo / "README.md").write_text("# changed\n")
    first = git(repo, "rev-parse", "HEAD").strip()
    outcome = run_commit(_draft(tmp_path, "docs: reword the readme\n"), edit=False, all_tracked=True,
                         signoff=False, amend=True, no_verify=False, cwd=repo)
    assert outcome.commit is not None and outcome.commit != first
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"  # replaced, not added
    assert git(repo, "show", "HEAD:README.md") == "# changed\n"
