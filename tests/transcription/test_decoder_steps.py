"""On the CPU a decode step's logits come from an int8 pass over the text tokens and exact float32 logits for the
best of them and for every token that is no text (gitvoice.transcription.decoder_steps): the tokens decoded are
whisper's own, greedy and beam search (which keeps whisper's projection), on real speech."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import Clip

from gitvoice.audio.files import read_audio
from gitvoice.transcription import decoder_steps
from gitvoice.transcription.decoding import DecodeRequest, decode, decoder_twin, duration_of, encode, token_budget
from gitvoice.transcription.engine import build_whisper, end_of_text, transpose_vocabulary_storage
from gitvoice.transcription.models import find_model
from gitvoice.transcription.weights import load_checkpoint

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "understanding"


@pytest.fixture(scope="module")
def whisper_layout() -> Any:
    """tiny.en as whisper computes it: every logit from the float32 product (the storage as on the CPU)."""
    model = build_whisper(load_checkpoint(find_model("tiny.en"))[0])
    transpose_vocabulary_storage(model)
    return model


def _corpus_clips(every: int) -> list[Path]:
    lines = (CORPUS / "manifest.jsonl").read_text().splitlines()
    return [CORPUS / json.loads(line)["path"] for line in lines[::every]]


def test_the_cpu_engine_computes_its_steps_this_way(engine: Any) -> None:
    assert isinstance(engine.model.decoder, decoder_steps.step_decoder_class())
    assert decoder_twin(engine.model).decoder.step_table is engine.model.decoder.step_table


def test_greedy_decodes_give_whisper_s_tokens(engine: Any, whisper_layout: Any, human_clips: list[Clip]) -> None:
    paths = [clip.path for clip in human_clips] + _corpus_clips(every=6)
    for path in paths:
        audio = read_audio(path)[: 30 * 16_000]
        duration = duration_of(audio)
        request = DecodeRequest("en", max_tokens=token_budget(duration))
        ours = decode(engine.model, encode(engine.model, audio, False), request, False, duration)
        theirs = decode(whisper_layout, encode(whisper_layout, audio, False), request, False, duration)
        assert ours.text, path.name
        assert ours.tokens == theirs.tokens, path.name
        assert ours.avg_logprob == pytest.approx(theirs.avg_logprob, abs=5e-3), path.name


@pytest.mark.parametrize("beam_size", [None, 5])
def test_decodes_with_a_prompt_give_whisper_s_tokens(engine: Any, whisper_layout: Any, beam_size: int | None) -> None:
    for path in _corpus_clips(every=17):
        audio = read_audio(path)
        duration = duration_of(audio)
        request = DecodeRequest("en", prompt="fetch_user getUserById api/users.py", beam_size=beam_size,
                                max_tokens=token_budget(duration))
        ours = decode(engine.model, encode(engine.model, audio, False), request, False, duration)
        theirs = decode(whisper_layout, encode(whisper_layout, audio, False), request, False, duration)
        assert ours.tokens == theirs.tokens, path.name


def test_a_step_s_best_logits_are_exact_and_the_rest_close(engine: Any) -> None:
    import torch

    weight = engine.model.decoder.token_embedding.weight
    text_tokens = end_of_text(engine.model)
    rows = decoder_steps.int8_rows(weight[:text_tokens])
    # Hidden states as large as the decoder's final layer norm gives (its outputs reach about 150).
    x = torch.randn(5, weight.shape[1], generator=torch.Generator().manual_seed(1)) * 20
    exact = x @ weight.T
    ours = decoder_steps.step_logits(x, weight, *rows, text_tokens)
    assert ours.shape == exact.shape
    assert torch.equal(ours.argmax(dim=-1), exact.argmax(dim=-1))
    best = exact[:, :text_tokens].topk(decoder_steps.REFINED // 2, dim=-1).indices
    assert torch.allclose(ours.gather(1, best), exact.gather(1, best), atol=1e-3)
    assert torch.allclose(ours[:, text_tokens:], exact[:, text_tokens:], atol=1e-3)  # end of text, timestamps
    assert (ours - exact).abs().max() < 2.0  # the approximate rest
    assert torch.allclose(ours.logsumexp(dim=-1), exact.logsumexp(dim=-1), atol=0.05)


def test_a_moved_weight_is_projected_as_whisper_does() -> None:
    import torch
    from whisper.model import TextDecoder

    model = build_whisper(load_checkpoint(find_model("tiny.en"))[0])
    assert decoder_steps.install(model, end_of_text(model))
    embedding = model.decoder.token_embedding
    embedding.weight.data = embedding.weight.data.clone()  # new storage, as a device move makes
    assert model.decoder.step_table.rows_of(embedding.weight) is None
    generator = torch.Generator().manual_seed(2)
    features = torch.randn(1, model.dims.n_audio_ctx, model.dims.n_audio_state, generator=generator)
    tokens = torch.tensor([[end_of_text(model) + 1]])  # start of transcript: one position, a greedy step's shape
    with torch.inference_mode():
        assert torch.equal(model.decoder(tokens, features), TextDecoder.forward(model.decoder, tokens, features))


def test_without_int8_products_the_decoder_is_left_as_whisper_s(monkeypatch: pytest.MonkeyPatch) -> None:
    # A torch built without the operator (or one that computes it wrong) is what this stands for.
    def missing(*_args: Any) -> Any:
        raise NotImplementedError("no int8 row product for this CPU")

    monkeypatch.setattr(decoder_steps, "int8_product", missing)
    model = build_whisper(load_checkpoint(find_model("tiny.en"))[0])
    kind = type(model.decoder)
    assert not decoder_steps.install(model, end_of_text(model))
    assert type(model.decoder) is kind
