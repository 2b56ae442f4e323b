"""How long identifier restoration takes on a long spoken explanation with a full vocabulary.

    .venv/bin/python benchmarks/restore_speed.py [--identifiers 200] [--words 60] [--repeat 200]

Restoration runs once per transcript (and once per segment for `git voice transcribe`), after Whisper: it
should stay far below what a person notices (20 ms). The vocabulary is prepared once per list of identifiers,
so the first call is reported apart from the warm ones.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gitvoice.composition.restore import restore_identifiers

_PARTS = (
    "fetch", "user", "order", "invoice", "payment", "client", "request", "response", "handle", "parse", "load",
    "save", "settings", "config", "cache", "token", "session", "retry", "timeout", "buffer", "size", "count",
    "page", "item", "total", "email", "valid", "webhook", "event", "bus", "queue", "worker", "pool", "batch",
    "writer", "reader", "stream", "header", "body", "json", "http", "api", "db", "url", "path", "file",
)
_TRANSCRIPT = (
    "Okay so this change renames get user by I.D. to fetch user and moves it to A P I slash users dot pie. "
    "It also raises Mac free tries to five, calls this valid email before saving, guards handle web hook "
    "against a none response, logs the request I.D., and adds a dash dash dry run flag to the C L I. "
    "We require python three point eleven now, which fixes issue forty two, and O S dot environ is read once."
)


def vocabulary(count: int, seed: int = 7) -> list[str]:
    """`count` identifiers in every style the diff gives: snake_case, camelCase, SCREAMING_CASE, paths."""
    rng = random.Random(seed)
    names = ["getUserById", "fetch_user", "api/users.py", "MAX_RETRIES", "is_valid_email", "handle_webhook",
             "request_id", "os.environ", "None"]
    styles = (lambda p: "_".join(p), lambda p: p[0] + "".join(w.title() for w in p[1:]),
              lambda p: "_".join(p).upper(), lambda p: "/".join(p[:-1]) + f"/{p[-1]}.py")
    while len(names) < count:
        parts = rng.sample(_PARTS, rng.randint(2, 3))
        name = styles[len(names) % len(styles)](parts)
        if name not in names:
            names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identifiers", type=int, default=200)
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    words = _TRANSCRIPT.split()
    text = " ".join((words * (args.words // len(words) + 1))[: args.words])
    identifiers = vocabulary(args.identifiers)
    start = time.perf_counter()
    restored = restore_identifiers(text, identifiers)
    cold = time.perf_counter() - start
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        restore_identifiers(text, identifiers)
        timings.append(time.perf_counter() - start)
    print(f"{args.words} words, {len(identifiers)} identifiers")
    print(f"first call (prepares the vocabulary): {cold * 1000:.2f} ms")
    print(f"warm: min {min(timings) * 1000:.2f} ms, median {statistics.median(timings) * 1000:.2f} ms, "
          f"max {max(timings) * 1000:.2f} ms (max: other processes on the machine)")
    print(f"restored: {restored}")


if __name__ == "__main__":
    main()
