"""Lines redrawn in place while a command works: their text (pure), and what a real pseudo-terminal is left with."""

from __future__ import annotations

import io
import logging
import os
import pty
import time
from collections.abc import Iterator
from typing import TextIO

import pytest
from terminal_screen import screen

from gitvoice.audio.capture import heard_line
from gitvoice.core.notices import LiveLines, ProgressLine, show_notices_on_stderr, transcription_progress
from gitvoice.core.status_lines import columns, fit_end, fit_start, one_line, progress_line


@pytest.mark.parametrize(("done", "total", "elapsed_s", "name", "expected"), [
    (0, 7, 0.0, None, "transcribing: chunk 1/7, 0 s"),
    (2, 7, 12.9, None, "transcribing: chunk 3/7, 12 s"),
    (6, 7, 61.0, None, "transcribing: chunk 7/7, 61 s"),
    (7, 7, 62.0, None, "transcribing: chunk 7/7, 62 s"),  # never past the last chunk
    (0, 1, -0.5, "take 2.wav", "transcribing take 2.wav: chunk 1/1, 0 s"),  # a clock that went back: 0
])
def test_progress_says_which_chunk_of_how_many_and_the_seconds(done: int, total: int, elapsed_s: float,
                                                              name: str | None, expected: str) -> None:
    assert progress_line(done, total, elapsed_s, name) == expected


@pytest.mark.parametrize(("text", "width", "end", "start"), [
    ("fix the parser", 20, "fix the parser", "fix the parser"),
    ("fix the parser", 14, "fix the parser", "fix the parser"),
    ("fix the parser", 10, "fix the p…", "…he parser"),
    ("fix the parser", 1, "…", "…"),
    ("fix the parser", 0, "", ""),
    ("修复解析器的崩溃", 9, "修复解析…", "…器的崩溃"),  # two columns a character
    ("café au lait", 8, "café au…", "…au lait"),  # é composed of e and a combining accent: one column
])
def test_lines_are_cut_to_the_columns_they_may_take(text: str, width: int, end: str, start: str) -> None:
    assert fit_end(text, width) == end and columns(fit_end(text, width)) <= width
    assert fit_start(text, width) == start and columns(fit_start(text, width)) <= width


def test_control_characters_never_reach_a_status_line() -> None:
    assert one_line("one\ntwo\tthree\x1b[2J") == "one two three [2J"


def test_the_words_heard_show_their_newest_end_under_the_meter() -> None:
    assert heard_line("", 40) is None and heard_line("  \n ", 40) is None
    said = "Fix the crash in parse config\nwhen the file is empty"
    assert heard_line(said, 80) == "  Fix the crash in parse config when the file is empty"
    line = heard_line(said, 30)
    assert line is not None and line.startswith("  …") and line.endswith("when the file is empty")
    assert columns(line) <= 30


class _Terminal:
    """A real pseudo-terminal `width` columns wide: `stream` writes to it; `read()` returns what arrived since the
    last read, `screen()` what all of it leaves on the screen."""

    def __init__(self, width: int = 40) -> None:
        import fcntl
        import struct
        import termios

        self.leader, self.follower = pty.openpty()
        fcntl.ioctl(self.follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
        self.stream: TextIO = open(self.follower, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        self.width = width
        self.output = ""

    def read(self) -> str:
        import select

        self.stream.flush()
        data = bytearray()
        while select.select([self.leader], [], [], 0.05)[0]:
            data.extend(os.read(self.leader, 65536))
        self.output += data.decode()
        return data.decode()

    def screen(self) -> list[str]:
        self.read()
        return screen(self.output, self.width)

    def close(self) -> None:
        self.stream.close()
        os.close(self.follower)
        os.close(self.leader)


@pytest.fixture
def terminal() -> Iterator[_Terminal]:
    opened = _Terminal()
    yield opened
    opened.close()


def test_live_lines_redraw_in_place_never_wrap_and_leave_nothing(terminal: _Terminal) -> None:
    lines = LiveLines(terminal.stream)
    assert lines.is_terminal and lines.width == terminal.width - 1
    terminal.stream.write("before\n")
    lines.draw(["● 0:01 [███·····] speak now, press Enter to stop", "  fix the"])
    lines.draw(["● 0:02 [█████···] speak now, press Enter to stop", "  fix the parser"])
    assert terminal.screen() == ["before", "● 0:02 [█████···] speak now, press Ent…", "  fix the parser"]
    lines.draw(["transcribing: chunk 1/3, 0 s"])  # fewer lines: the second is erased too
    assert terminal.screen() == ["before", "transcribing: chunk 1/3, 0 s"]
    lines.clear()
    lines.clear()  # twice is harmless
    terminal.stream.write("after\n")
    assert terminal.screen() == ["before", "after"]


def test_a_notice_is_written_above_the_live_lines_not_into_them(terminal: _Terminal,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", terminal.stream)
    show_notices_on_stderr()
    lines = LiveLines()  # sys.stderr, as the entry points have it
    lines.draw(["● 0:03 [███·····] speak now", "  and so my fellow"])
    logging.getLogger("gitvoice").warning("no GPU; on the CPU")
    lines.draw(["● 0:04 [███·····] speak now", "  and so my fellow Americans"])
    lines.clear()
    assert terminal.screen() == ["gitvoice: no GPU; on the CPU"]


def test_nothing_is_written_where_stderr_is_not_a_terminal() -> None:
    pipe = io.StringIO()
    lines = LiveLines(pipe)
    lines.draw(["● 0:01 [█·······] speak now"])
    lines.clear()
    with transcription_progress(stream=pipe) as progress:
        assert progress is None  # the engine is not even asked to report
    assert pipe.getvalue() == ""


def test_progress_counts_chunks_and_seconds_and_is_erased_when_done(terminal: _Terminal) -> None:
    now = [100.0]
    progress = ProgressLine(LiveLines(terminal.stream), clock=lambda: now[0], tick_s=0)
    progress(0, 3)
    now[0] += 4.2
    progress(1, 3)
    assert terminal.screen() == ["transcribing: chunk 2/3, 4 s"]
    now[0] += 8.0
    progress(2, 3)
    assert terminal.screen() == ["transcribing: chunk 3/3, 12 s"]
    progress(3, 3)
    assert terminal.screen() == []


def test_progress_seconds_count_on_while_a_long_chunk_is_transcribed(terminal: _Terminal) -> None:
    with transcription_progress(stream=terminal.stream) as progress:
        assert progress is not None
        progress(0, 2)
        time.sleep(2.3)  # one long chunk: no call from the engine, yet the seconds move
        output = terminal.read()
    assert "transcribing: chunk 1/2, 1 s" in output and "transcribing: chunk 1/2, 2 s" in output
    assert terminal.screen() == []  # the way out erased it


def test_progress_is_erased_when_transcription_fails(terminal: _Terminal) -> None:
    with pytest.raises(KeyboardInterrupt), transcription_progress(stream=terminal.stream) as progress:
        assert progress is not None
        progress(1, 4)
        raise KeyboardInterrupt
    assert terminal.screen() == []
