"""A format-patch folder is read as a reviewer reads a series: the cover letter first (its subject, what the
author wrote, how many patches follow), never git's shortlog, diffstat or signature; then each patch."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_git_voice
from support import git


def test_readback_of_a_series_starts_with_its_cover_letter(repo: Path) -> None:
    for name in ("a.py", "b.py"):
        (repo / name).write_text(f"print('{name}')\n")
        git(repo, "add", name)
        git(repo, "commit", "-q", "-m", f"feat: add {name}")
    made = run_git_voice(["format-patch", "--text", "Two small scripts. They print their names.", "--",
                          "--cover-letter", "-o", "out", "-2"], repo)
    assert made.exit_code == 0, made.stderr
    read = run_git_voice(["readback", "--text", "out"], repo)
    assert read.exit_code == 0, read.stderr
    lines = [line for line in read.stdout.splitlines() if line]
    assert lines[:2] == ["Cover letter.", "Two small scripts."]
    assert "2 patches follow." in lines[:6]
    assert lines.index("2 patches follow.") < lines.index("Commit 1 of 2.") < lines.index("Commit 2 of 2.")
    text = read.stdout
    assert "create mode" not in text and "2 files changed, 2 insertions" not in text and "2.39" not in text
