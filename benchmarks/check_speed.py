"""How long gitvoice's commit-message rule engines take: lint() (commitlint's rules) and cz_check() (commitizen's)
over 1,000 messages from the differential-test corpus (tests/composition/data/messages.jsonl), and the whole
`git voice check --rev-range` process over a repository of 1,000 commits with those messages. Target: well under
a second for all 1,000.

    python benchmarks/check_speed.py [--messages 1000] [--rounds 5]

Prints the best of --rounds runs; writes nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "composition" / "data" / "messages.jsonl"
TARGET_S = 1.0


def _messages(count: int) -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").split("\n")  # not splitlines(): messages hold U+2028 and friends
    corpus = [json.loads(line)["message"] for line in lines if line]
    return list(itertools.islice(itertools.cycle(corpus), count))


def _best(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    from gitvoice.composition.commitizen import cz_check
    from gitvoice.composition.commitlint import CONFIG_CONVENTIONAL, lint, lint_commit_msg_file
    import_ms = (time.perf_counter() - start) * 1000

    messages = _messages(args.messages)
    cases = {
        "lint() config-conventional": lambda: [lint(m, CONFIG_CONVENTIONAL) for m in messages],
        "lint_commit_msg_file()": lambda: [lint_commit_msg_file(m) for m in messages],
        "cz_check() conventional": lambda: [cz_check(m) for m in messages],
    }
    print(f"{machine()}\nimport of both modules: {import_ms:.1f} ms; {len(messages)} messages, best of {args.rounds}")
    failed = False
    for label, run in cases.items():
        best, median = _best(run, args.rounds)
        verdict = "ok" if best < TARGET_S else "OVER TARGET"
        failed |= best >= TARGET_S
        print(f"  {label:<28} {best * 1000:8.1f} ms total  {best / len(messages) * 1e6:7.1f} µs/message  "
              f"(median {median * 1000:.1f} ms)  {verdict}")
    whole = _rev_range_seconds(messages, args.rounds)
    failed |= whole >= TARGET_S
    print(f"  {'git voice check --rev-range':<28} {whole * 1000:8.1f} ms for {len(messages)} commits, whole process "
          f"({'ok' if whole < TARGET_S else 'OVER TARGET'})")
    sys.exit(1 if failed else 0)


def _rev_range_seconds(messages: list[str], rounds: int) -> float:
    """Best wall time of `git voice check --rev-range` over a scratch repository holding `messages` as commits
    (made with git fast-import: 1,000 `git commit` runs would take longer than the check)."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": folder}
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
        stream = []
        for index, message in enumerate(messages, 1):
            data = message.encode("utf-8", "replace")
            stream.append(b"commit refs/heads/main\nmark :%d\ncommitter T <t@example.com> %d +0000\ndata %d\n%s\n"
                          % (index, 1_700_000_000 + index, len(data), data))
        subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True, env=env)
        git_voice = Path(sys.executable).parent / "git-voice"
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run([str(git_voice), "check", "--rev-range", "main"], cwd=repo, env=env, check=False,
                           capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)


if __name__ == "__main__":
    main()
