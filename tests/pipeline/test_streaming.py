"""Streaming VAD and transcription give exactly what the whole file gives."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, read_audio
from gitvoice.audio.vad import group_spans, speech_spans

PAUSE_SHORT_S = 0.4  # with the clip's own trailing quiet it ends a VAD span, but the next sentence still joins
# the chunk (gap under vad.JOIN_GAP_S)
PAUSE_LONG_S = 1.8  # starts a new chunk


def silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SAMPLE_RATE_HZ), dtype=np.float32)


def spoken_note(paths: list[Path], pauses_s: list[float]) -> Samples:
    """Clips one after another with the given pauses after each, like a person dictating."""
    pieces = [silence(0.5)]
    for path, pause_s in zip(paths, pauses_s, strict=True):
        pieces += [read_audio(path), silence(pause_s)]
    return np.concatenate(pieces)


def feed_in_blocks(samples: Samples, consume: Any, rng: np.random.Generator) -> None:
    position = 0
    while position < samples.size:
        size = int(rng.integers(200, 4000))
        consume(samples[position : position + size], position + size)
        position += size


def test_live_vad_finds_the_spans_of_the_whole_file(clips: list[Any]) -> None:
    from gitvoice.audio.vad_stream import LiveVad

    rng = np.random.default_rng(7)
    for clip in clips:
        samples = read_audio(clip.path)
        vad = LiveVad()
        feed_in_blocks(samples, lambda block, _end, vad=vad: (vad.feed(block), vad.spans()), rng)
        assert vad.final_spans() == speech_spans(samples), clip.id
        assert vad.final_spans(), clip.id  # every shared clip holds speech


def test_live_vad_reports_silence_only_after_speech() -> None:
    from gitvoice.audio.vad_stream import LiveVad

    vad = LiveVad()
    vad.feed(silence(3.0))
    assert vad.seconds_since_speech() is None  # nothing said yet: silence does not count


@pytest.mark.slow
def test_streamed_transcript_equals_the_whole_file_transcript(human_clips: list[Any], engine: Any) -> None:
    from gitvoice.audio.vad_stream import LiveVad
    from gitvoice.pipeline.live import ChunkTranscriber
    from gitvoice.pipeline.vocabulary import NO_VOCABULARY

    by_id = {c.id: c for c in human_clips}
    note = spoken_note([by_id["pocketsphinx_goforward"].path, by_id["librivox_sense_sensibility_0880"].path,
                        by_id["sr_english_one_two_three"].path, by_id["ljspeech_LJ001-0006"].path],
                       [PAUSE_SHORT_S, PAUSE_LONG_S, PAUSE_LONG_S, 0.6])
    vad = LiveVad()
    transcriber = ChunkTranscriber("tiny.en", "cpu", NO_VOCABULARY, None, engine=engine)
    heard: list[str] = []  # what the line under the meter said, each time it changed

    def consume(block: Samples, end: int) -> None:
        vad.feed(block)
        transcriber.on_audio(vad, note[:end])
        deadline = time.monotonic() + 30
        while not transcriber.is_idle and time.monotonic() < deadline:  # as if spoken in real time
            time.sleep(0.01)
        if transcriber.heard != (heard[-1] if heard else ""):
            heard.append(transcriber.heard)

    feed_in_blocks(note, consume, np.random.default_rng(3))
    streamed = transcriber.finish(group_spans(vad.final_spans()), note, "note", time.perf_counter())
    whole = engine.transcribe(note)

    assert streamed.text == whole.text
    assert streamed.segments == whole.segments
    assert streamed.extra["chunks"] == 3  # the short pause joined the first two sentences
    assert streamed.extra["chunks_ready_at_stop"] >= 2  # the earlier chunks were done while "recording"
    # The first sentence alone was transcribed when its span ended, then redone when the second joined it.
    assert streamed.extra["chunks_transcribed_while_recording"] > streamed.extra["chunks_ready_at_stop"]
    assert "forward" in streamed.text.lower() and "typography" in streamed.text.lower()
    # The words heard (shown under the meter) grew as the speaker went on; the first sentence, redone when the
    # second joined it, replaced its first words instead of repeating them.
    assert len(heard) >= 3 and "forward" in heard[0].lower()
    assert all(text.lower().count("forward") == 1 for text in heard), heard
    assert heard[-1].split()[:6] == streamed.text.split()[:6], (heard, streamed.text)
    if streamed.extra["chunks_ready_at_stop"] == streamed.extra["chunks"]:
        assert heard[-1] == streamed.text


def test_only_the_recordings_first_chunk_has_its_opening_verb_rescored(engine: Any) -> None:
    """Streamed or whole, the note's first word is rescored against the opening verbs ("Rez" -> "Raise"); a
    later chunk, which may begin mid-sentence after a pause, keeps its first word as heard."""
    from gitvoice.audio.vad_stream import LiveVad
    from gitvoice.pipeline.live import ChunkTranscriber
    from gitvoice.pipeline.vocabulary import CodeVocabulary

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "understanding" / "audio"
    clip = corpus / "pascal05_payment_declined.flac"
    note = spoken_note([clip, clip], [PAUSE_LONG_S, 0.6])
    vocabulary = CodeVocabulary(("billing/charge.py", "charge_card", "ValueError", "PaymentDeclined"))
    vad = LiveVad()
    transcriber = ChunkTranscriber("tiny.en", "cpu", vocabulary, None, engine=engine)

    def consume(block: Samples, end: int) -> None:
        vad.feed(block)
        transcriber.on_audio(vad, note[:end])
        deadline = time.monotonic() + 30
        while not transcriber.is_idle and time.monotonic() < deadline:
            time.sleep(0.01)

    feed_in_blocks(note, consume, np.random.default_rng(5))
    streamed = transcriber.finish(group_spans(vad.final_spans()), note, "note", time.perf_counter())
    whole = engine.transcribe(note, vocabulary=vocabulary.words)
    assert streamed.extra["chunks"] == 2
    assert streamed.text == vocabulary.restore(whole.text)
    first, second = (segment.text for segment in whole.segments[:2]) if len(whole.segments) == 2 else ("", "")
    assert first.split()[0] == "Raise" and second.split()[0] == "Rez", whole.segments


@pytest.mark.parametrize("kind", ["silero", "energy"])
def test_a_pause_tells_where_the_last_chunk_will_end_before_its_span_closes(human_clips: list[Any], kind: str) -> None:
    """After Enter, the live path waits for the last chunk's decode; it starts on the guess a short pause gives,
    a good 0.2 s before the VAD's span closes, and the guess is the chunk the whole recording ends with."""
    from gitvoice.audio.vad import SPEECH_PAD_S
    from gitvoice.audio.vad_stream import LiveVad
    from gitvoice.pipeline.live import plan_chunks

    by_id = {c.id: c for c in human_clips}
    note = spoken_note([by_id["pocketsphinx_goforward"].path, by_id["sr_english_one_two_three"].path],
                       [PAUSE_LONG_S, 2.0])
    vad = LiveVad(kind)
    plans: list[tuple[int, Any, bool]] = []  # scored samples, the guessed last chunk, whether its span is open

    def consume(block: Samples, _end: int) -> None:
        vad.feed(block)
        spans = vad.spans()
        plans.append((vad.scored_samples, plan_chunks(vad).tentative,
                      bool(spans) and spans[-1].end == vad.scored_samples))

    feed_in_blocks(note, consume, np.random.default_rng(13))
    last = group_spans(vad.final_spans())[-1]
    guessed = min(scored for scored, tentative, _open in plans if tentative == last)
    speech_end = last.end - int(SPEECH_PAD_S * SAMPLE_RATE_HZ)
    closed = min(scored for scored, _tentative, is_open in plans if scored > speech_end and not is_open)
    assert guessed <= closed - 0.2 * SAMPLE_RATE_HZ, (guessed / SAMPLE_RATE_HZ, closed / SAMPLE_RATE_HZ)
    assert guessed > speech_end  # not before the speech has stopped
    # A guess is transcribed at once: all of its audio is there (a guess keyed by bounds it did not have would be
    # reused with its end cut off).
    assert all(tentative.end <= scored for scored, tentative, _open in plans if tentative is not None)
    # Before the pause, while the last words are still being said, there is no guess of that chunk.
    assert all(tentative != last for scored, tentative, _open in plans if scored <= speech_end)


