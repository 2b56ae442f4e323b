"""`git voice hooks install | uninstall | status`: real repositories, real `git commit`, hooks already there."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run_main
from support import REPO_ROOT, git

from gitvoice.git.hooks import (
    CHAINED_SUFFIX,
    HOOK_ID,
    HOOK_NAMES,
    HOOK_VERSION,
    install_hooks,
    render_hook_script,
)

VALID = "feat(api): accept empty input"
Voice = Callable[..., tuple[int, str]]


@pytest.fixture
def voice(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Voice:
    """`git voice ARGS` in a repository through the real entry point; (exit code, stdout + stderr)."""

    def run(repo: Path, *args: str) -> tuple[int, str]:
        with monkeypatch.context() as patch:
            patch.chdir(repo)
            result = run_main(list(args), capsys)
        return result.exit_code, result.stdout + result.stderr

    return run


def commit(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A real `git commit` with no terminal (new session: /dev/tty cannot be opened), as from an IDE or CI."""
    return subprocess.run(["git", "commit", "-q", *args], cwd=repo, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL, start_new_session=True, env={**os.environ, **(env or {})})


def user_hook(path: Path, body: str) -> str:
    """Write an executable user hook that appends its arguments to `hook.log` beside the repository."""
    text = f'#!/bin/sh\necho "{path.name} $*" >> "$(git rev-parse --show-toplevel)/../hook.log"\n{body}\n'
    path.write_text(text)
    path.chmod(0o755)
    return text


def hooks_dir(repo: Path) -> Path:
    return repo / ".git" / "hooks"


def test_install_writes_both_hooks_recording_this_python(repo: Path, voice: Voice) -> None:
    code, output = voice(repo, "hooks", "install")
    assert code == 0, output
    for hook in HOOK_NAMES:
        path = hooks_dir(repo) / hook
        text = path.read_text()
        assert HOOK_ID in text and sys.executable in text
        assert path.stat().st_mode & stat.S_IXUSR
        assert f"installed {hook} hook: {path}" in output
    code, output = voice(repo, "hooks", "status")
    assert code == 0
    assert f"prepare-commit-msg: installed, version {HOOK_VERSION}, runs {sys.executable}" in output
    assert "commit-msg: installed" in output
    assert "voice.prompt true turns it on" in output


def test_a_hook_already_there_keeps_running_with_the_same_arguments_and_comes_back(repo: Path, voice: Voice) -> None:
    original = {hook: user_hook(hooks_dir(repo) / hook, "exit 0") for hook in HOOK_NAMES}
    code, output = voice(repo, "hooks", "install")
    assert code == 0
    assert "your existing commit-msg hook now runs first" in output
    (repo / "a.txt").write_text("a\n")
    git(repo, "add", "a.txt")
    result = commit(repo, "-m", VALID)
    assert result.returncode == 0, result.stderr
    log = (repo.parent / "hook.log").read_text().splitlines()
    assert log == ["prepare-commit-msg .git/COMMIT_EDITMSG message", "commit-msg .git/COMMIT_EDITMSG",
                   "post-commit "]

    # gitvoice's own check still runs after the user's hook.
    (repo / "a.txt").write_text("b\n")
    assert commit(repo, "-am", "Added stuff").returncode == 1

    code, output = voice(repo, "hooks", "uninstall")
    assert code == 0
    assert "your earlier hook is back" in output
    for hook in HOOK_NAMES:
        path = hooks_dir(repo) / hook
        assert path.read_text() == original[hook]
        assert path.stat().st_mode & stat.S_IXUSR
        assert not path.with_name(hook + CHAINED_SUFFIX).exists()


def test_a_failing_user_hook_still_blocks_the_commit(repo: Path, voice: Voice) -> None:
    user_hook(hooks_dir(repo) / "commit-msg", "echo 'user hook says no' >&2; exit 3")
    voice(repo, "hooks", "install")
    head = git(repo, "rev-parse", "HEAD")
    result = commit(repo, "--allow-empty", "-m", VALID)
    assert result.returncode != 0
    assert "user hook says no" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == head


def test_installing_again_replaces_our_older_hook_without_chaining_it(repo: Path, voice: Voice) -> None:
    user_hook(hooks_dir(repo) / "commit-msg", "exit 0")
    voice(repo, "hooks", "install")
    older = render_hook_script("commit-msg", sys.executable).replace(
        f"gitvoice-hook-version: {HOOK_VERSION}", "gitvoice-hook-version: 0")
    (hooks_dir(repo) / "commit-msg").write_text(older)
    code, output = voice(repo, "hooks", "status")
    assert "commit-msg: outdated" in output

    code, output = voice(repo, "hooks", "install")
    assert code == 0
    assert "updated commit-msg hook" in output
    assert f"gitvoice-hook-version: {HOOK_VERSION}" in (hooks_dir(repo) / "commit-msg").read_text()
    chained = hooks_dir(repo) / f"commit-msg{CHAINED_SUFFIX}"
    assert HOOK_ID not in chained.read_text()  # still the user's hook, never ours
    assert not list(hooks_dir(repo).glob("*gitvoice-backup*"))


