"""Where the speech is: silero-vad spans, grouped into Whisper-sized chunks split at pauses."""

from __future__ import annotations

import math
import sys
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.core.imports import long_lived_imports

MAX_CHUNK_S = 30.0  # Whisper sees at most 30 s at a time
MIN_SILENCE_S = 0.5  # a pause this long ends a speech span
SPEECH_PAD_S = 0.2  # keep a little audio around each span so word edges are not clipped
JOIN_GAP_S = 1.0  # spans closer than this are transcribed together (context helps Whisper)

_local = threading.local()  # silero's JIT model keeps recurrent state: one per thread


WINDOW_SAMPLES = 512  # the VADs judge audio 32 ms at a time (silero's window at 16 kHz)
# Enough silence after the audio so far to close a span and pad it: what both live VADs add to answer "where do
# the spans end if nothing more is said" (spans_if_quiet).
QUIET_TAIL_WINDOWS = math.ceil((MIN_SILENCE_S + SPEECH_PAD_S) * SAMPLE_RATE_HZ / WINDOW_SAMPLES) + 1


class Windows:
    """Audio as it is captured, handed on in whole windows; the samples that do not fill one wait for more."""

    def __init__(self) -> None:
        self._tail: Samples = np.zeros(0, dtype=np.float32)

    @property
    def waiting(self) -> int:
        """Samples received but not yet handed on."""
        return int(self._tail.size)

    def add(self, samples: Samples) -> Samples:
        """The whole windows `samples` completes, shape (n, WINDOW_SAMPLES), float32; n may be 0."""
        audio = np.concatenate([self._tail, samples]) if self._tail.size else np.asarray(samples)
        whole = audio.size - audio.size % WINDOW_SAMPLES
        self._tail = np.array(audio[whole:], dtype=np.float32)
        return np.ascontiguousarray(audio[:whole], dtype=np.float32).reshape(-1, WINDOW_SAMPLES)

    def last(self) -> Samples | None:
        """The partial window left when the recording ends, zero-padded as silero pads it (None: there is none);
        handed on once."""
        if not self._tail.size:
            return None
        window = np.zeros(WINDOW_SAMPLES, dtype=np.float32)
        window[: self._tail.size] = self._tail
        self._tail = np.zeros(0, dtype=np.float32)
        return window


@dataclass(frozen=True)
class Span:
    """A stretch of the recording, in samples at SAMPLE_RATE_HZ."""

    start: int
    end: int

    @property
    def start_s(self) -> float:
        return self.start / SAMPLE_RATE_HZ

    @property
    def end_s(self) -> float:
        return self.end / SAMPLE_RATE_HZ

    @property
    def duration_s(self) -> float:
        return (self.end - self.start) / SAMPLE_RATE_HZ


def silero() -> Any:
    """The silero_vad module. Its first import calls torch.set_num_threads(1) for the whole process, which
    left Whisper on one core (about 35% slower on two); the thread count is put back. torch and silero are
    imported with the garbage collector paused (gitvoice.core.imports)."""
    if "silero_vad" in sys.modules:
        return sys.modules["silero_vad"]
    with long_lived_imports():
        import torch

        threads = torch.get_num_threads()
        import silero_vad

        torch.set_num_threads(threads)
    return silero_vad


def load_silero_utils() -> Any:
    """silero_vad.utils_vad (span logic), imported without changing torch's thread count."""
    silero()
    import silero_vad.utils_vad

    return silero_vad.utils_vad


def load_silero_keeping_threads() -> Any:
    """A fresh silero-vad model (its weights ship inside the package); torch's thread count untouched."""
    return silero().load_silero_vad()


def _model() -> Any:
    model = getattr(_local, "model", None)
    if model is None:
        model = _local.model = load_silero_keeping_threads()
    return model


def speech_spans(samples: Samples) -> list[Span]:
    """Spans of speech, none longer than MAX_CHUNK_S (silero cuts long ones at their longest pause)."""
    get_speech_timestamps = silero().get_speech_timestamps
    import torch

    if samples.size < 512:
        return []
    # silero's read_audio is broken with current torch; it takes an array just as well.
    with torch.inference_mode():
        stamps = get_speech_timestamps(
            torch.from_numpy(np.ascontiguousarray(samples)),
            _model(),
            sampling_rate=SAMPLE_RATE_HZ,
            max_speech_duration_s=MAX_CHUNK_S - 2 * SPEECH_PAD_S,
            min_silence_duration_ms=int(MIN_SILENCE_S * 1000),
            speech_pad_ms=int(SPEECH_PAD_S * 1000),
        )
    return [Span(int(s["start"]), int(s["end"])) for s in stamps]


def group_spans(spans: list[Span], max_chunk_s: float = MAX_CHUNK_S, join_gap_s: float = JOIN_GAP_S) -> list[Span]:
    """Join neighbouring spans into chunks of at most `max_chunk_s`, so chunks only ever break at pauses."""
    chunks: list[Span] = []
    for span in spans:
        if chunks:
            last = chunks[-1]
            gap_s = (span.start - last.end) / SAMPLE_RATE_HZ
            if gap_s < join_gap_s and (span.end - last.start) / SAMPLE_RATE_HZ <= max_chunk_s:
                chunks[-1] = Span(last.start, span.end)
                continue
        chunks.append(span)
    return chunks


def speech_chunks(samples: Samples) -> list[Span]:
    """Whisper-sized chunks of speech with leading and trailing silence trimmed; [] if no speech."""
    return group_spans(speech_spans(samples))
