"""A voice activity detector in numpy alone, for live capture whose speech is sent to a server.

silero-vad is a torch model: a command that sends its audio to `git voice serve` (voice.server) would import torch
only to find where speech starts and stops. This detector needs no model. Each 32 ms window (silero's 512 samples)
is compared with the noise floor, the quietest window of the last NOISE_WINDOW_S; speech starts on a window
START_DB above it and goes on while windows stay CONTINUE_DB above it (hysteresis), or a little above it with
the many zero crossings of a fricative ("s", "f"). Windows are judged one after another from what came before,
so fed in any blocks it gives the spans it gives on the whole recording.

The spans follow silero's rules, with the same constants (gitvoice.audio.vad): a pause of MIN_SILENCE_S ends a
span, a span shorter than MIN_SPEECH_S is a click, each span is padded by SPEECH_PAD_S, and none is longer than
MAX_CHUNK_S with its padding (a longer one is cut at its quietest window near the end). So `vad.group_spans` and
the live path's chunk planning work on them unchanged. Where the spans fall differs a little from silero's, and so
may the chunks a recording is cut into.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.audio.vad import (
    MAX_CHUNK_S,
    MIN_SILENCE_S,
    QUIET_TAIL_WINDOWS,
    SPEECH_PAD_S,
    WINDOW_SAMPLES,
    Span,
    Windows,
)

NOISE_WINDOW_S = 3.0  # the noise floor is the quietest window of this much audio before
START_DB = 12.0  # speech starts on a window this far above the noise floor...
START_LEVEL_DBFS = -50.0  # ...that is also at least this loud (a quiet room's hiss is not speech)
CONTINUE_DB = 6.0  # and goes on while windows stay this far above it...
CONTINUE_LEVEL_DBFS = -55.0  # ...and at least this loud
FRICATIVE_DB = 3.0  # or this far above it, with many zero crossings (an "s" is quiet but busy)
FRICATIVE_CROSSINGS = 0.3  # zero crossings per sample that mark a fricative
MIN_SPEECH_S = 0.25  # a shorter span is a click or a bump, not speech (silero's default)
SILENT_DBFS = -100.0  # the level of digital silence

_NOISE_WINDOWS = round(NOISE_WINDOW_S * SAMPLE_RATE_HZ / WINDOW_SAMPLES)
_MIN_SILENCE_WINDOWS = math.ceil(MIN_SILENCE_S * SAMPLE_RATE_HZ / WINDOW_SAMPLES)
_MIN_SPEECH_SAMPLES = int(MIN_SPEECH_S * SAMPLE_RATE_HZ)
_PAD_SAMPLES = int(SPEECH_PAD_S * SAMPLE_RATE_HZ)
_MAX_SPAN_WINDOWS = int((MAX_CHUNK_S - 2 * SPEECH_PAD_S) * SAMPLE_RATE_HZ) // WINDOW_SAMPLES


def window_levels(windows: Samples) -> tuple[np.ndarray, np.ndarray]:
    """Level (dBFS, RMS) and zero crossings per sample of each row of `windows` (shape: n × WINDOW_SAMPLES)."""
    power = np.mean(np.square(windows, dtype=np.float64), axis=1)
    levels = np.maximum(10.0 * np.log10(np.maximum(power, 1e-12)), SILENT_DBFS)
    signs = np.signbit(windows)
    crossings = np.count_nonzero(signs[:, 1:] != signs[:, :-1], axis=1) / WINDOW_SAMPLES
    return levels, crossings


@dataclass(frozen=True)
class _Raw:
    """A span in windows, before padding: [start, end)."""

    start: int
    end: int


def _raw_spans(speech: Sequence[bool], levels: Sequence[float]) -> list[_Raw]:
    """Spans of speech windows: ended by MIN_SILENCE_S without speech, cut when longer than the longest allowed.
    A span still open at the end reaches the last window (while recording, it may grow)."""
    spans: list[_Raw] = []
    start: int | None = None
    last = -1  # the last speech window of the open span
    for index, is_speech in enumerate(speech):
        if start is None:
            if is_speech:
                start, last = index, index
            continue
        if is_speech:
            last = index
        if index - last >= _MIN_SILENCE_WINDOWS:
            spans.append(_Raw(start, last + 1))
            start = None
        elif index + 1 - start > _MAX_SPAN_WINDOWS:
            # Too long for Whisper's window: cut at the quietest window of its last third (a breath, a short pause).
            tail = range(start + 2 * (index + 1 - start) // 3, index + 1)
            cut = min(tail, key=lambda i: (levels[i], -i))
            spans.append(_Raw(start, cut))
            start, last = cut, max(last, cut)
    if start is not None:  # as silero: a span not yet ended by a pause runs to the end of the audio
        spans.append(_Raw(start, len(speech)))
    return spans


def spans_from_windows(speech: Sequence[bool], levels: Sequence[float], length_samples: int) -> list[Span]:
    """The padded spans, in samples, of a recording of `length_samples` whose windows were judged `speech`."""
    raw = [(span.start * WINDOW_SAMPLES, min(span.end * WINDOW_SAMPLES, length_samples))
           for span in _raw_spans(speech, levels)]
    raw = [(start, end) for start, end in raw if end - start > _MIN_SPEECH_SAMPLES]
    padded: list[Span] = []
    for index, (start, end) in enumerate(raw):
        begin = max(0, start - _PAD_SAMPLES)
        finish = min(length_samples, end + _PAD_SAMPLES)
        if padded and padded[-1].end > begin:  # pads that overlap meet halfway through the gap
            middle = (raw[index - 1][1] + start) // 2
            padded[-1] = Span(padded[-1].start, middle)
            begin = middle
        padded.append(Span(begin, finish))
    return padded


class EnergyVad:
    """Feed it audio as it is captured; ask for the speech spans so far. The same methods as vad_stream.LiveVad."""

    def __init__(self) -> None:
        self._levels: list[float] = []
        self._speech: list[bool] = []
        self._last_speech = -_MIN_SILENCE_WINDOWS  # index of the last speech window
        self._windows = Windows()
        self._final: list[Span] | None = None

    @property
    def scored_samples(self) -> int:
        """How much of the recording has been judged (whole windows only)."""
        return len(self._speech) * WINDOW_SAMPLES

    @property
    def received_samples(self) -> int:
        return self.scored_samples + self._windows.waiting

    def feed(self, samples: Samples) -> None:
        if self._final is not None:
            raise ValueError("the recording is finished")
        windows = self._windows.add(samples)
        if len(windows):
            self._judge(windows)

    def _judge(self, windows: Samples) -> None:
        levels, crossings = window_levels(windows)
        for level, crossing in zip(levels.tolist(), crossings.tolist(), strict=True):
            self._levels.append(level)
            index = len(self._levels) - 1
            floor = min(self._levels[-_NOISE_WINDOWS:])
            in_speech = index - self._last_speech < _MIN_SILENCE_WINDOWS  # a span is open: the lower bar
            if in_speech:
                is_speech = level >= CONTINUE_LEVEL_DBFS and (
                    level >= floor + CONTINUE_DB or (crossing >= FRICATIVE_CROSSINGS and level >= floor + FRICATIVE_DB))
            else:
                is_speech = level >= START_LEVEL_DBFS and level >= floor + START_DB
            self._speech.append(is_speech)
            if is_speech:
                self._last_speech = index

    def spans(self) -> list[Span]:
        """Speech spans in the judged audio so far (the last one may still grow)."""
        return spans_from_windows(self._speech, self._levels, self.scored_samples)

    def final_spans(self) -> list[Span]:
        """The spans of the whole recording once it has ended (the last, partial window judged too)."""
        if self._final is None:
            received = self.received_samples
            last = self._windows.last()  # zero-padded, as silero pads it
            if last is not None:
                self._judge(last[None, :])
            self._final = spans_from_windows(self._speech, self._levels, received)
        return self._final

    def seconds_since_speech(self) -> float | None:
        """Seconds of non-speech since the last speech window, or None if no speech span was heard yet."""
        if not self.spans():
            return None
        return (len(self._speech) - 1 - self._last_speech) * WINDOW_SAMPLES / SAMPLE_RATE_HZ

    def has_speech_after(self, sample: int) -> bool:
        """Whether any window starting at or after `sample` was judged speech."""
        return self._last_speech >= -(-sample // WINDOW_SAMPLES)

    def spans_if_quiet(self, after_s: float) -> list[Span] | None:
        """The spans the audio so far will have if nothing more is said, once the speech has paused for `after_s`
        (None before, or when nothing was said): the spans with a silent tail long enough to close the last."""
        quiet = len(self._speech) - 1 - self._last_speech
        if self._last_speech < 0 or quiet * WINDOW_SAMPLES < after_s * SAMPLE_RATE_HZ:
            return None
        tail = QUIET_TAIL_WINDOWS
        return spans_from_windows(self._speech + [False] * tail, self._levels + [SILENT_DBFS] * tail,
                                  self.scored_samples + tail * WINDOW_SAMPLES)


def energy_speech_spans(samples: Samples) -> list[Span]:
    """The spans EnergyVad finds in a whole recording."""
    vad = EnergyVad()
    vad.feed(samples)
    return vad.final_spans()
