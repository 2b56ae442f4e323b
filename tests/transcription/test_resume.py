"""A chunk whose decode ends early is decoded again from where its text ended, so no sentence is dropped."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import Clip

from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
from gitvoice.audio.vad import group_spans, speech_spans
from gitvoice.transcription.engine import RESUME_AFTER_S, WINDOW_SAMPLES, WhisperEngine

WINDOW_S = WINDOW_SAMPLES / SAMPLE_RATE_HZ


@pytest.mark.parametrize(("decoded", "window_s", "resumed_at_s"), [
    ([(0.0, 23.96, "a"), (23.96, 30.0, "b")], WINDOW_S, None),  # the text reaches the end
    ([(0.0, 11.0, "a")], 11.5, None),  # the chunk's own padding after the last word
    ([(0.0, 23.96, "a")], WINDOW_S, 23.96),  # six seconds left undecoded: decode them
    ([(0.0, 24.0, "a")], 24.0 + RESUME_AFTER_S, 24.0),
    ([(0.0, 0.5, "uh")], 20.0, None),  # too little decoded to start again without repeating it
    ([], 20.0, None),  # silence
])
def test_where_the_next_decode_starts(decoded: list[tuple[float, float, str]], window_s: float,
                                      resumed_at_s: float | None) -> None:
    notes: dict[str, Any] = {}
    advance = WhisperEngine._advance(decoded, int(window_s * SAMPLE_RATE_HZ), notes)
    if resumed_at_s is None:
        assert advance == WINDOW_SAMPLES and "resumed_at_s" not in notes
    else:
        assert advance == int(resumed_at_s * SAMPLE_RATE_HZ) and notes["resumed_at_s"] == resumed_at_s


@pytest.mark.slow
def test_a_thirty_second_note_keeps_its_last_sentence(engine: Any, human_clips: list[Clip]) -> None:
    """Three clips with 0.8 s pauses make one 30 s chunk; tiny.en ends its text after the second clip."""
    by_id = {clip.id: clip for clip in human_clips}
    gap = np.zeros(int(0.8 * SAMPLE_RATE_HZ), dtype=np.float32)
    note = np.concatenate([read_audio(by_id["jfk_inaugural_1961"].path), gap,
                           read_audio(by_id["librispeech_2412-153948-0000"].path), gap,
                           read_audio(by_id["ljspeech_LJ001-0006"].path)])
    assert len(group_spans(speech_spans(note))) == 1
    result = engine.transcribe(note)
    text = result.text.lower()
    assert "ask not what your country" in text and "painful to myself" in text
    assert "fine typography" in text  # the third clip, which the first decode of the window left out
    assert any("resumed_at_s" in notes for notes in result.extra["decoding"])
    assert text.count("painful to myself") == 1  # the second decode starts after the first one's text
