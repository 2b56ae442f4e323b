"""Voice activity detection on audio as it arrives: silero-vad, giving exactly the spans `vad.speech_spans` finds
in the whole file, or (`LiveVad("energy")`) the torch-free detector of gitvoice.audio.vad_energy, for a command
whose speech is transcribed on a server.

silero's `get_speech_timestamps` scores 512-sample windows one after another with a recurrent model and then
turns the scores into spans. Scoring the same windows in the same order as they are captured gives the same
scores, so running silero's own score-to-span step over them gives the same spans, at any moment, for the
audio so far. Only the last, partial window (zero-padded by silero) is scored at the end (`final_spans`).
"""

from __future__ import annotations

from typing import Any, Protocol

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.audio.vad import (
    MAX_CHUNK_S,
    MIN_SILENCE_S,
    QUIET_TAIL_WINDOWS,
    SPEECH_PAD_S,
    WINDOW_SAMPLES,
    Span,
    Windows,
    load_silero_keeping_threads,
    load_silero_utils,
)

SPEECH_THRESHOLD = 0.5  # silero's default: a window scoring this much is speech
QUIET_THRESHOLD = SPEECH_THRESHOLD - 0.15  # silero's: below this, a window after speech starts a pause

# The arguments gitvoice.audio.vad.speech_spans passes; tests/test_streaming.py checks both agree.
SPAN_PARAMETERS: dict[str, Any] = {
    "threshold": SPEECH_THRESHOLD,
    "sampling_rate": SAMPLE_RATE_HZ,
    "max_speech_duration_s": MAX_CHUNK_S - 2 * SPEECH_PAD_S,
    "min_silence_duration_ms": int(MIN_SILENCE_S * 1000),
    "speech_pad_ms": int(SPEECH_PAD_S * 1000),
}


class _ReplayedScores:
    """Stands in for the model in silero versions without get_speech_timestamps_from_probs (< 6)."""

    def __init__(self, scores: list[float]) -> None:
        self._scores = iter(scores)

    def reset_states(self) -> None:
        pass

    def __call__(self, window: Any, sampling_rate: int) -> Any:
        import torch

        return torch.tensor(next(self._scores))


def spans_from_scores(scores: list[float], length_samples: int) -> list[Span]:
    """silero's spans for a recording of `length_samples` whose windows scored `scores`."""
    silero = load_silero_utils()

    if length_samples < WINDOW_SAMPLES:  # as speech_spans: too short to hold speech
        return []
    from_scores = getattr(silero, "get_speech_timestamps_from_probs", None)
    if from_scores is not None:
        stamps = from_scores(list(scores), audio_length_samples=length_samples, **SPAN_PARAMETERS)
    else:
        import torch

        stamps = silero.get_speech_timestamps(torch.zeros(length_samples), _ReplayedScores(scores),
                                              **SPAN_PARAMETERS)
    return [Span(int(s["start"]), int(s["end"])) for s in stamps]


class _StreamingVad(Protocol):
    @property
    def scored_samples(self) -> int: ...
    @property
    def received_samples(self) -> int: ...
    def feed(self, samples: Samples) -> None: ...
    def spans(self) -> list[Span]: ...
    def final_spans(self) -> list[Span]: ...
    def seconds_since_speech(self) -> float | None: ...
    def has_speech_after(self, sample: int) -> bool: ...
    def spans_if_quiet(self, after_s: float) -> list[Span] | None: ...


SILERO = "silero"  # the recurrent model silero-vad (torch): what the whole-file path uses too
ENERGY = "energy"  # numpy only: for a command that sends its speech to a server, so it never imports torch
VAD_KINDS = (SILERO, ENERGY)