@pytest.mark.slow
def test_a_stale_guess_still_decoding_at_the_stop_is_given_up(human_clips: list[Any], engine: Any) -> None:
    """Enter pressed while the worker decodes a guess that later speech made stale: the guess is stopped, not
    waited for, and the transcript is still the whole file's."""
    from gitvoice.audio.vad import Span
    from gitvoice.pipeline.live import ChunkTranscriber
    from gitvoice.pipeline.vocabulary import NO_VOCABULARY

    by_id = {c.id: c for c in human_clips}
    note = spoken_note([by_id["pocketsphinx_goforward"].path, by_id["librivox_sense_sensibility_0880"].path],
                       [PAUSE_SHORT_S, 0.6])
    chunks = group_spans(speech_spans(note))
    last = chunks[-1]
    stale = Span(last.start, last.end - 2 * SAMPLE_RATE_HZ)  # guessed at a pause the speaker went on after
    transcriber = ChunkTranscriber("tiny.en", "cpu", NO_VOCABULARY, None, engine=engine)
    transcriber.submit(stale, note)
    deadline = time.monotonic() + 30
    while transcriber.decoding != stale and time.monotonic() < deadline:
        time.sleep(0.002)
    assert transcriber.decoding == stale

    streamed = transcriber.finish(chunks, note, "note", time.perf_counter())
    assert streamed.extra["stale_decodes_cancelled"] == 1
    assert streamed.extra["chunks_ready_at_stop"] == 0
    assert streamed.text == engine.transcribe(note).text


def test_a_cancelled_chunk_decode_stops(engine: Any, human_clips: list[Any]) -> None:
    import threading

    from gitvoice.core.errors import DecodeCancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DecodeCancelled):
        engine.transcribe_chunk(read_audio(human_clips[0].path), 0.0, ("getUserById",), cancel=cancel)
