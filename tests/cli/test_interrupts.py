"""Ctrl-C at random moments: the command stops with exit 130, keeps and registers the recording, never commits,
and prints no traceback, every time."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cli_helpers import VENV_BIN, run_git_voice
from support import Clip, git

TRIES = 20


@pytest.mark.slow
def test_ctrl_c_at_random_moments_never_commits_and_keeps_the_recording(repo: Path, tmp_path: Path,
                                                                      human_clips: list[Clip]) -> None:
    note = tmp_path / "note.wav"
    parts = [soundfile.read(c.path, dtype="float32")[0] for c in human_clips if c.duration_s > 5]
    soundfile.write(note, np.concatenate(parts), 16000)  # about 35 s: transcription takes seconds
    (repo / "app.py").write_text("print('hi')\n")
    git(repo, "add", "app.py")
    head = git(repo, "rev-parse", "HEAD").strip()
    rng = random.Random(7)
    outcomes: list[str] = []
    for attempt in range(TRIES):
        process = subprocess.Popen([str(VENV_BIN / "git-voice"), "commit", "--audio", str(note), "--no-edit"],
                                   cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.8, 4.0))
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
        now = git(repo, "rev-parse", "HEAD").strip()
        if process.returncode == 0:  # the commit was done before the interrupt came: it is a real commit
            outcomes.append("done")
            git(repo, "reset", "-q", "--soft", head)
            continue
        assert process.returncode == 130, (attempt, process.returncode, stderr)
        assert now == head, f"attempt {attempt}: exit 130 but a commit was made"
        outcomes.append("interrupted")
    assert outcomes.count("interrupted") >= TRIES // 2, outcomes
    # Every interrupted attempt that got as far as copying the recording registered it; none is half a file.
    history = json.loads(run_git_voice(["history", "--json", "-n", "100"], repo).stdout)
    assert all(entry["path_exists"] or entry["status"] == "committed" for entry in history), history
    assert not list((repo / ".git" / "gitvoice" / "recordings").glob("*.part"))
