"""Voice activity: silence trimmed, no-speech detected, long recordings split at pauses."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
from gitvoice.audio.vad import MAX_CHUNK_S, Span, group_spans, speech_chunks


def _silence(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    return (rng.normal(0, 0.001, int(seconds * SAMPLE_RATE_HZ))).astype(np.float32)


def test_silence_has_no_speech() -> None:
    assert speech_chunks(_silence(5)) == []


def test_leading_and_trailing_silence_are_trimmed(speech_dir: Path) -> None:
    clip = read_audio(speech_dir / "human" / "pocketsphinx_goforward.wav")
    padded = np.concatenate([_silence(4), clip, _silence(4)])
    chunks = speech_chunks(padded)
    assert len(chunks) == 1
    assert 3.5 < chunks[0].start_s < 4.0 + len(clip) / SAMPLE_RATE_HZ
    assert chunks[0].end_s < 4.3 + len(clip) / SAMPLE_RATE_HZ


def test_long_recordings_are_split_at_pauses_not_fixed_offsets(speech_dir: Path) -> None:
    names = ["jfk_inaugural_1961", "librispeech_2412-153948-0000", "ljspeech_LJ001-0006",
             "jfk_inaugural_1961", "librispeech_2412-153948-0000"]
    parts, pauses = [], []
    position = 0
    for name in names:
        clip = read_audio(speech_dir / "human" / f"{name}.wav")
        parts += [clip, _silence(1.5)]
        position += len(clip)
        pauses.append((position, position + int(1.5 * SAMPLE_RATE_HZ)))
        position += int(1.5 * SAMPLE_RATE_HZ)
    audio = np.concatenate(parts)
    assert len(audio) / SAMPLE_RATE_HZ > 50
    chunks = speech_chunks(audio)
    assert len(chunks) >= 2
    assert all(c.duration_s <= MAX_CHUNK_S for c in chunks)
    for before, after in itertools.pairwise(chunks):
        # every cut (the silence between two chunks) overlaps one of the pauses we inserted
        assert any(before.end <= end and after.start >= start for start, end in pauses), (before, after)


@pytest.mark.parametrize(("spans", "expected"), [
    ([], []),
    ([Span(0, 16000)], [Span(0, 16000)]),
    # a short gap joins
    ([Span(0, 16000), Span(24000, 40000)], [Span(0, 40000)]),
    # a long gap keeps them apart
    ([Span(0, 16000), Span(48000, 64000)], [Span(0, 16000), Span(48000, 64000)]),
    # joining would exceed 30 s
    ([Span(0, 25 * 16000), Span(25 * 16000 + 8000, 35 * 16000)], [Span(0, 25 * 16000),
                                                                  Span(25 * 16000 + 8000, 35 * 16000)]),
])
def test_group_spans(spans: list[Span], expected: list[Span]) -> None:
    assert group_spans(spans) == expected


def test_finding_speech_leaves_torchs_thread_count_alone() -> None:
    # Importing silero_vad sets torch to one thread for the whole process: Whisper would then run on one core.
    # A fresh interpreter, since this process has imported silero_vad long ago.
    code = ("import numpy as np, torch\n"
            "torch.set_num_threads(2)\n"
            "from gitvoice.audio.vad import speech_spans\n"
            "speech_spans(np.zeros(16000, dtype=np.float32))\n"
            "print(torch.get_num_threads())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
