"""What git users expect: `git voice --help` opens a man page (git runs `man git-voice`), and `git voice <TAB>`
completes through git's own bash completion."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import VENV_BIN

from gitvoice.cli.manpages import render_page, write_man_pages


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", **extra}


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed (Debian: man-db)")
def test_git_voice_help_is_a_man_page(repo: Path) -> None:
    # The CLI writes this version's pages into the environment's share/man/man1 on first use.
    subprocess.run(["git", "voice", "config"], cwd=repo, env=_env(), check=True, capture_output=True)
    page = subprocess.run(["git", "voice", "--help"], cwd=repo, env=_env(MANPAGER="cat", MANWIDTH="100"),
                          capture_output=True, text=True, check=False)
    assert page.returncode == 0, page.stderr
    assert "git-voice - Say why a change was made" in page.stdout
    assert "git-voice-commit(1)" in page.stdout
    sub = subprocess.run(["man", "git-voice-commit"], cwd=repo, env=_env(MANPAGER="cat"), capture_output=True,
                         text=True, check=False)
    assert sub.returncode == 0 and "--no-edit" in sub.stdout


def test_every_command_has_a_page(tmp_path: Path) -> None:
    written = {path.name for path in write_man_pages(tmp_path)}
    for name in ("git-voice.1", "git-voice-commit.1", "git-voice-check.1", "git-voice-review.1",
                 "git-voice-completion.1"):
        assert name in written
    text = (tmp_path / "git-voice-check.1").read_text()
    assert text.startswith('.TH "GIT-VOICE-CHECK" "1"') and ".SH OPTIONS" in text and "\\-\\-rev\\-range" not in text
    assert "--rev-range" in text


def test_roff_special_lines_are_escaped() -> None:
    import click

    @click.command(help="First paragraph.\n\n.SH not a section\n'not a request either")
    def odd() -> None:
        pass

    page = render_page(odd, "git-voice-odd", click.Context(odd))
    assert "\\&.SH not a section" in page
    requests = [line.split()[0] for line in page.splitlines() if line.startswith((".", "'"))]
    assert set(requests) <= {".TH", ".SH", ".B", ".TP", ".PP"}, requests


@pytest.mark.skipif(not Path("/usr/share/bash-completion/completions/git").is_file(),
                    reason="git's bash completion is not installed")
def test_git_voice_tab_completes_through_gits_bash_completion(repo: Path) -> None:
    script = ('source /usr/share/bash-completion/completions/git; source <(git voice completion bash); '
              'COMP_WORDS=(git voice {words}); COMP_CWORD={cword}; COMP_LINE="git voice {words}"; '
              'COMP_POINT=${{#COMP_LINE}}; __git_wrap__git_main; echo "${{COMPREPLY[@]}}"')

    def complete(words: str) -> set[str]:
        done = subprocess.run(["bash", "-c", script.format(words=words, cword=len(words.split()) + 1)],
                              cwd=repo, env=_env(), capture_output=True, text=True, check=False)
        return set(done.stdout.split())

    assert {"readback", "record", "review"} <= complete("re")
    assert {"--no-edit", "--no-verify", "--no-context"} <= complete("commit --no-")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells_get_a_script(repo: Path, shell: str) -> None:
    done = subprocess.run(["git", "voice", "completion", shell], cwd=repo, env=_env(), capture_output=True,
                          text=True, check=True)
    assert "_GIT_VOICE_COMPLETE" in done.stdout
