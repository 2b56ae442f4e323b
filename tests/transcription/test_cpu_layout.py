"""On the CPU the decoder's vocabulary weight is stored transposed (engine.transpose_vocabulary_storage), which
makes every decoding step's 51,864-token product about twice as fast there: the values and the decoded tokens
stay exactly whisper's (the log-probabilities within what the int8 pass of decoder_steps moves them)."""

from __future__ import annotations

from typing import Any

import pytest
from support import Clip

from gitvoice.audio.files import read_audio
from gitvoice.transcription.decoding import DecodeRequest, decode, duration_of, encode, token_budget
from gitvoice.transcription.engine import build_whisper, transpose_vocabulary_storage
from gitvoice.transcription.models import find_model
from gitvoice.transcription.weights import load_checkpoint

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published_layout(engine: Any) -> Any:
    """The same model as the engine's, built as whisper lays it out."""
    checkpoint, _path = load_checkpoint(find_model("tiny.en"))
    return build_whisper(checkpoint)


def test_the_cpu_engine_keeps_the_vocabulary_weight_transposed_with_the_same_values(
        engine: Any, published_layout: Any) -> None:
    weight = engine.model.decoder.token_embedding.weight
    assert weight.T.is_contiguous() and not weight.is_contiguous()
    assert weight.equal(published_layout.decoder.token_embedding.weight)


def test_laying_it_out_again_changes_nothing(published_layout: Any) -> None:
    import torch

    model = build_whisper(load_checkpoint(find_model("tiny.en"))[0])
    transpose_vocabulary_storage(model)
    once = model.decoder.token_embedding.weight
    transpose_vocabulary_storage(model)
    assert model.decoder.token_embedding.weight is once
    assert torch.equal(once, published_layout.decoder.token_embedding.weight)


def test_both_layouts_decode_the_same_tokens(engine: Any, published_layout: Any, human_clips: list[Clip]) -> None:
    jfk = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    audio = read_audio(jfk.path)
    duration = duration_of(audio)
    request = DecodeRequest("en", max_tokens=token_budget(duration))
    ours = decode(engine.model, encode(engine.model, audio, False), request, False, duration)
    theirs = decode(published_layout, encode(published_layout, audio, False), request, False, duration)
    assert "ask not what your country can do for you" in ours.text.lower()
    assert ours.tokens == theirs.tokens
    assert ours.avg_logprob == pytest.approx(theirs.avg_logprob, abs=5e-3)
