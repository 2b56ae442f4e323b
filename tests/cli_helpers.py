"""Run `git voice` the two ways users meet it: in-process through the real entry point, and as a real
`git voice` subprocess found by git on PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitvoice.cli.main import main

VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    """The real entry point (error handler included), in this process."""
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_git_voice(args: list[str], cwd: Path, env: dict[str, str] | None = None,
                  input_text: str | None = None) -> Result:
    """`git voice ARGS` as a subprocess: git finds `git-voice` on PATH, exactly as for a user."""
    full_env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    done = subprocess.run(["git", "voice", *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          input=input_text, check=False, timeout=300)
    return Result(done.returncode, done.stdout, done.stderr)
