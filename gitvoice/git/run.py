"""Run git: argument lists only, never shell strings; failures become GitError."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from gitvoice.core.errors import GitError


def git_output(
    args: Sequence[str],
    cwd: Path | str | None = None,
    *,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    strip: bool = True,
    input_bytes: bytes | None = None,
) -> str:
    """stdout of `git ARGS` (stripped of the trailing newline); GitError with git's message on failure."""
    result = run_git(args, cwd, input_text=input_text, env=env, input_bytes=input_bytes)
    if check and result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise GitError(
            f"git {' '.join(args[:2])} failed: {message[-1] if message else f'exit {result.returncode}'}"
        )
    return result.stdout.rstrip("\n") if strip else result.stdout


def git_bytes(args: Sequence[str], cwd: Path | str | None = None) -> bytes:
    """stdout of `git ARGS` as raw bytes (blobs such as audio notes); GitError on failure."""
    try:
        raw = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH", hint="install git") from exc
    if raw.returncode != 0:
        message = raw.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {message[-1] if message else f'exit {raw.returncode}'}")
    return raw.stdout


def run_git_attached(args: Sequence[str], cwd: Path | str | None = None) -> int:
    """Run `git ARGS` on the user's terminal (stdin, stdout, stderr inherited), so git can open the editor and
    hooks can talk to the user; its exit status."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, check=False).returncode
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH", hint="install git") from exc


def run_git(
    args: Sequence[str],
    cwd: Path | str | None = None,
    *,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
    input_bytes: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """`git ARGS`, its output as text. stdout is decoded losslessly (surrogateescape): a file's Latin-1 bytes in a
    diff or a patch survive, and encode back to the same bytes (patches must stay byte-exact); stderr is for
    people and decoded leniently."""
    full_env = {**os.environ, **(env or {})}
    data = input_bytes if input_bytes is not None else (
        input_text.encode("utf-8", "surrogateescape") if input_text is not None else None)
    try:
        raw = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=full_env, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH", hint="install git") from exc
    # No newline translation either: a CRLF file's patch keeps its CRs.
    return subprocess.CompletedProcess(raw.args, raw.returncode, raw.stdout.decode("utf-8", "surrogateescape"),
                                       raw.stderr.decode("utf-8", "replace"))
