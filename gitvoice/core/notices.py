"""What the entry points (the CLI, the hook entry) show on stderr besides their own output.

Notices from below the CLI (a GPU that fell back to the CPU, a model cache rebuilt) go to the `gitvoice` logger;
the entry points show them on stderr as `gitvoice: ...`, once each. Live lines (the level meter and the words heard
while recording, transcription progress) are redrawn in place, only where stderr is a terminal, and leave nothing
behind when cleared; a notice that comes while they are shown is written above them, never into them.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from gitvoice.core.status_lines import fit_end, one_line, progress_line

LOGGER_NAME = "gitvoice"
DEFAULT_COLUMNS = 80  # when the terminal does not say how wide it is
PROGRESS_TICK_S = 1.0  # redraw progress this often, so its seconds count on during a long chunk

_drawing = threading.RLock()  # live lines and notices come from several threads (the model loads in one)
_shown: list[LiveLines] = []  # live lines on screen now, which a notice moves out of its way


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (a test runner or a hook may have replaced it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with _drawing:
                shown = list(_shown)
                for lines in shown:
                    lines.clear()
                sys.stderr.write(f"gitvoice: {record.getMessage()}\n")
                sys.stderr.flush()
                for lines in shown:
                    lines.redraw()
        except (OSError, ValueError):  # a closed or broken stderr must not fail the command
            pass


def show_notices_on_stderr() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    logger.disabled = False  # a library's logging.config.dictConfig (commitizen's, on import) disables it
    if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
        logger.addHandler(_StderrHandler(logging.INFO))
        logger.setLevel(logging.INFO)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


class LiveLines:
    """A few lines at the cursor, redrawn in place on a terminal and erased by `clear()`; on anything else (a pipe,
    a file, CI) every call does nothing. Lines are cut to the terminal's width so they never wrap: a wrapped line
    could not be erased."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream  # None: sys.stderr as it is at each call
        self._lines: list[str] = []  # what is on screen (cut to the width it had)
        self._wanted: list[str] = []  # what was asked for, to draw again after a notice

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self._stream is None else self._stream

    @property
    def is_terminal(self) -> bool:
        return is_terminal(self.stream)

    @property
    def width(self) -> int:
        """Columns a line may take: one less than the terminal's, so no terminal wraps at the last column."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        return max((columns or DEFAULT_COLUMNS) - 1, 1)

    def draw(self, lines: list[str]) -> None:
        """Replace the lines on screen with `lines` (none: the same as clear())."""
        if not self.is_terminal:
            return
        width = self.width
        fitted = [fit_end(one_line(line), width) for line in lines]
        with _drawing:
            self._wanted = list(lines)
            self._write(self._erase() + "\n".join(fitted))
            self._lines = fitted
            if fitted and self not in _shown:
                _shown.append(self)
            elif not fitted and self in _shown:
                _shown.remove(self)

    def redraw(self) -> None:
        self.draw(self._wanted)

    def clear(self) -> None:
        """Erase the lines (the cursor ends where the first one began); safe to call when none are shown."""
        with _drawing:
            if self._lines:
                self._write(self._erase())
                self._lines = []
            if self in _shown:
                _shown.remove(self)

    def _erase(self) -> str:
        """Back to the start of the first line shown, and erase from there to the end of the screen."""
        if not self._lines:
            return "\r\033[K"
        up = len(self._lines) - 1
        return "\r" + (f"\033[{up}A" if up else "") + "\033[J"

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a terminal that went away must not fail the command
            pass


class ProgressLine:
    """Transcription progress for a terminal, as the engine reports it (`on_progress(done, total)`): one line,
    `transcribing: chunk 3/7, 12 s`, its seconds counting on between chunks, erased once all chunks are done."""

    def __init__(self, lines: LiveLines, name: str | None = None, clock: Callable[[], float] = time.monotonic,
                 tick_s: float = PROGRESS_TICK_S) -> None:
        self._lines = lines
        self._name = name
        self._clock = clock
        self._tick_s = tick_s
        self._started: float | None = None
        self._state = (0, 0)
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.close()
            return
        if self._started is None:
            self._started = self._clock()
        self._state = (done, total)
        self._draw()
        if self._ticker is None and self._tick_s > 0:
            self._stop.clear()
            self._ticker = threading.Thread(target=self._tick, name="gitvoice-progress", daemon=True)
            self._ticker.start()

    def line(self) -> str:
        done, total = self._state
        started = self._clock() if self._started is None else self._started
        return progress_line(done, total, self._clock() - started, self._name)

    def _draw(self) -> None:
        self._lines.draw([self.line()])

    def _tick(self) -> None:
        while not self._stop.wait(self._tick_s):
            with _drawing:
                if not self._stop.is_set():
                    self._draw()

    def close(self) -> None:
        """Stop counting and erase the line; a later call starts again from zero seconds."""
        with _drawing:  # taken first: the ticker's next redraw then sees the stop
            self._stop.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join()
        self._ticker = None
        self._started = None
        self._lines.clear()


@contextmanager
def transcription_progress(name: str | None = None,
                           stream: TextIO | None = None) -> Iterator[Callable[[int, int], None] | None]:
    """An `on_progress` for transcription that shows a ProgressLine on stderr (or `stream`) when it is a terminal,
    and None elsewhere (a pipe, CI), so that nothing extra is written there; the line is erased on the way out,
    whatever the way."""
    lines = LiveLines(stream)
    if not lines.is_terminal:
        yield None
        return
    progress = ProgressLine(lines, name)
    try:
        yield progress
    finally:
        progress.close()
