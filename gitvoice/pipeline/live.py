"""Record and transcribe at once, so the transcript is ready when the speaker stops.

While the user speaks, a worker thread loads the model and then transcribes each chunk of speech that is
finished (followed by enough silence that no later speech can join it, by the rule of
gitvoice.audio.vad.group_spans), and, when the worker is idle, the last chunk as soon as the speech pauses, on
the guess that the speaker has finished. When the recording stops, the chunks of the whole recording are computed
exactly as `WhisperEngine.transcribe` would compute them from the file; every chunk already transcribed with
the same bounds is reused and only the others (normally just the last) are transcribed then. The result is
therefore the whole-file transcription, computed mostly ahead of time. What has been recognised so far is
shown under the level meter as the user speaks (`ChunkTranscriber.heard`).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gitvoice.audio.capture import CaptureOptions, CaptureResult, Recorder, RecordingInterrupted
from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, duration_s
from gitvoice.audio.vad import JOIN_GAP_S, SPEECH_PAD_S, Span, group_spans
from gitvoice.core.errors import DecodeCancelled, NoSpeechError
from gitvoice.pipeline.transcript import OnProgress, OnRecorded, Speech, restored
from gitvoice.pipeline.vocabulary import NO_VOCABULARY, CodeVocabulary, VocabularySource, resolved_vocabulary
from gitvoice.store.recordings import new_recording_path

if TYPE_CHECKING:
    from gitvoice.audio.vad_stream import LiveVad
    from gitvoice.pipeline.engines import AnySegment, AnyTranscript, SpeechEngine

# A chunk is settled once this much scored audio follows it with no speech: a later span would start
# (padded) more than JOIN_GAP_S after it, so group_spans can no longer join it to the chunk.
SETTLE_S = JOIN_GAP_S + SPEECH_PAD_S + 0.1
# A pause this long (in scored audio) starts the last chunk's transcription on the guess that the speaker has
# finished, where waiting for the span to close (MIN_SILENCE_S) would start it later: after Enter, what is left to
# wait for is that chunk's decode. A pause within a sentence costs a decode that later speech makes stale. No
# shorter than the span's padding: the guessed chunk must be all there.
GUESS_AFTER_S = SPEECH_PAD_S
CHECK_EVERY_S = 0.1  # look for chunks to transcribe this often (in captured audio): a head start on the last


@dataclass(frozen=True)
class ChunkPlan:
    settled: list[Span]  # chunks later audio will not change (in the usual case; see the module doc)
    # the last chunk as it will be if nothing more is said, once its speech has paused (more speech could still join)
    tentative: Span | None


def plan_chunks(vad: LiveVad) -> ChunkPlan:
    """Which chunks of the audio so far can be transcribed now."""
    chunks = group_spans(vad.spans())
    if not chunks:
        return ChunkPlan([], None)
    last = chunks[-1]
    quiet_after = not vad.has_speech_after(last.end)
    if quiet_after and vad.scored_samples - last.end >= SETTLE_S * SAMPLE_RATE_HZ:
        return ChunkPlan(chunks, None)
    # An open span reaches the end of the scored audio; a closed one ended at least MIN_SILENCE_S ago.
    ended = quiet_after and last.end < vad.scored_samples
    if ended:
        return ChunkPlan(chunks[:-1], last)
    # A short pause may be the end: the chunk the recording will end with if the speaker says no more.
    guess = vad.spans_if_quiet(GUESS_AFTER_S)
    tentative = group_spans(guess)[-1] if guess else None
    return ChunkPlan(chunks[:-1], tentative if tentative and tentative.end <= vad.scored_samples else None)


@dataclass
class _ChunkResult:
    segments: list[AnySegment]
    language: str


class ChunkTranscriber:
    """Loads the model in a background thread (unless given one) and transcribes chunks as they finish."""

    def __init__(self, model: str, device: str, vocabulary: VocabularySource, language: str | None,
                 engine: SpeechEngine | None = None, languages: tuple[str, ...] = ()) -> None:
        self.model = model
        self.device = device
        self.vocabulary_source = vocabulary  # a callable is evaluated in the worker, off the hot path
        self.language = language
        self.languages = languages  # what a multilingual model may detect (voice.languages); () English only
        self.streamed = 0  # chunks transcribed while recording went on
        self.cancelled = 0  # decodes given up at the stop: their chunk had gone stale
        self._decoding: tuple[Span, threading.Event] | None = None  # the chunk being decoded, and its cancel
        self.heard = ""  # the words recognised so far, the code's spellings restored (read from other threads)
        self._heard_from: dict[int, tuple[int, str]] = {}  # chunk start -> (its end, its text), newest bounds
        self._engine = engine
        self._results: dict[tuple[int, int, str | None], _ChunkResult] = {}
        self._jobs: queue.Queue[tuple[Span, Samples] | None] = queue.Queue()
        self.vocabulary: CodeVocabulary = NO_VOCABULARY  # resolved once the model is loaded
        self._error: BaseException | None = None
        self._submitted: set[Span] = set()
        self._newest_from: dict[int, Span] = {}  # chunk start -> its latest bounds (a chunk grows as speech joins)
        self._pending = 0  # submitted jobs not yet done (or skipped); counted so is_idle has no race window
        self._pending_lock = threading.Lock()
        self._ready = False
        self._next_check = 0  # scored samples at which to look for chunks again
        self._thread = threading.Thread(target=self._work, name="gitvoice-transcribe", daemon=True)
        self._thread.start()

    @property
    def decoding(self) -> Span | None:
        """The chunk the worker is decoding now (None: none)."""
        decoding = self._decoding
        return decoding[0] if decoding is not None else None

    @property
    def is_idle(self) -> bool:
        """Nothing queued or being decoded; also true once the worker has failed (finish() raises its error),
        so nobody waits for a worker that will never be ready."""
        with self._pending_lock:
            return self._error is not None or (self._ready and self._pending == 0)

    def submit(self, span: Span, samples: Samples) -> None:
        if span not in self._submitted:
            self._submitted.add(span)
            self._newest_from[span.start] = span
            with self._pending_lock:
                self._pending += 1
            self._jobs.put((span, np.array(samples[span.start : span.end])))

    def on_audio(self, vad: LiveVad | None, samples: Samples) -> None:
        """Called after each captured block: queue the chunks that can be transcribed now."""
        if vad is None or vad.scored_samples < self._next_check:
            return
        self._next_check = vad.scored_samples + int(CHECK_EVERY_S * SAMPLE_RATE_HZ)
        plan = plan_chunks(vad)
        for chunk in plan.settled:
            self.submit(chunk, samples)
        # Guessing that the speaker has finished costs nothing when the worker has nothing else to do.
        if plan.tentative is not None and self.is_idle:
            self.submit(plan.tentative, samples)

    def _work(self) -> None:
        try:
            if self._engine is None:  # here or on a server (voice.server): decided in pipeline/engines.py
                from gitvoice.pipeline.engines import speech_engine

                self._engine = speech_engine(self.model, self.device)
            self.vocabulary = resolved_vocabulary(self.vocabulary_source)
            self._ready = True
            while (job := self._jobs.get()) is not None:
                span, audio = job
                cancel = threading.Event()
                try:
                    if self._newest_from.get(span.start) == span:  # else more speech joined it: newer one queued
                        self._decoding = (span, cancel)
                        result = self._transcribe(span, audio, self._hint_before(span), cancel)
                        self.streamed += 1
                        self._hear(span, result)
                except DecodeCancelled:
                    self.cancelled += 1
                finally:
                    self._decoding = None
                    with self._pending_lock:
                        self._pending -= 1
        except BaseException as exc:  # raised again in the recording thread by finish()
            self._error = exc

    def _transcribe(self, span: Span, audio: Samples, hint: str | None,
                    cancel: threading.Event | None = None) -> _ChunkResult:
        """Transcribe one chunk with `hint`, the language of the chunk before it (as the whole-file path does)."""
        assert self._engine is not None
        key = (span.start, span.end, hint)
        result = self._results.get(key)
        if result is None:
            opens_note = span.start == min(self._newest_from)  # the recording's first chunk (it only grows)
            segments, language = self._engine.transcribe_chunk(audio, span.start_s, self.vocabulary.words, hint,
                                                                languages=self.languages or None,
                                                                opens_note=opens_note, cancel=cancel)
            result = self._results[key] = _ChunkResult(list(segments), language)
        return result

    def _hear(self, span: Span, result: _ChunkResult) -> None:
        """Add a chunk's words to `heard`, in place of what an earlier, shorter version of the chunk said."""
        for start in [start for start in self._heard_from if span.start <= start < span.end]:
            del self._heard_from[start]
        self._heard_from[span.start] = (span.end, " ".join(s.text for s in result.segments).strip())
        text = " ".join(text for _start, (_end, text) in sorted(self._heard_from.items()) if text)
        self.heard = self.vocabulary.restore(text) if text else ""  # one assignment: readers see old or new

    def _hint_before(self, span: Span) -> str | None:
        """The language of the nearest chunk transcribed before `span` (the first chunk: the requested one)."""
        before = [(key[1], result.language) for key, result in list(self._results.items()) if key[1] <= span.start]
        return max(before)[1] if before else self.language

    def finish(self, chunks: list[Span], samples: Samples, source_name: str, waited_from: float,
               on_progress: OnProgress | None = None) -> AnyTranscript:
        """The transcript of the whole recording, whose speech chunks are `chunks`; transcribes what is left,
        reporting `on_progress(done, total)` before each chunk that was not ready (and once at the end, if any)."""
        from gitvoice.pipeline.engines import engine_facts, transcript_class

        while True:  # queued chunks are transcribed below only if the final chunks still contain them
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self._jobs.put(None)
        decoding = self._decoding
        if decoding is not None and decoding[0] not in chunks:  # a guess that later speech made stale
            decoding[1].set()
        self._thread.join()  # waits for the chunk being transcribed, if any (a stale one stops at its next token)
        if self._error is not None:
            raise self._error
        assert self._engine is not None
        hint = self.language  # replay the chain of language hints from the first chunk
        segments: list[AnySegment] = []
        ready_before_stop = 0
        reported = False
        for index, chunk in enumerate(chunks):
            ready = (chunk.start, chunk.end, hint) in self._results
            ready_before_stop += ready
            if not ready and on_progress is not None:
                on_progress(index, len(chunks))
                reported = True
            result = self._transcribe(chunk, samples[chunk.start : chunk.end], hint)
            segments.extend(result.segments)
            hint = result.language
        if reported and on_progress is not None:
            on_progress(len(chunks), len(chunks))
        text = " ".join(s.text for s in segments).strip()
        if not text:
            raise NoSpeechError(f"no speech detected in {source_name}",
                                hint="check the microphone level (`git voice devices`), or record again")
        facts = engine_facts(self._engine)
        return restored(transcript_class(self._engine)(
            text=text, segments=segments, language=hint or "en", model=facts.model,  # type: ignore[arg-type]
            device=facts.device, dtype=facts.dtype,
            audio_s=round(duration_s(samples), 3), load_s=round(facts.load_s, 3),
            transcribe_s=round(time.perf_counter() - waited_from, 3),
            extra={"chunks": len(chunks), "chunks_ready_at_stop": ready_before_stop,
                   "chunks_transcribed_while_recording": self.streamed,
                   "stale_decodes_cancelled": self.cancelled},
        ), self.vocabulary)


