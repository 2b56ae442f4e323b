"""What gitvoice's hooks cost a commit when nobody can speak (IDE, CI, GUI client): target < 150 ms.

Runs the installed hook scripts exactly as git does (sh -> recorded Python -> gitvoice.hooks.entry) in a
throw-away repository, in a new session so that /dev/tty cannot be opened, and checks that the no-terminal
path imports no heavy module (torch, click, GitPython, numpy).

    python benchmarks/hook_cost.py [--runs 30] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, today, write_section

TARGET_MS = 150.0
HEAVY_MODULES = ("torch", "click", "git", "numpy", "whisper", "sounddevice")
GIT_TEMPLATE = "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITVOICE_"))}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@example.com")
    return env


def _run(command: Sequence[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A new session has no controlling terminal: /dev/tty cannot be opened, as in an IDE or CI.
    return subprocess.run(list(command), cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, check=False, start_new_session=True)


def _timed_ms(command: Sequence[str], cwd: Path, env: dict[str, str], runs: int) -> list[float]:
    _run(command, cwd, env)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = _run(command, cwd, env)
        times.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return times


def _repository(root: Path, env: dict[str, str]) -> Path:
    repo = root / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "chore: start"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    subprocess.run([sys.executable, "-m", "gitvoice", "hooks", "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return repo


def _heavy_imports(repo: Path, env: dict[str, str], message_file: Path) -> list[str]:
    code = "import sys\nfrom gitvoice.hooks.entry import main\nsys.exit(main(sys.argv[1:]))"
    result = _run([sys.executable, "-X", "importtime", "-c", code, "prepare-commit-msg", str(message_file)],
                  repo, env)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    return sorted(name for name in imported if name.split(".")[0] in HEAVY_MODULES)


def _row(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"| {label} | {statistics.median(times):.1f} | {p90:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gitvoice-hook-bench-") as tmp:
        root = Path(tmp)
        (root / "home").mkdir()
        env = _env(root / "home")
        repo = _repository(root, env)
        hooks = repo / ".git" / "hooks"
        message_file = root / "COMMIT_EDITMSG"
        message_file.write_text(GIT_TEMPLATE)
        valid = root / "valid-message"
        valid.write_text("feat(api): accept empty input\n" + GIT_TEMPLATE)
        editor = root / "editor.sh"
        editor.write_text("#!/bin/sh\nprintf 'feat: benchmark commit\\n' > \"$1\"\n")
        editor.chmod(0o755)
        commit_env = {**env, "GIT_EDITOR": str(editor)}
        commit = ["git", "commit", "-q", "--allow-empty"]

        rows = {
            "python -c pass (interpreter start, the floor)": _timed_ms([sys.executable, "-c", "pass"], repo, env,
                                                                       args.runs),
            "prepare-commit-msg, plain `git commit`, no terminal": _timed_ms(
                ["sh", str(hooks / "prepare-commit-msg"), str(message_file)], repo, env, args.runs),
            "prepare-commit-msg, `git commit -m`": _timed_ms(
                ["sh", str(hooks / "prepare-commit-msg"), str(message_file), "message"], repo, env, args.runs),
            "commit-msg, valid message": _timed_ms(["sh", str(hooks / "commit-msg"), str(valid)], repo, env,
                                                   args.runs),
            "whole plain `git commit` with both hooks": _timed_ms(commit, repo, commit_env, args.runs),
        }
        subprocess.run([sys.executable, "-m", "gitvoice", "hooks", "uninstall"], cwd=repo, env=env, check=True,
                       capture_output=True)
        rows["whole plain `git commit` without hooks"] = _timed_ms(commit, repo, commit_env, args.runs)
        subprocess.run([sys.executable, "-m", "gitvoice", "hooks", "install"], cwd=repo, env=env, check=True,
                       capture_output=True)
        heavy = _heavy_imports(repo, env, message_file)

    hook_ms = statistics.median(rows["prepare-commit-msg, plain `git commit`, no terminal"])
    verdict = "within" if hook_ms < TARGET_MS else "OVER"
    lines = [
        f"### Hook cost when nobody can speak ({today()})",
        "",
        f"Machine: {machine()}; Python {sys.version.split()[0]}; {args.runs} runs each, milliseconds.",
        "",
        "| what | median ms | p90 ms |",
        "|---|---:|---:|",
        *[_row(label, times) for label, times in rows.items()],
        "",
        f"prepare-commit-msg with no terminal: {hook_ms:.1f} ms median, {verdict} the {TARGET_MS:.0f} ms target. "
        "Heavy modules imported on that path: " + (", ".join(heavy) if heavy else "none (no torch, click, "
                                                                               "GitPython or numpy)") + ".",
        "",
        "Reproduce: `python benchmarks/hook_cost.py`.",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        write_section("hooks", report)
    if heavy or hook_ms >= TARGET_MS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
