"""On the CPU a chunk's code-aware decode runs beside its plain decode, on a twin of the decoder that shares
every weight: the result is the one the two decodes give one after the other."""

from __future__ import annotations

from typing import Any

import pytest
from support import Clip

from gitvoice.audio.files import read_audio
from gitvoice.transcription.codeaware import ChunkRequest, CodeAwareOptions, decode_chunk
from gitvoice.transcription.decoding import DecodeRequest, decode, decoder_twin, duration_of, encode, token_budget
from gitvoice.transcription.engine import build_whisper
from gitvoice.transcription.models import find_model
from gitvoice.transcription.weights import load_checkpoint

pytestmark = pytest.mark.slow

VOCABULARY = ("FellowAmericans", "ask_not", "country_code")
PROMPT = "FellowAmericans ask_not country_code."


def test_the_twin_shares_every_weight_and_keeps_modules_of_its_own(engine: Any) -> None:
    twin = decoder_twin(engine.model)
    assert twin is decoder_twin(engine.model)  # made once
    assert twin.decoder is not engine.model.decoder and twin.encoder is engine.model.encoder
    pairs = list(zip(twin.decoder.modules(), engine.model.decoder.modules(), strict=True))
    assert all(ours is not theirs for ours, theirs in pairs)
    tensors = zip([*twin.decoder.parameters(), *twin.decoder.buffers()],
                  [*engine.model.decoder.parameters(), *engine.model.decoder.buffers()], strict=True)
    assert all(ours is theirs for ours, theirs in tensors)


def test_a_twin_is_made_again_when_the_weights_move() -> None:
    import torch

    model = build_whisper(load_checkpoint(find_model("tiny.en"))[0])
    before = decoder_twin(model)
    model.to(torch.float64)  # as a device fallback moves them: new tensors
    after = decoder_twin(model)
    assert after is not before
    assert after.decoder.token_embedding.weight.dtype == torch.float64
    assert after.decoder.mask.data_ptr() == model.decoder.mask.data_ptr()


def test_beside_or_after_the_plain_decode_the_code_aware_decode_is_the_same(
        engine: Any, human_clips: list[Clip]) -> None:
    jfk = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    audio = read_audio(jfk.path)
    request = ChunkRequest("en", None, PROMPT, VOCABULARY, None, False)
    result = decode_chunk(engine.model, audio, request, CodeAwareOptions(rescore=None))
    features, duration = encode(engine.model, audio, False), duration_of(audio)
    budget = token_budget(duration)
    plain = decode(engine.model, features, DecodeRequest("en", max_tokens=budget), False, duration)
    aware = decode(engine.model, features, DecodeRequest("en", prompt=PROMPT, max_tokens=budget), False, duration)
    notes = result.diagnostics
    assert (notes["plain"]["text"], notes["aware"]["text"]) == (plain.text, aware.text)
    assert notes["aware"]["avg_logprob"] == pytest.approx(aware.avg_logprob, abs=1e-3)
    assert "ask not what your country can do for you" in plain.text.lower()
