"""Play synthesized speech through sounddevice while the rest is still being synthesized; pause, skip and stop.

A producer thread turns sentences into audio one at a time and queues them; the caller's thread plays the queue in
short blocks, so the first sentence starts as soon as it exists and a request (pause, next passage, quit, Ctrl-C)
takes effect within one block.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gitvoice.audio.files import Samples, resample
from gitvoice.core.errors import AudioError, GitVoiceError

BLOCK_S = 0.05  # how much audio is written at a time: the longest a pause or skip waits
PASSAGE_GAP_S = 0.35  # silence between passages (a commit's header, each file) so the listener hears the break
QUEUE_SENTENCES = 8  # synthesized sentences waiting to be played; bounds memory, keeps the producer ahead

Synthesize = Callable[[str], tuple[Samples, int]]


@dataclass(frozen=True)
class Utterance:
    passage: int  # which passage (header, file) the sentence belongs to
    samples: Samples
    rate_hz: int


@dataclass(frozen=True)
class PlaybackResult:
    finished: bool  # False when the listener quit
    played_s: float  # seconds of audio written to the device


class PlaybackControl:
    """Requests from another thread (the keyboard): pause or resume, skip to the next passage, quit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused = False
        self._skip_before = 0  # passages with a lower index are skipped
        self._current = 0
        self._quit = threading.Event()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def quitting(self) -> bool:
        return self._quit.is_set()

    def toggle_pause(self) -> bool:
        """Pause or resume; True when now paused."""
        with self._lock:
            self._paused = not self._paused
            return self._paused

    def skip(self) -> None:
        """Stop the current passage and go on with the next one."""
        with self._lock:
            self._skip_before = max(self._skip_before, self._current + 1)
            self._paused = False

    def quit(self) -> None:
        self._quit.set()

    def is_skipped(self, passage: int) -> bool:
        return passage < self._skip_before

    def now_playing(self, passage: int) -> None:
        with self._lock:
            self._current = passage


_DONE = object()


def _produce(sentences: Sequence[tuple[int, str]], synthesize: Synthesize, control: PlaybackControl,
             out: queue.Queue[Any]) -> None:
    """Synthesize each sentence in order (skipping passages already skipped) and queue it; errors are queued too."""

    def put(item: object) -> bool:
        while not control.quitting:
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    try:
        for passage, text in sentences:
            if control.quitting:
                return
            if control.is_skipped(passage) or not text.strip():
                continue
            samples, rate_hz = synthesize(text)
            if not put(Utterance(passage, samples, rate_hz)):
                return
    except BaseException as exc:  # handed to the playing thread, which raises it there
        put(exc)
        return
    put(_DONE)


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # PortAudio's shared library is missing
        raise AudioError(f"the PortAudio library is not installed ({exc})",
                         hint="install it (apt install libportaudio2), or write a file with -o FILE.wav") from exc
    return sounddevice


def _open_stream(rate_hz: int, device: str | int | None) -> Any:
    sd = _sounddevice()
    try:
        stream = sd.OutputStream(samplerate=rate_hz, channels=1, dtype="float32", device=device)
        stream.start()
    except (sd.PortAudioError, ValueError) as exc:
        raise AudioError(f"cannot play audio: {exc}".splitlines()[0],
                         hint="check the sound output (`git voice devices`), or write a file with -o FILE.wav") from exc
    return stream


def play_sentences(sentences: Sequence[tuple[int, str]], synthesize: Synthesize, *,
                   control: PlaybackControl | None = None, device: str | int | None = None,
                   on_passage: Callable[[int], None] | None = None) -> PlaybackResult:
    """Speak `(passage, text)` pairs in order through the output device; returns when done or quit.

    Ctrl-C (KeyboardInterrupt) stops the sound at once: the device buffer is dropped, not drained.
    """
    control = control or PlaybackControl()
    pending: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_SENTENCES)
    producer = threading.Thread(target=_produce, args=(sentences, synthesize, control, pending),
                                name="gitvoice-synthesis", daemon=True)
    producer.start()
    stream: Any = None
    rate_hz = 0
    played_frames = 0
    passage = -1
    try:
        while True:
            if control.quitting:
                return PlaybackResult(False, played_frames / rate_hz if rate_hz else 0.0)
            try:
                item = pending.get(timeout=0.05)
            except queue.Empty:
                continue
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                if isinstance(item, (GitVoiceError, KeyboardInterrupt)):
                    raise item
                raise AudioError(f"speech synthesis failed: {item}".splitlines()[0]) from item
            if control.is_skipped(item.passage):
                continue
            if stream is None:
                rate_hz = item.rate_hz
                stream = _open_stream(rate_hz, device)
            samples = item.samples if item.rate_hz == rate_hz else resample(item.samples, item.rate_hz, rate_hz)
            if item.passage != passage:
                if passage >= 0:
                    samples = np.concatenate([np.zeros(int(PASSAGE_GAP_S * rate_hz), dtype=np.float32), samples])
                passage = item.passage
                control.now_playing(passage)
                if on_passage:
                    on_passage(passage)
            played_frames += _write(stream, samples, rate_hz, passage, control)
        if stream is not None:
            stream.stop()  # lets the last buffered audio play out
        return PlaybackResult(True, played_frames / rate_hz if rate_hz else 0.0)
    except BaseException:
        control.quit()
        if stream is not None:
            stream.abort()  # drop what is buffered: Ctrl-C means silence now
        raise
    finally:
        control.quit()  # the producer stops at its next sentence
        if stream is not None:
            stream.close()


def _write(stream: Any, samples: Samples, rate_hz: int, passage: int, control: PlaybackControl) -> int:
    """Write in short blocks, honouring pause, skip and quit between blocks; returns the frames written."""
    block = max(1, int(BLOCK_S * rate_hz))
    written = 0
    for start in range(0, samples.size, block):
        if control.paused:
            stream.stop()
            while control.paused and not control.quitting and not control.is_skipped(passage):
                time.sleep(0.05)
            stream.start()
        if control.quitting or control.is_skipped(passage):
            stream.abort()  # silence the rest of this sentence now, not after the buffer drains
            stream.start()
            break
        chunk = samples[start:start + block]
        stream.write(np.ascontiguousarray(chunk.reshape(-1, 1)))
        written += chunk.size
    return written


def join_utterances(utterances: Sequence[Utterance]) -> tuple[Samples, int]:
    """All utterances as one recording at the first one's rate, with the same gaps playback leaves."""
    if not utterances:
        return np.zeros(0, dtype=np.float32), 22_050
    rate_hz = utterances[0].rate_hz
    parts: list[Samples] = []
    for index, utterance in enumerate(utterances):
        if index and utterance.passage != utterances[index - 1].passage:
            parts.append(np.zeros(int(PASSAGE_GAP_S * rate_hz), dtype=np.float32))
        parts.append(utterance.samples if utterance.rate_hz == rate_hz
                     else resample(utterance.samples, utterance.rate_hz, rate_hz))
    return np.concatenate(parts).astype(np.float32), rate_hz
