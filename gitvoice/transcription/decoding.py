"""One chunk (at most 30 s) through Whisper: the encoder once, then as many decoders as the strategy needs.

`whisper.transcribe` encodes the audio again for every call; the code-aware strategy decodes each chunk twice
(plain and code-aware), so the encoder output is computed here once and handed to whisper's DecodingTask,
which skips the encoder when given features of shape (n_audio_ctx, n_audio_state). The encoder is most of a
chunk's cost on the CPU, so the second decode costs only its decoder steps.
"""

from __future__ import annotations

import copy
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whisper.decoding import ApplyTimestampRules, LogitFilter

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.core.errors import DecodeCancelled
from gitvoice.transcription.biasing import TokenTrie, TrieBias, written_text
from gitvoice.transcription.loops import compression_ratio

SECONDS_PER_TIMESTAMP = 0.02  # Whisper's timestamp tokens count 20 ms steps
# Tokens a chunk may take: about three times what fast speech full of identifiers needs (text and timestamp
# tokens), so that a repetition loop stops early instead of filling Whisper's 224 tokens (a 5 s chunk looping
# under beam search took minutes on a busy 2-core machine).
TOKENS_PER_SECOND = 16
MIN_TOKENS = 32
MAX_TOKENS = 224


def token_budget(duration: float) -> int:
    return min(MAX_TOKENS, MIN_TOKENS + int(TOKENS_PER_SECOND * duration))
# whisper.transcribe drops a window as silence when both hold: the model thinks nobody speaks, and what it
# wrote is unlikely.
NO_SPEECH_PROB = 0.6
NO_SPEECH_LOGPROB = -1.0


@dataclass(frozen=True)
class DecodeRequest:
    language: str  # the language token to decode with ("en" for English-only models)
    prompt: str | None = None  # Whisper's initial prompt (previous-text slot), None for a plain decode
    beam_size: int | None = None  # None: greedy
    trie: TokenTrie | None = None  # identifiers to bias the search toward (None: no bias)
    max_tokens: int | None = None  # stop after this many tokens (None: Whisper's 224): a loop ends early
    bonus: float = 0.0  # logits per identifier token continuing one, when `trie` is given
    root_bonus: float = 0.0  # logits on the first token of an identifier
    cancel: threading.Event | None = None  # once set, the decode stops at its next token (DecodeCancelled)
    no_repeat_ngram: int = 0  # > 0: no run of this many text tokens is written twice (a loop cannot start)
    opening: tuple[int, ...] = ()  # text tokens the transcript is made to begin with (at 0.00 s): the rest follows


@dataclass(frozen=True)
class Decoded:
    text: str  # the decoded text, stripped
    segments: tuple[tuple[float, float, str], ...]  # (start_s, end_s, text) within the chunk, from timestamps
    avg_logprob: float  # Whisper's mean token log-probability (with a bias, of the biased distribution)
    no_speech_prob: float  # Whisper's probability that the window holds no speech
    compression_ratio: float  # Whisper's repetition signal (text bytes / zlib bytes); > 2.4 is a loop
    end_s: float  # the last timestamp: how much of the chunk the text covers
    tokens: tuple[int, ...] = field(repr=False, default=())  # the sampled tokens, timestamps included

    @property
    def is_silence(self) -> bool:
        return (not self.text or (self.no_speech_prob > NO_SPEECH_PROB
                                  and self.avg_logprob < NO_SPEECH_LOGPROB))

    def signals(self) -> dict[str, float]:
        return {"avg_logprob": round(self.avg_logprob, 3), "no_speech_prob": round(self.no_speech_prob, 3),
                "compression_ratio": round(self.compression_ratio, 3), "end_s": round(self.end_s, 2)}


def tokenizer_for(model: Any, language: str) -> Any:
    from whisper.tokenizer import get_tokenizer

    return get_tokenizer(model.is_multilingual, num_languages=model.num_languages, language=language,
                         task="transcribe")


def chunk_mel(model: Any, audio: Samples) -> Any:
    """The log-mel window of a chunk of at most 30 s, computed and padded exactly as whisper.transcribe does
    (so a plain decode here gives its text)."""
    from whisper.audio import N_FRAMES, N_SAMPLES, log_mel_spectrogram, pad_or_trim

    mel = log_mel_spectrogram(np.asarray(audio, dtype=np.float32), model.dims.n_mels, padding=N_SAMPLES)
    content_frames = mel.shape[-1] - N_FRAMES
    return pad_or_trim(mel[:, : min(N_FRAMES, content_frames)], N_FRAMES)


def encode(model: Any, audio: Samples, fp16: bool) -> Any:
    """The encoder's output for one chunk, shape (1, n_audio_ctx, n_audio_state): computed once per chunk."""
    import torch

    mel = chunk_mel(model, audio).to(model.device)
    with torch.inference_mode():
        return model.embed_audio((mel.half() if fp16 else mel)[None])


