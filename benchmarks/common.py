"""Helpers for benchmarks: machine description and writing a marked section of docs/benchmarks.md."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import subprocess
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def speech_dir() -> Path:
    """The shared speech clips (../shared/testdata/speech beside the repository, or above it)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "testdata" / "speech"
        if (candidate / "manifest.jsonl").is_file():
            return candidate
    raise SystemExit("shared speech clips not found")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    gpu = ""
    with contextlib.suppress(FileNotFoundError):
        gpu = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                             text=True, check=False).stdout.strip()
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}" + (
        f", GPU: {gpu}" if gpu else ", no GPU")


def today() -> str:
    return time.strftime("%Y-%m-%d")


def write_section(name: str, body: str) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` (appending it if absent)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)


def peak_rss_mib(pid: int) -> float:
    """The peak resident memory of a running process, in MiB (Linux: VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
