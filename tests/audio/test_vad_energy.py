"""The torch-free VAD a live recording uses when its speech goes to a server: where it finds speech, where it closes a
span, that spans never outgrow Whisper's window, and that fed in blocks it finds what it finds in the whole file."""

from __future__ import annotations

import itertools
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, read_audio
from gitvoice.audio.vad import MAX_CHUNK_S, Span, group_spans
from gitvoice.audio.vad_energy import EnergyVad, energy_speech_spans, spans_from_windows


def silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SAMPLE_RATE_HZ), dtype=np.float32)


def hiss(seconds: float, dbfs: float, seed: int = 1) -> Samples:
    """Steady noise at `dbfs` (RMS): a fan, a quiet room."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * SAMPLE_RATE_HZ)) * 10 ** (dbfs / 20)).astype(np.float32)


def babble(seconds: float, seed: int = 2) -> Samples:
    """Speech-like sound without a pause: voiced syllables (a 150 Hz buzz) of 240 ms, each followed by the 60 ms
    closure of a consonant, where the level drops as it does between words."""
    t = np.arange(int(seconds * SAMPLE_RATE_HZ)) / SAMPLE_RATE_HZ
    rng = np.random.default_rng(seed)
    loudness = rng.uniform(0.5, 1.0, size=int(seconds / 0.3) + 1)[(t / 0.3).astype(int)]  # syllable by syllable
    envelope = np.where(t % 0.3 < 0.24, loudness, 0.01)
    return (0.1 * envelope * (np.sign(np.sin(2 * np.pi * 150 * t)) + 0.1 * rng.standard_normal(t.size))).astype(
        np.float32)


def seconds(spans: list[Span]) -> list[tuple[float, float]]:
    return [(round(span.start_s, 2), round(span.end_s, 2)) for span in spans]


def test_silence_and_steady_hiss_are_not_speech() -> None:
    for audio in (silence(5), hiss(5, -45.0), hiss(5, -70.0)):
        vad = EnergyVad()
        vad.feed(audio)
        assert vad.final_spans() == []
        assert vad.seconds_since_speech() is None  # nothing said yet: the silence stop must not fire


def test_it_finds_the_speech_of_every_shared_clip_where_silero_does(clips: list[Any]) -> None:
    from gitvoice.audio.vad import speech_spans

    for clip in clips:
        samples = read_audio(clip.path)
        found = energy_speech_spans(samples)
        assert found, clip.id
        heard = np.zeros(samples.size, dtype=bool)
        for span in found:
            heard[span.start : span.end] = True
        silero_speech = sum(span.end - span.start for span in speech_spans(samples))
        covered = sum(int(heard[span.start : span.end].sum()) for span in speech_spans(samples))
        assert covered >= 0.9 * silero_speech, (clip.id, seconds(found))


def test_fed_in_any_blocks_it_finds_what_it_finds_in_the_whole_file(human_clips: list[Any]) -> None:
    rng = np.random.default_rng(11)
    note = np.concatenate([silence(0.7), *[np.concatenate([read_audio(c.path), silence(0.8)]) for c in human_clips]])
    whole = energy_speech_spans(note)
    vad = EnergyVad()
    position = 0
    while position < note.size:
        size = int(rng.integers(100, 5000))
        vad.feed(note[position : position + size])
        position += size
        assert all(span.end <= vad.scored_samples for span in vad.spans())
    assert vad.received_samples == note.size
    assert vad.final_spans() == whole


def test_a_half_second_pause_closes_a_span_and_a_shorter_one_does_not() -> None:
    near = np.concatenate([silence(0.5), babble(2.0), silence(0.3), babble(2.0, seed=3), silence(1.0)])
    assert len(energy_speech_spans(near)) == 1
    apart = np.concatenate([silence(0.5), babble(2.0), silence(0.6), babble(2.0, seed=3), silence(1.0)])
    first, second = energy_speech_spans(apart)
    assert first.end_s == pytest.approx(2.5 + 0.2, abs=0.05)  # the speech's end, padded by 0.2 s
    assert second.start_s == pytest.approx(3.1 - 0.2, abs=0.05)


def test_no_span_and_no_chunk_outgrows_whispers_window() -> None:
    audio = np.concatenate([silence(0.3), babble(75.0), silence(1.0)])
    spans = energy_speech_spans(audio)
    assert len(spans) >= 3
    assert max(span.duration_s for span in spans) <= MAX_CHUNK_S
    assert max(chunk.duration_s for chunk in group_spans(spans)) <= MAX_CHUNK_S
    assert spans[0].start_s == pytest.approx(0.1, abs=0.05) and spans[-1].end_s == pytest.approx(75.5, abs=0.05)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))  # cut, nothing lost between


def test_speech_over_a_noisy_room_and_the_silence_after_it(human_clips: list[Any]) -> None:
    clip = read_audio(next(c for c in human_clips if c.id == "jfk_inaugural_1961").path)
    room = hiss(clip.size / SAMPLE_RATE_HZ + 4.0, -50.0)
    audio = room.copy()
    audio[SAMPLE_RATE_HZ : SAMPLE_RATE_HZ + clip.size] += clip
    vad = EnergyVad()
    vad.feed(audio)
    spans = vad.spans()
    assert spans and spans[0].start_s >= 0.8 and spans[-1].end_s <= 1.0 + clip.size / SAMPLE_RATE_HZ + 0.5
    quiet = vad.seconds_since_speech()
    assert quiet is not None and quiet >= 2.5  # the room's hiss after the speech is silence: the stop can fire
    assert not vad.has_speech_after(spans[-1].end)


def test_a_click_is_not_speech() -> None:
    audio = np.concatenate([silence(1.0), babble(0.1), silence(2.0)])
    assert energy_speech_spans(audio) == []


def test_spans_from_windows_pads_and_meets_halfway() -> None:
    speech = [False] * 10 + [True] * 20 + [False] * 16 + [True] * 20 + [False] * 20
    spans = spans_from_windows(speech, [0.0] * len(speech), len(speech) * 512)
    assert seconds(spans) == [(0.12, 1.16), (1.27, 2.31)]  # 0.2 s of padding each side; the gap keeps its middle


def test_live_vad_energy_imports_no_torch() -> None:
    code = ("import sys, numpy as np\n"
            "from gitvoice.audio.vad_stream import LiveVad\n"
            "vad = LiveVad('energy')\n"
            "vad.feed(np.zeros(16000, dtype=np.float32))\n"
            "assert vad.final_spans() == []\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'whisper', 'silero_vad')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