def record_and_transcribe(*, cwd: Path | None, capture: CaptureOptions, model: str, device: str,
                          vocabulary: VocabularySource, language: str | None, languages: tuple[str, ...] = (),
                          on_recorded: OnRecorded | None = None,
                          output: Path | None = None, on_progress: OnProgress | None = None) -> Speech:
    """Record live into `output` (default: a new file in the recordings folder) and transcribe as it goes; on a
    terminal, the words recognised so far show under the level meter.

    `on_recorded` runs once the file is complete, before the last chunk is transcribed; `on_progress` hears of
    the chunks still to transcribe then. Ctrl-C ends the recording, keeps the file (after `on_recorded`) and
    raises RecordingInterrupted (exit code 130).
    """
    path = output if output is not None else new_recording_path(cwd, suffix=".wav")
    recorder = Recorder(path, capture, need_vad=True)  # no device: fails here, before the model loads
    transcriber = ChunkTranscriber(model, device, vocabulary, language or None, languages=languages)
    captured: CaptureResult = recorder.run(on_audio=lambda rec: transcriber.on_audio(rec.vad, rec.samples),
                                           heard=lambda: transcriber.heard)
    stopped_at = recorder.stopped_at or time.perf_counter()
    if on_recorded is not None:
        on_recorded(captured.path, captured.duration_s)
    if captured.stopped_by == "interrupt":
        raise RecordingInterrupted(captured.path)
    chunks = group_spans(recorder.wait_for_vad().final_spans())
    transcript = transcriber.finish(chunks, recorder.samples, str(captured.path), stopped_at, on_progress)
    return Speech(recording=captured.path, transcript=transcript, duration_s=captured.duration_s)
