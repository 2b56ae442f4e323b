"""Shared fixtures: a hermetic git environment for every test, the real model once per session,
and the shared speech clips."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Clip:
    id: str
    set: str
    path: Path
    text: str
    identifiers: list[str]
    duration_s: float


def _speech_dir() -> Path:
    override = os.environ.get("GITVOICE_SPEECH_DIR")
    candidates = [Path(override)] if override else []
    candidates += [parent / "shared" / "testdata" / "speech" for parent in REPO_ROOT.parents]
    for candidate in candidates:
        if (candidate / "manifest.jsonl").is_file():
            return candidate
    raise pytest.UsageError(
        "shared speech clips not found: expected ../shared/testdata/speech beside the repository "
        "(or set GITVOICE_SPEECH_DIR)"
    )


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    return _speech_dir()


@pytest.fixture(scope="session")
def clips(speech_dir: Path) -> list[Clip]:
    result = []
    for line in (speech_dir / "manifest.jsonl").read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            result.append(Clip(item["id"], item["set"], speech_dir / item["path"], item["text"],
                               item["identifiers"], float(item["duration_s"])))
    return result


@pytest.fixture(scope="session")
def human_clips(clips: list[Clip]) -> list[Clip]:
    return [c for c in clips if c.set == "human"]


@pytest.fixture(scope="session")
def synthetic_clips(clips: list[Clip]) -> list[Clip]:
    return [c for c in clips if c.set == "synthetic"]


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One converted-model cache for the whole session: conversion is tested on its own."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path_factory: pytest.TempPathFactory, model_cache_dir: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Own HOME and XDG dirs, no system/global git config, fixed identities and dates, and an editor
    that fails, so that a test which opens one by accident fails loudly."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("GIT_", "GITVOICE_")) or name in ("VISUAL", "EDITOR"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(model_cache_dir))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Tester")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Tester")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-01-02T03:04:05+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-02T03:04:05+00:00")
    monkeypatch.setenv("GIT_EDITOR", "false")
    monkeypatch.setenv("GITVOICE_DEVICE", "cpu")
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    yield home


PAUSE_BETWEEN_CLIPS_S = 1.6  # longer than the VAD's join gap (1 s, plus padding): each clip is a chunk of its own


def long_recording(path: Path, clips: list[Clip]) -> Path:
    """One WAV of `clips` with a pause after each: a recording that takes several chunks to transcribe."""
    import numpy as np
    import soundfile

    from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio

    pause = np.zeros(int(PAUSE_BETWEEN_CLIPS_S * SAMPLE_RATE_HZ), dtype=np.float32)
    soundfile.write(path, np.concatenate([part for clip in clips for part in (read_audio(clip.path), pause)]),
                    SAMPLE_RATE_HZ)
    return path


def git(repo: Path, *args: str, check: bool = True) -> str:
    """Run git in `repo` for a test; returns stdout."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def conflicting_branches(repo: Path) -> None:
    """Branches `other` and `main` (checked out) that change the same line of README.md: merging conflicts."""
    git(repo, "checkout", "-q", "-b", "other")
    (repo / "README.md").write_text("# other\n")
    git(repo, "commit", "-q", "-am", "docs: other")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("# main\n")
    git(repo, "commit", "-q", "-am", "docs: main")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository with one commit, so HEAD exists."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    (path / "README.md").write_text("# demo\n")
    git(path, "add", "README.md")
    git(path, "commit", "-q", "-m", "chore: start")
    return path


@pytest.fixture(scope="session")
def engine(model_cache_dir: Path) -> object:
    """The real bundled tiny.en on the CPU, loaded once per session."""
    os.environ["GITVOICE_CACHE_DIR"] = str(model_cache_dir)
    from gitvoice.transcription.engine import load_engine

    return load_engine("tiny.en", "cpu")


@pytest.fixture(autouse=True)
def gitvoice_logger_enabled() -> None:
    """commitizen configures logging when imported (the differential tests import it), which disables every
    logger that existed then, gitvoice's included: tests that read its notices need it back."""
    logging.getLogger("gitvoice").disabled = False