class LiveVad:
    """Feed it audio as it is captured; ask for the speech spans so far. Use from one thread at a time.

    `kind` is SILERO (the spans of `vad.speech_spans`) or ENERGY (gitvoice.audio.vad_energy, without torch)."""

    def __init__(self, kind: str = SILERO) -> None:
        if kind not in VAD_KINDS:
            raise ValueError(f"unknown voice activity detector {kind!r}")
        self.kind = kind
        if kind == ENERGY:
            from gitvoice.audio.vad_energy import EnergyVad

            self._vad: _StreamingVad = EnergyVad()
        else:
            self._vad = SileroVad()

    @property
    def scored_samples(self) -> int:
        """How much of the recording has been scored (whole windows only)."""
        return self._vad.scored_samples

    @property
    def received_samples(self) -> int:
        return self._vad.received_samples

    def feed(self, samples: Samples) -> None:
        self._vad.feed(samples)

    def spans(self) -> list[Span]:
        """Speech spans in the scored audio so far (the last one may still grow)."""
        return self._vad.spans()

    def final_spans(self) -> list[Span]:
        """The spans of the whole recording once it has ended (silero: equal to vad.speech_spans(all samples))."""
        return self._vad.final_spans()

    def seconds_since_speech(self) -> float | None:
        """Seconds of non-speech since the last speech window, or None if no speech span was heard yet."""
        return self._vad.seconds_since_speech()

    def has_speech_after(self, sample: int) -> bool:
        """Whether any window starting at or after `sample` scored as speech."""
        return self._vad.has_speech_after(sample)

    def spans_if_quiet(self, after_s: float) -> list[Span] | None:
        """The spans the audio so far will have if the speaker says nothing more, once the speech has paused for
        `after_s` (None before, or when nothing was said). A span closes only after MIN_SILENCE_S of quiet; this
        tells where it will close that much earlier, so its chunk can be transcribed on the guess."""
        return self._vad.spans_if_quiet(after_s)


class SileroVad:
    """silero-vad fed as the audio arrives (see the module's doc)."""

    def __init__(self) -> None:
        # Its own instance: the recurrent state is this recording's. (Loading it imports torch, collector paused.)
        self._model = load_silero_keeping_threads()
        import torch

        self._torch = torch
        self._model.reset_states()
        self._scores: list[float] = []
        self._windows = Windows()
        self._final: list[Span] | None = None

    @property
    def scored_samples(self) -> int:
        """How much of the recording has been scored (whole windows only)."""
        return len(self._scores) * WINDOW_SAMPLES

    @property
    def received_samples(self) -> int:
        return self.scored_samples + self._windows.waiting

    def feed(self, samples: Samples) -> None:
        if self._final is not None:
            raise ValueError("the recording is finished")
        self._scores += self._score(self._windows.add(samples))

    def _score(self, windows: Samples) -> list[float]:
        with self._torch.inference_mode():
            return [float(self._model(self._torch.from_numpy(window), SAMPLE_RATE_HZ).item()) for window in windows]

    def spans(self) -> list[Span]:
        """Speech spans in the scored audio so far (the last one may still grow)."""
        return spans_from_scores(self._scores, self.scored_samples)

    def final_spans(self) -> list[Span]:
        """The spans of the whole recording once it has ended: equal to vad.speech_spans(all samples)."""
        if self._final is None:
            received = self.received_samples
            last = self._windows.last()
            scores = self._scores + (self._score(last[None, :]) if last is not None else [])
            self._final = spans_from_scores(scores, received)
        return self._final

    def seconds_since_speech(self) -> float | None:
        """Seconds of non-speech since the last speech window, or None if no speech span was heard yet."""
        if not self.spans():
            return None
        last = max(i for i, score in enumerate(self._scores) if score >= SPEECH_THRESHOLD)
        return (len(self._scores) - 1 - last) * WINDOW_SAMPLES / SAMPLE_RATE_HZ

    def has_speech_after(self, sample: int) -> bool:
        """Whether any window starting at or after `sample` scored as speech."""
        first = -(-sample // WINDOW_SAMPLES)
        return any(score >= SPEECH_THRESHOLD for score in self._scores[first:])

    def spans_if_quiet(self, after_s: float) -> list[Span] | None:
        """See LiveVad.spans_if_quiet: silero's spans over the scores so far and a silent tail."""
        quiet = 0
        for score in reversed(self._scores):
            if score >= QUIET_THRESHOLD:
                break
            quiet += 1
        if quiet == len(self._scores) or quiet * WINDOW_SAMPLES < after_s * SAMPLE_RATE_HZ:
            return None
        tail = [0.0] * QUIET_TAIL_WINDOWS
        return spans_from_scores(self._scores + tail, self.scored_samples + len(tail) * WINDOW_SAMPLES)