def first_word_logprobs(model: Any, features: Any, language: str, limit: int = 20) -> list[tuple[str, float]]:
    """The likeliest first words of the transcript, as the plain decode weighs them at its first text token
    (after <|0.00|>): (word as written, log-probability), likeliest first. One decoder step."""
    import torch

    tokenizer = tokenizer_for(model, language)
    prefix = [*tokenizer.sot_sequence, tokenizer.timestamp_begin]
    with torch.inference_mode():
        logits = model.decoder(torch.tensor([prefix], device=features.device), features)[0, -1].float()
    logprobs = torch.log_softmax(logits[: tokenizer.eot], dim=-1)  # text tokens only
    top = torch.topk(logprobs, limit)
    return [(str(tokenizer.decode([token])), float(value))
            for value, token in zip(top.values.tolist(), top.indices.tolist(), strict=True)]


def text_tokens(model: Any, language: str, text: str) -> tuple[int, ...]:
    return tuple(tokenizer_for(model, language).encode(text))


def language_probabilities(model: Any, features: Any) -> dict[str, float]:
    """Whisper's language identification on encoded audio (one decoder step)."""
    import torch

    with torch.inference_mode():
        _tokens, probs = model.detect_language(features, tokenizer_for(model, "en"))
    return {str(code): float(p) for code, p in probs[0].items()}


class StopWhenCancelled(LogitFilter):  # type: ignore[misc]  # whisper is untyped
    """A Whisper logit filter that changes no logit: it ends the decode, at any token, once `cancel` is set."""

    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel

    def apply(self, logits: Any, tokens: Any) -> None:
        if self.cancel.is_set():
            raise DecodeCancelled


class NoRepeatNgram(LogitFilter):  # type: ignore[misc]  # whisper is untyped
    """Forbid any text token that would write a run of `size` text tokens a second time (the classic
    no-repeat-n-gram constraint of text generation): the decode must say something else where it would loop.
    Timestamps are left out of the runs, and the prompt before `sample_begin` does not count."""

    def __init__(self, size: int, sample_begin: int, text_end: int) -> None:
        self.size = size
        self.sample_begin = sample_begin
        self.text_end = text_end  # ids from here on (end-of-text, timestamps) are no text

    def apply(self, logits: Any, tokens: Any) -> None:
        for row, text in enumerate(written_text(tokens, self.sample_begin, self.text_end)):
            if len(text) < self.size:
                continue
            tail = text[len(text) - self.size + 1 :]
            banned = {text[at + self.size - 1] for at in range(len(text) - self.size + 1)
                      if text[at : at + self.size - 1] == tail}
            if banned:
                logits[row, sorted(banned)] = -float("inf")


# A decode has looped once its text tokens end in the same run written this many times over, and this many
# tokens in all: Whisper's loops go on to the token budget (several seconds under beam search), while speech
# repeats itself less ("1, 0, 0, 0, 1" is three repeats of two tokens). Not sooner: tiny.en wrote "Nash-Nash-
# Nash-Nash-Nash" (5 x 3 tokens) for "dash dash" and then went on with the sentence.
LOOP_STOP_REPEATS = 6
LOOP_STOP_TOKENS = 24
_LOOP_STOP_PERIODS = range(1, 9)


class EndLoops(LogitFilter):  # type: ignore[misc]  # whisper is untyped
    """End a hypothesis that has looped (only end-of-text may follow): what it wrote before stays, with enough
    of the loop for the caller to see it (loops.is_looped), without decoding the loop to the token budget."""

    def __init__(self, sample_begin: int, eot: int) -> None:
        self.sample_begin = sample_begin
        self.eot = eot  # end-of-text, the first id that is no text

    def apply(self, logits: Any, tokens: Any) -> None:
        for row, text in enumerate(written_text(tokens, self.sample_begin, self.eot)):
            if ends_in_loop(text):
                forced = logits[row, self.eot].clone()
                logits[row] = -float("inf")
                logits[row, self.eot] = forced if forced.isfinite() else 0.0


