"""The real tiny.en on every human clip of the shared set: word error rate and robust phrases."""

from __future__ import annotations

import pytest
from support import Clip
from whisper.normalizers import EnglishTextNormalizer

from gitvoice.audio.files import read_audio
from gitvoice.cli.doctor import word_edit_distance
from gitvoice.transcription.engine import WhisperEngine

MAX_WER = 0.10




def test_word_edit_distance() -> None:
    assert word_edit_distance(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert word_edit_distance(["a", "b", "c"], ["a", "x", "c", "d"]) == 2
    assert word_edit_distance([], ["a"]) == 1


@pytest.mark.slow
def test_word_error_rate_over_the_human_clips(engine: WhisperEngine, human_clips: list[Clip]) -> None:
    normalize = EnglishTextNormalizer()
    errors = words = 0
    report = []
    for clip in human_clips:
        text = engine.transcribe(read_audio(clip.path), source_name=clip.id).text
        reference, hypothesis = normalize(clip.text).split(), normalize(text).split()
        errors += word_edit_distance(reference, hypothesis)
        words += len(reference)
        report.append(f"{clip.id}: {text}")
    assert len(human_clips) == 7
    assert errors / words <= MAX_WER, "\n".join(report)


@pytest.mark.slow
def test_jfk(engine: WhisperEngine, human_clips: list[Clip]) -> None:
    jfk = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    result = engine.transcribe(read_audio(jfk.path), source_name="jfk")
    assert "ask not what your country can do for you" in result.text.lower()
    assert result.segments[0].start_s < 1.0 < result.segments[-1].end_s <= 11.0
    assert (result.model, result.device, result.dtype, result.language) == ("tiny.en", "cpu", "float32", "en")
