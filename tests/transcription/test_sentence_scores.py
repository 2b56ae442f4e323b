"""Sentence scores for rescoring: computed from where each sentence departs from the first, they are the
log-probabilities Whisper's own decoder gives each whole sentence on the same audio."""

from __future__ import annotations

from typing import Any

import pytest
from support import Clip

from gitvoice.audio.files import read_audio
from gitvoice.transcription.decoding import encode, tokenizer_for
from gitvoice.transcription.sentence_scores import BATCH_ROWS, sentence_scorer

pytestmark = pytest.mark.slow

HEARD = "And so my fellow Americans ask not what your country can do for you"
PROMPT = "FellowAmericans country_code AskNot."


def whole_sentence_logprob(model: Any, features: Any, prompt: str | None, sentence: str) -> float:
    """Whisper's decoder run over the whole sentence as whisper runs it: the reference."""
    import torch

    tokenizer = tokenizer_for(model, "en")
    primed = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)] if prompt else []
    prefix = [*primed, *tokenizer.sot_sequence_including_notimestamps]
    row = [*prefix, *tokenizer.encode(" " + sentence), tokenizer.eot]
    with torch.inference_mode():
        logits = model.decoder(torch.tensor([row]), features)[0]
        logprobs = torch.log_softmax(logits.float(), dim=-1)
    return sum(float(logprobs[position - 1, row[position]]) for position in range(len(prefix), len(row)))


@pytest.fixture(scope="module")
def jfk_features(engine: Any, human_clips: list[Clip]) -> Any:
    clip = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    return encode(engine.model, read_audio(clip.path), False)


def test_every_sentence_scores_as_the_whole_decoder_scores_it(engine: Any, jfk_features: Any) -> None:
    words = HEARD.split()
    sentences = [HEARD,
                 "And so my FellowAmericans ask not what your country can do for you",  # departs in the middle
                 "Ask so my fellow Americans ask not what your country can do for you",  # at the first word
                 "And so my fellow Americans ask not what your country_code can do for you",  # near the end
                 HEARD,  # the same as the first
                 " ".join(words[:-2]),  # the first, cut short
                 HEARD + " and for the world"]  # the first, and more
    sentences += [" ".join([*words[:index], "AskNot", *words[index + 2 :]]) for index in range(len(words) - 1)]
    assert len(sentences) > 2 * BATCH_ROWS  # several batches
    scores = sentence_scorer(engine.model, jfk_features, "en", PROMPT)(sentences)
    expected = [whole_sentence_logprob(engine.model, jfk_features, PROMPT, s) for s in sentences]
    assert scores == pytest.approx(expected, abs=1e-3)
    assert scores[2] < scores[0]  # the audio says "And so", not "Ask so"


def test_without_a_prompt_and_without_sentences(engine: Any, jfk_features: Any) -> None:
    score = sentence_scorer(engine.model, jfk_features, "en", None)
    assert score([]) == []
    assert score([HEARD]) == pytest.approx([whole_sentence_logprob(engine.model, jfk_features, None, HEARD)],
                                           abs=1e-3)