def ends_in_loop(tokens: Sequence[int]) -> bool:
    """Whether `tokens` end in one run of 1-8 tokens repeated LOOP_STOP_REPEATS times, LOOP_STOP_TOKENS in all."""
    for period in _LOOP_STOP_PERIODS:
        repeats = max(LOOP_STOP_REPEATS, -(-LOOP_STOP_TOKENS // period))
        span = period * repeats
        if len(tokens) >= span and all(tokens[-span + at] == tokens[-span + at % period] for at in range(span)):
            return True
    return False


def stop_if_cancelled(cancel: threading.Event | None) -> None:
    """Between the steps of a chunk's decode (encoder, decodes, rescoring): DecodeCancelled once `cancel` is set."""
    if cancel is not None and cancel.is_set():
        raise DecodeCancelled


_twins: weakref.WeakKeyDictionary[Any, tuple[tuple[int, ...], Any]] = weakref.WeakKeyDictionary()


def decoder_twin(model: Any) -> Any:
    """`model` with a decoder of its own that shares every weight: for a decode that runs while another runs on
    `model` (whisper keeps a decode's key/value cache in hooks on the decoder's modules, so two decodes at once
    need two module trees). Made again when the model's tensors moved (a device fallback)."""
    tensors = [*model.decoder.parameters(), *model.decoder.buffers()]
    fingerprint = tuple(tensor.data_ptr() for tensor in tensors)
    known = _twins.get(model)
    if known is not None and known[0] == fingerprint:
        return known[1]
    twin = copy.copy(model)
    twin._modules = dict(model._modules)
    twin._modules["decoder"] = copy.deepcopy(model.decoder, memo={id(tensor): tensor for tensor in tensors})
    _twins[model] = (fingerprint, twin)
    return twin


def decode(model: Any, features: Any, request: DecodeRequest, fp16: bool, duration: float) -> Decoded:
    """One decode of encoded audio, at temperature 0 (greedy or beam search): deterministic."""
    import torch
    from whisper.decoding import DecodingOptions, DecodingTask

    tokenizer = tokenizer_for(model, request.language)
    forced = [tokenizer.timestamp_begin, *request.opening] if request.opening else []
    options = DecodingOptions(task="transcribe", language=request.language, temperature=0.0,
                              beam_size=request.beam_size, prompt=request.prompt, fp16=fp16,
                              sample_len=request.max_tokens, prefix=forced or None)
    task = DecodingTask(model, options)
    if forced:  # the forced tokens are the transcript's own first ones, as if sampled: timestamps pair up after them
        for rule in task.logit_filters:
            if isinstance(rule, ApplyTimestampRules):
                rule.sample_begin -= len(forced)
    if request.trie is not None and request.bonus:
        task.logit_filters.append(TrieBias(request.trie, task.tokenizer, task.sample_begin, request.bonus,
                                                request.root_bonus))
    if request.no_repeat_ngram:
        task.logit_filters.append(NoRepeatNgram(request.no_repeat_ngram, task.sample_begin, task.tokenizer.eot))
    task.logit_filters.append(EndLoops(task.sample_begin, task.tokenizer.eot))
    if request.cancel is not None:
        task.logit_filters.append(StopWhenCancelled(request.cancel))
    with torch.inference_mode():
        result = task.run(features)[0]
    tokens = [*forced, *result.tokens]
    segments = split_segments(tokens, task.tokenizer, duration)
    text = " ".join(text for _start, _end, text in segments).strip()
    return Decoded(text=text, segments=segments, avg_logprob=float(result.avg_logprob),
                   no_speech_prob=float(result.no_speech_prob), compression_ratio=compression_ratio(text),
                   end_s=segments[-1][1] if segments else 0.0, tokens=tuple(tokens))


# Digits Whisper grouped with a comma where no thousands separator can be: "1,0001" for "one zero zero zero one"
# (greedy decoding of a digit string; a group after a comma has three digits).
_MISGROUPED_DIGITS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d+)*,\d{4,}(?:,\d+)*(?![\d,])")


def ungrouped(text: str) -> str:
    """"1,0001 90210" -> "10001 90210": commas inside a digit string that cannot separate thousands go."""
    return _MISGROUPED_DIGITS.sub(lambda match: match.group(0).replace(",", ""), text)


def split_segments(tokens: Sequence[int], tokenizer: Any, duration: float) -> tuple[tuple[float, float, str], ...]:
    """(start_s, end_s, text) per timestamped segment: "<|0.00|> a <|2.40|><|2.40|> b <|4.10|>". Text after
    the last timestamp ends at the end of the chunk; times are clamped to it."""
    begin = int(tokenizer.timestamp_begin)
    segments: list[tuple[float, float, str]] = []
    start: float | None = None
    text_tokens: list[int] = []
    for token in tokens:
        if token < begin:
            text_tokens.append(token)
            continue
        time_s = min(duration, (token - begin) * SECONDS_PER_TIMESTAMP)
        if text_tokens:
            segments.append((start or 0.0, max(time_s, start or 0.0), str(tokenizer.decode(text_tokens)).strip()))
            text_tokens, start = [], None
        elif start is None:
            start = time_s
    if text_tokens:
        segments.append((start or 0.0, duration, str(tokenizer.decode(text_tokens)).strip()))
    return tuple((round(s, 2), round(e, 2), ungrouped(text)) for s, e, text in segments if text)


def duration_of(audio: Samples) -> float:
    return len(audio) / SAMPLE_RATE_HZ
