"""How long the check of what was said against what changed takes on a 1,000-line diff.

    .venv/bin/python benchmarks/consistency.py [--lines 1000] [--files 40] [--repeat 50]

The check runs once per `git voice commit`, before the editor opens: it must stay far below what a person
notices (the issue's budget is 50 ms for 1,000 changed lines). What is timed is the pure check
(gitvoice.composition.consistency): claims, names said and not in the diff, unmentioned files and symbols, the
nearest diff name for a misheard one. The repository lookup (`git grep` per name not in the diff, at most
MAX_LOOKUPS) is git's and is not part of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.composition.consistency import check_consistency, names_to_look_up

TRANSCRIPT = (
    "Add a retry with exponential backoff to the HTTP client send method in handler_3_0, and add unit tests for "
    "the timeout path. Also update the docs, add type hints to module_7, and rename hndler_4_5 to fetch_user. "
    "This fixes issue 42."
)


def synthetic_diff(lines: int, files: int) -> DiffContext:
    """`files` Python files whose hunks add and remove `lines` lines in all: definitions, calls, assignments."""
    per_file = max(1, lines // files)
    changed: list[ChangedFile] = []
    parts: list[str] = []
    for index in range(files):
        path = f"pkg/sub_{index % 5}/module_{index}.py"
        changed.append(ChangedFile(path, "M"))
        body = []
        for line in range(per_file):
            sign = "-" if line % 4 == 3 else "+"
            if line % 10 == 0:
                body.append(f"{sign}def handler_{index}_{line}(request, retries=3):")
            elif line % 10 == 5:
                body.append(f"{sign}class Worker{index}x{line}:")
            else:
                body.append(f"{sign}    value_{line} = compute_{line % 7}(request.payload, retries)  # step {line}")
        parts.append(f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
                     f"@@ -1,{per_file} +1,{per_file} @@ class Module{index}:\n" + "\n".join(body) + "\n")
    return DiffContext(tuple(changed), "".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    context = synthetic_diff(args.lines, args.files)
    changed = sum(1 for line in context.diff_text.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    start = time.perf_counter()
    terms = names_to_look_up(TRANSCRIPT, context)
    findings = check_consistency(TRANSCRIPT, context, frozenset())
    first_ms = (time.perf_counter() - start) * 1000
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        names_to_look_up(TRANSCRIPT, context)
        check_consistency(TRANSCRIPT, context, frozenset())
        timings.append((time.perf_counter() - start) * 1000)
    print(f"diff: {changed} changed lines in {len(context.files)} files; transcript: {len(TRANSCRIPT.split())} words")
    print(f"names to look up in the repository: {', '.join(terms) or 'none'}")
    print(f"findings: {len(findings)}")
    for finding in findings:
        print(f"  - {finding.message}")
    print(f"first call: {first_ms:.1f} ms (regular expressions compiled on import)")
    print(f"warm: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms over {args.repeat} runs "
          f"(budget 50 ms)")
    return 0 if max(timings) < 50 else 1


if __name__ == "__main__":
    raise SystemExit(main())
