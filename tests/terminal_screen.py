"""A command as a person at a terminal runs it: on a real pseudo-terminal (`pty`), of a known size, with what it
wrote read back raw and as the screen it leaves (a small VT100 model: enough for the lines gitvoice redraws in
place, to prove they are erased)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
COLUMNS = 80
ROWS = 24
_ESCAPE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
PROGRESS = re.compile(r"transcribing(?: [^:]+)?: chunk (\d+)/(\d+), (\d+) s")


@dataclass(frozen=True)
class TerminalRun:
    exit_code: int
    output: str  # everything the terminal received (stdout, and stderr where it was the terminal too)
    stderr: str | None  # stderr when it was a pipe instead, else None
    columns: int
    modes_before: list[object]  # the terminal's settings (termios) before the command ran
    modes_after: list[object]  # and after it ended: a command that changed them must have put them back

    @property
    def screen(self) -> list[str]:
        return screen(self.output, self.columns)


def screen(output: str, columns: int = COLUMNS) -> list[str]:
    """The rows `output` leaves on a terminal `columns` wide (trailing blanks and empty last rows dropped).

    Understood: printable text (wrapping at the last column), CR, LF, backspace, and CSI K (erase in line),
    J (erase below), A/B (cursor up/down), C/D (right/left) and G (column); any other escape is skipped."""
    rows: list[list[str]] = [[]]
    row = col = 0

    def line() -> list[str]:
        while len(rows) <= row:
            rows.append([])
        return rows[row]

    position = 0
    while position < len(output):
        char = output[position]
        escape = _ESCAPE.match(output, position) if char == "\x1b" else None
        if escape:
            position = escape.end()
            count = int(escape.group(1).split(";")[0] or 1) if escape.group(1)[:1] != "?" else 1
            final = escape.group(2)
            if final == "K":
                mode = escape.group(1) or "0"
                current = line()
                if mode == "0":
                    del current[col:]
                elif mode == "2":
                    current.clear()
                else:
                    current[:col] = [" "] * min(col, len(current))
            elif final == "J":
                del line()[col:]
                del rows[row + 1 :]
            elif final == "A":
                row = max(row - count, 0)
            elif final == "B":
                row += count
            elif final == "C":
                col = min(col + count, columns - 1)
            elif final == "D":
                col = max(col - count, 0)
            elif final == "G":
                col = min(max(count - 1, 0), columns - 1)
            continue
        position += 1
        if char == "\r":
            col = 0
        elif char == "\n":
            row += 1
        elif char == "\b":
            col = max(col - 1, 0)
        elif char == "\x1b" or ord(char) < 32:
            continue
        else:
            if col >= columns:  # wrap
                row, col = row + 1, 0
            current = line()
            current.extend(" " * (col - len(current)))
            if col < len(current):
                current[col] = char
            else:
                current.append(char)
            col += 1
    text = ["".join(r).rstrip() for r in rows]
    while text and not text[-1]:
        text.pop()
    return text


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def run_in_terminal(args: list[str], cwd: Path, *, env: dict[str, str] | None = None, columns: int = COLUMNS,
                    stderr_to_pipe: bool = False, timeout_s: float = 300.0,
                    on_output: Callable[[str, int], None] | None = None) -> TerminalRun:
    """Run `args` with stdin, stdout and stderr (unless `stderr_to_pipe`) on a new pseudo-terminal `columns`
    wide, in its own session. `on_output(output_so_far, terminal_fd)` is called as output arrives, to type
    into the terminal (os.write on the fd) once the command shows something."""
    leader, follower = pty.openpty()
    _set_size(follower, columns, ROWS)
    full_env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", "TERM": "xterm",
                "COLUMNS": str(columns), **(env or {})}
    modes_before = termios.tcgetattr(follower)
    process = subprocess.Popen(args, cwd=cwd, env=full_env, stdin=follower, stdout=follower,
                               stderr=subprocess.PIPE if stderr_to_pipe else follower, start_new_session=True)
    received = bytearray()
    error = bytearray()
    deadline = time.monotonic() + timeout_s
    streams = [leader] + ([process.stderr.fileno()] if process.stderr is not None else [])
    try:
        # The follower stays open here (to read its settings after), so the end is the process's exit followed
        # by a quiet terminal, not end-of-file.
        while streams:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"{args} did not finish in {timeout_s} s; it wrote:\n"
                                     f"{received.decode(errors='replace')}")
            ready, _, _ = select.select(streams, [], [], 0.1)
            if not ready and process.poll() is not None:
                break
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: every process holding the terminal has closed it
                    data = b""
                if not data:
                    streams.remove(fd)
                elif fd == leader:
                    received.extend(data)
                    if on_output is not None:
                        on_output(received.decode(errors="replace"), leader)
                else:
                    error.extend(data)
        code = process.wait(timeout=max(deadline - time.monotonic(), 1))
        modes_after = termios.tcgetattr(follower)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
        os.close(leader)
        os.close(follower)
    return TerminalRun(code, received.decode(errors="replace"),
                       error.decode(errors="replace") if stderr_to_pipe else None, columns, modes_before, modes_after)


def assert_progress_shown_then_erased(run: TerminalRun, minimum_chunks: int = 3) -> None:
    """Transcription progress announced every chunk, in order, up to the last; none of it is left on the screen."""
    seen = [(int(current), int(total)) for current, total, _s in PROGRESS.findall(run.output)]
    assert seen, run.output
    total = seen[0][1]
    assert total >= minimum_chunks and all(t == total for _c, t in seen), seen
    assert [c for c, _t in seen] == sorted(c for c, _t in seen)  # counts up, never back
    assert seen[0][0] == 1 and seen[-1][0] == total, seen
    assert not PROGRESS.search("".join(run.screen)) and ": chunk " not in "".join(run.screen), run.screen