def test_a_second_foreign_hook_is_refused_unless_forced_and_then_kept(repo: Path, voice: Voice) -> None:
    user_hook(hooks_dir(repo) / "commit-msg", "exit 0")
    voice(repo, "hooks", "install")
    newer = user_hook(hooks_dir(repo) / "commit-msg", "exit 0")  # another tool overwrote ours
    code, output = voice(repo, "hooks", "install")
    assert code == 1
    assert "not gitvoice's" in output and "hint:" in output
    code, output = voice(repo, "hooks", "install", "--force")
    assert code == 0
    backups = list(hooks_dir(repo).glob("commit-msg.gitvoice-backup*"))
    assert len(backups) == 1 and backups[0].read_text() == newer
    assert str(backups[0]) in output


def test_core_hooks_path_is_refused_with_a_hint_and_forced_install_goes_there(repo: Path, voice: Voice) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    code, output = voice(repo, "hooks", "install")
    assert code == 1
    assert "core.hooksPath is set (.githooks)" in output
    assert "hint:" in output and "--force" in output
    assert not (repo / ".githooks").exists()
    assert not (hooks_dir(repo) / "commit-msg").exists()

    code, output = voice(repo, "hooks", "install", "--force")
    assert code == 0, output
    assert (repo / ".githooks" / "commit-msg").exists()
    assert commit(repo, "--allow-empty", "-m", "no convention here").returncode == 1  # git runs it from there
    assert commit(repo, "--allow-empty", "-m", VALID).returncode == 0


def test_core_hooks_path_pointing_at_the_usual_folder_is_fine(repo: Path, voice: Voice) -> None:
    git(repo, "config", "core.hooksPath", str(hooks_dir(repo)))
    code, output = voice(repo, "hooks", "install")
    assert code == 0, output
    assert commit(repo, "--allow-empty", "-m", "no convention here").returncode == 1


def test_worktrees_share_the_hooks(repo: Path, voice: Voice) -> None:
    worktree = repo.parent / "wt"
    git(repo, "worktree", "add", "-q", str(worktree))
    code, output = voice(worktree, "hooks", "install")
    assert code == 0
    assert (hooks_dir(repo) / "commit-msg").exists()  # the common git dir, not .git/worktrees/wt
    code, output = voice(repo, "hooks", "status")
    assert "commit-msg: installed" in output
    result = commit(worktree, "--allow-empty", "-m", "wip")
    assert result.returncode == 1
    assert "rejected" in result.stderr
    assert commit(worktree, "--allow-empty", "-m", VALID).returncode == 0


def _path_without_gitvoice() -> str:
    """PATH with the folders of git and sh, and nothing that holds a git-voice."""
    folders = [str(Path(p).parent) for p in ("/usr/bin/git", "/bin/sh")]
    return os.pathsep.join(dict.fromkeys(folders))


def test_without_python_or_git_voice_prepare_goes_on_and_commit_msg_fails_closed(repo: Path, voice: Voice) -> None:
    install_hooks(repo, python="/nonexistent/python3")
    env = {"PATH": _path_without_gitvoice()}
    result = commit(repo, "--allow-empty", "-m", VALID, env=env)
    assert result.returncode == 1
    assert "cannot check the commit message: no gitvoice found" in result.stderr
    assert "--no-verify" in result.stderr
    result = commit(repo, "--allow-empty", "--no-verify", "-m", VALID, env=env)
    assert result.returncode == 0  # prepare-commit-msg (not skipped by --no-verify) never blocks
    assert "no gitvoice found" in result.stderr and "committing without it" in result.stderr
    _, output = voice(repo, "hooks", "status")
    assert "/nonexistent/python3 (missing!)" in output


def test_a_missing_python_falls_back_to_git_voice_on_path(repo: Path, voice: Voice) -> None:
    install_hooks(repo, python="/nonexistent/python3")
    env = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), _path_without_gitvoice()])}
    result = commit(repo, "--allow-empty", "-m", "Added stuff", env=env)
    assert result.returncode == 1
    assert "✖ type-empty" in result.stderr
    assert commit(repo, "--allow-empty", "-m", VALID, env=env).returncode == 0


def test_uninstall_leaves_a_foreign_hook_alone(repo: Path, voice: Voice) -> None:
    text = user_hook(hooks_dir(repo) / "commit-msg", "exit 0")
    code, output = voice(repo, "hooks", "uninstall")
    assert code == 0
    assert "not gitvoice's" in output
    assert (hooks_dir(repo) / "commit-msg").read_text() == text


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_the_scripts_in_hooks_folder_are_the_rendered_template(hook: str) -> None:
    """hooks/ holds the scripts for people who wire hooks by hand (they use git-voice from PATH)."""
    path = REPO_ROOT / "hooks" / hook
    assert path.read_text() == render_hook_script(hook, None)
    assert path.stat().st_mode & stat.S_IXUSR
