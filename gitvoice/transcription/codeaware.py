"""The code-aware decode of one chunk, made safe: decode it plain and code-aware on the same encoded audio,
detect a degenerate code-aware result by Whisper's own signals, and otherwise let it change only spellings.

Why both: primed with the diff's identifiers, tiny.en spells them right but also ends early at a pause
("Rename getUserById" for a sentence twice as long), skips words, invents a leading "3." or loops on file
names. The plain decode has none of those faults and misspells only the identifiers, so it decides what was
said (reconcile.py) and the code-aware decode how it is written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from gitvoice.audio.files import Samples
from gitvoice.transcription.biasing import DEFAULT_BONUS, TokenTrie
from gitvoice.transcription.decoding import (
    Decoded,
    DecodeRequest,
    decode,
    decoder_twin,
    duration_of,
    encode,
    first_word_logprobs,
    language_probabilities,
    stop_if_cancelled,
    text_tokens,
    token_budget,
)
from gitvoice.transcription.languages import LanguageChoice, choose_language
from gitvoice.transcription.loops import (
    COMPRESSION_RATIO_LIMIT,
    before_loop,
    collapse_loops,
    compression_ratio,
    is_looped,
)
from gitvoice.transcription.reconcile import code_shaped, reconcile
from gitvoice.transcription.rescoring import (
    OPENING_VERBS,
    RescoreOptions,
    chain_pieces,
    confirmed_substitutions,
    opens_with_verb,
    rescore,
    reverted,
)
from gitvoice.transcription.sentence_scores import Scorer, sentence_scorer

Segments = tuple[tuple[float, float, str], ...]  # (start_s, end_s, text) within the chunk


@dataclass(frozen=True)
class CodeAwareOptions:
    use_prompt: bool = True  # the identifiers as Whisper's initial prompt
    # The identifier trie's logit bonus during the search. Off: on the 70-clip corpus it changed no identifier
    # and no WER with the prompt (46/116 either way, beam 3), and without the prompt it found fewer (41/116).
    use_bias: bool = False
    bonus: float = DEFAULT_BONUS  # logits per identifier token continuing one already begun
    root_bonus: float = 0.0  # logits on an identifier's first token: tempts the model to invent names
    # Greedy: beam 3 found 2 more identifiers of 116 but doubles the code-aware decode's cost, which the live
    # path pays after the speaker stops.
    beam_size: int | None = None
    # A looping plain decode is decoded again with beam search, and where that loops too ("d-d-d-d...",
    # "N-S-N-S-..." on the corpus), greedily with no run of this many text tokens written twice: the clause
    # after the loop is heard ("... into a new module"), which beam search and the code-aware decode had lost.
    loop_beam_size: int = 5
    loop_no_repeat_ngram: int = 5
    # The code-aware decode is degenerate when its mean token log-probability is this much below the plain
    # one's (the bias raises its own figure, so this only catches a decode that went off the rails).
    max_logprob_drop: float = 0.6
    # Identifiers written where the audio supports them after reconciliation (None: off).
    rescore: RescoreOptions | None = field(default_factory=RescoreOptions)
    # A note that opens with a word that is no opening verb is decoded again from the verb the decoder itself
    # found likeliest there, when that verb's log-probability is at least this (and the audio, rescoring's
    # scorer, prefers the result by its margin): "We're around the time home" -> "Work around the time home".
    opening_verb_floor: float | None = -5.0  # None: off
    # ... and kept when the audio prefers the sentence decoded from the verb by this many nats: a whole sentence
    # decoded anew, not one word swapped, so it must be likelier than the sentence heard.
    opening_margin: float = 1.0


@dataclass(frozen=True)
class ChunkRequest:
    language: str | None  # an explicit language (wins), or None to choose among `languages`
    languages: Sequence[str] | None  # allowed languages for a multilingual model (None: English only)
    prompt: str | None  # the vocabulary as Whisper's initial prompt (None: no vocabulary)
    vocabulary: tuple[str, ...]  # the identifiers themselves
    trie: TokenTrie | None  # the vocabulary as token sequences (None: no vocabulary)
    fp16: bool  # the model runs in float16
    opens_note: bool = False  # the chunk's words are the note's first: its opening verb may be rescored too
    cancel: threading.Event | None = None  # once set, the chunk's decode stops (DecodeCancelled): a stale chunk


@dataclass(frozen=True)
class ChunkResult:
    segments: Segments  # what was said, with times within the chunk
    language: str  # the language it was decoded in
    diagnostics: dict[str, Any] = field(default_factory=dict)  # which decode won, why, and the signals


def degenerate_reason(decoded: Decoded, reference: Decoded | None, options: CodeAwareOptions) -> str | None:
    """Why `decoded` cannot be trusted (None: it can): a loop, Whisper's compression-ratio test, silence where
    the reference heard speech, or a much lower confidence than the reference decode."""
    if not decoded.text:
        return "empty"
    if decoded.compression_ratio > COMPRESSION_RATIO_LIMIT:
        return f"compression ratio {decoded.compression_ratio:.2f} > {COMPRESSION_RATIO_LIMIT}"
    if is_looped(decoded.text):
        return "repetition loop"
    if reference is not None and decoded.avg_logprob < reference.avg_logprob - options.max_logprob_drop:
        return f"avg logprob {decoded.avg_logprob:.2f} far below plain {reference.avg_logprob:.2f}"
    return None


def _plain(model: Any, features: Any, language: str, request: ChunkRequest, options: CodeAwareOptions,
           duration: float, notes: dict[str, Any]) -> Decoded:
    """The plain decode; when greedy search looped, decoded again where it cannot loop."""
    budget = token_budget(duration)
    plain = decode(model, features, DecodeRequest(language, max_tokens=budget, cancel=request.cancel), request.fp16,
                   duration)
    reason = None if plain.is_silence else degenerate_reason(plain, None, options)
    if not reason:
        return plain
    redecoded: dict[str, Any] = {"reason": reason, "looped_text": plain.text}
    notes["plain_redecoded"] = redecoded
    for beam_size, no_repeat in ((options.loop_beam_size, 0), (None, options.loop_no_repeat_ngram)):
        retry = decode(model, features, DecodeRequest(language, beam_size=beam_size, max_tokens=budget,
                                                      no_repeat_ngram=no_repeat, cancel=request.cancel),
                       request.fp16, duration)
        redecoded.update(beam_size=beam_size, no_repeat_ngram=no_repeat,
                         still_degenerate=degenerate_reason(retry, None, options))
        if redecoded["still_degenerate"] is None:
            return retry
        if len(retry.text) < len(plain.text):
            plain = retry
    return plain


def _aware(model: Any, features: Any, language: str, request: ChunkRequest, options: CodeAwareOptions,
           duration: float) -> Decoded:
    return decode(model, features, DecodeRequest(
        language, prompt=request.prompt if options.use_prompt else None, beam_size=options.beam_size,
        max_tokens=token_budget(duration),
        trie=request.trie if options.use_bias else None, bonus=options.bonus,
        root_bonus=options.root_bonus, cancel=request.cancel), request.fp16, duration)


def merge(plain: Decoded, aware: Decoded, vocabulary: Sequence[str],
          score: Scorer | None = None) -> tuple[Segments, dict[str, Any]]:
    """The plain segments, their words spelled as the code-aware decode spells them; with a scorer, the
    spellings of words the plain decode heard otherwise only where the audio supports them."""
    tokens, owner = _words_of(plain.segments)
    reconciled = reconcile(" ".join(tokens), aware.text, vocabulary)
    pieces = list(reconciled.pieces)
    notes: dict[str, Any] = {"aware_taken": reconciled.aware_taken,
                             "aware_dropped": list(reconciled.aware_dropped)}
    if score is not None:
        pieces, judged = confirmed_substitutions(pieces, score, vocabulary=vocabulary)
        if judged:
            notes["substitutions"] = judged
    else:  # a name only placed over other words stands only where the audio says so
        pieces = reverted(pieces, {index for index, piece in enumerate(pieces) if piece.replaced and not piece.alike})
    segments = _regrouped(plain.segments, [piece.text for piece in pieces], [owner[piece.anchor] for piece in pieces])
    return segments, notes


def _words_of(segments: Segments) -> tuple[list[str], list[int]]:
    """The segments' words, and the segment of each."""
    pairs = [(word, index) for index, (_start, _end, text) in enumerate(segments) for word in text.split()]
    return [word for word, _ in pairs], [index for _, index in pairs]


def _regrouped(segments: Segments, words: Sequence[str], owners: Sequence[int]) -> Segments:
    """`segments` with their words replaced by `words`, each in the segment `owners` names (a segment left
    without words is dropped)."""
    texts: dict[int, list[str]] = {}
    for word, owner in zip(words, owners, strict=True):
        texts.setdefault(owner, []).append(word)
    return tuple((start, end, " ".join(texts[index]))
                 for index, (start, end, _text) in enumerate(segments) if index in texts)


def decode_chunk(model: Any, audio: Samples, request: ChunkRequest,
                 options: CodeAwareOptions = CodeAwareOptions()) -> ChunkResult:
    """One chunk of at most 30 s: encoded once, decoded plain (and code-aware with a vocabulary), reconciled."""
    started = time.perf_counter()
    duration = duration_of(audio)
    features = encode(model, audio, request.fp16)
    stop_if_cancelled(request.cancel)
    choice = choose_language(bool(model.is_multilingual), request.language, request.languages,
                             lambda: language_probabilities(model, features))
    notes: dict[str, Any] = {"language": choice.code, "language_source": choice.source}
    if choice.probability is not None:
        notes["language_probability"] = choice.probability
    plain, aware = _decodes(model, features, choice.code, request, options, duration, notes)
    notes["plain"] = {"text": plain.text, **plain.signals()}
    if plain.is_silence:
        return _finish(ChunkResult((), choice.code, {**notes, "winner": "silence"}), started)
    if aware is None:
        return _finish(ChunkResult(plain.segments, choice.code, {**notes, "winner": "plain",
                                                                 "reason": "no vocabulary"}), started)
    notes["aware"] = {"text": aware.text, **aware.signals()}
    stop_if_cancelled(request.cancel)
    score = None
    if options.rescore is not None and request.vocabulary:
        score = sentence_scorer(model, features, choice.code, request.prompt)
        if request.opens_note:
            plain = _opening_verb(model, features, choice.code, plain, score, request, options, duration, notes)
    result = _judge(plain, aware, choice, request, options, notes, score)
    if score is not None and options.rescore is not None:
        result = _rescored(result, score, request, options.rescore)
    return _finish(result, started)


def _decodes(model: Any, features: Any, language: str, request: ChunkRequest, options: CodeAwareOptions,
             duration: float, notes: dict[str, Any]) -> tuple[Decoded, Decoded | None]:
    """The plain decode, and the code-aware one when there is a vocabulary (None: there is none, or the plain
    decode heard silence). The code-aware decode does not depend on the plain one: on the CPU it runs beside it,
    on a twin of the decoder (decoding.decoder_twin), where each decode's small steps leave a core idle that the
    other takes: both in 30% less time on 2 cores, with the same tokens. A GPU decodes them one after the other."""
    if request.prompt is None and request.trie is None:
        return _plain(model, features, language, request, options, duration, notes), None
    if features.device.type != "cpu":
        plain = _plain(model, features, language, request, options, duration, notes)
        return plain, None if plain.is_silence else _aware(model, features, language, request, options, duration)
    with ThreadPoolExecutor(max_workers=1) as aside:
        pending = aside.submit(_aware, decoder_twin(model), features, language, request, options, duration)
        plain = _plain(model, features, language, request, options, duration, notes)
        return plain, pending.result()


def _opening_verb(model: Any, features: Any, language: str, plain: Decoded, score: Scorer, request: ChunkRequest,
                  options: CodeAwareOptions, duration: float, notes: dict[str, Any]) -> Decoded:
    """The plain decode, or the note decoded again from the opening verb the decoder weighed likeliest at its
    first word when that word is no verb and the audio prefers the sentence from the verb. Rescoring can only
    swap the first word ("Work" for "We're"), after which the rest still follows the wrong word ("the time home
    but we're in this"); decoded from the verb, the rest is heard anew, and that whole sentence is what the audio
    judges (issue04 of the corpus: +8.8 nats)."""
    words = plain.text.split()
    if options.opening_verb_floor is None or options.rescore is None or not words or opens_with_verb(words[0]) \
            or code_shaped(words[0]):
        return plain
    verbs = [word.strip().lower() for word, logprob in first_word_logprobs(model, features, language)
             if logprob >= options.opening_verb_floor and word.strip().lower() in OPENING_VERBS]
    if not verbs:
        return plain
    verb = verbs[0].capitalize()
    opened = decode(model, features, DecodeRequest(language, max_tokens=token_budget(duration),
                                                   opening=text_tokens(model, language, " " + verb),
                                                   cancel=request.cancel), request.fp16, duration)
    if degenerate_reason(opened, None, options):
        return plain
    heard, tried = score([plain.text, opened.text])
    kept = tried - heard > options.opening_margin
    notes["opening_redecoded"] = {"verb": verb, "text": opened.text, "gain": round(tried - heard, 2), "kept": kept}
    return _ended_as(opened, plain) if kept else plain


def _ended_as(decoded: Decoded, heard: Decoded) -> Decoded:
    """`decoded` with the full stop `heard` ends with, where `decoded` ends with none: a decode made to begin
    with a verb sometimes leaves out its punctuation ("... match the ledger to the end"), and the composer needs
    to see where the note ends."""
    ending = heard.text[-1:]
    if ending not in ".!?" or not decoded.segments or decoded.text[-1:] in ".!?,;:":
        return decoded
    *before, (start, end, text) = decoded.segments
    return replace(decoded, text=decoded.text + ending, segments=(*before, (start, end, text + ending)))


def _rescored(result: ChunkResult, score: Scorer, request: ChunkRequest, options: RescoreOptions) -> ChunkResult:
    """The chunk with the identifiers its audio supports written over the words heard for them (rescoring.py)."""
    words, owners = _words_of(result.segments)
    pieces = [(piece, owner) for word, owner in zip(words, owners, strict=True) for piece in chain_pieces(word)]
    words, owners = [piece for piece, _ in pieces], [owner for _, owner in pieces]
    if not words:
        return result
    words, owners, rewritten = rescore(words, owners, request.vocabulary, score, options,
                                       opening=request.opens_note)
    if not rewritten:
        return result
    return replace(result, segments=_regrouped(result.segments, words, owners),
                   diagnostics={**result.diagnostics, "rescored": rewritten})


def _judge(plain: Decoded, aware: Decoded, choice: LanguageChoice, request: ChunkRequest,
           options: CodeAwareOptions, notes: dict[str, Any], score: Scorer | None = None) -> ChunkResult:
    reason = degenerate_reason(aware, plain, options)
    plain_looped = degenerate_reason(plain, None, options) is not None
    if reason is None and (plain_looped or notes.get("plain_redecoded", {}).get("no_repeat_ngram")):
        # Plain search looped, greedy and beam, and the code-aware one did not: the plain decode made not to loop
        # is a worse account of the audio ("RAP-H-T-D-D-K-I-N-T-T-N-T, SEND-IN-A-PAN-...") than a whole
        # code-aware one.
        return ChunkResult(aware.segments, choice.code, {**notes, "winner": "aware", "reason": "plain looped"})
    if reason and (salvaged := _salvage(aware)) is not None:
        # A loop after good words ("max retry.py.py.py..."): the words before it are still worth reconciling.
        notes["aware_salvaged"] = {"reason": reason, "text": salvaged.text}
        aware, reason = salvaged, None
    if reason:
        return ChunkResult(plain.segments, choice.code, {**notes, "winner": "plain", "reason": reason})
    if plain_looped:  # every plain decode looped; the code-aware one's words before its loop
        return ChunkResult(aware.segments, choice.code, {**notes, "winner": "aware", "reason": "plain looped"})
    segments, merged = merge(plain, aware, request.vocabulary, score)
    return ChunkResult(segments, choice.code, {**notes, **merged, "winner": "reconciled"})


def _salvage(aware: Decoded) -> Decoded | None:
    """The code-aware decode with its repetition loop collapsed, if that leaves sound text (None otherwise):
    only for reconciliation, which keeps nothing the plain decode did not hear."""
    text = collapse_loops(aware.text)
    if text == aware.text or not text or is_looped(text):
        text = before_loop(aware.text)  # the words before the loop began
        if text == aware.text or len(text.split()) < 2 or is_looped(text):
            return None  # no loop to cut (a decode off the rails for another reason), or nothing before it
    return replace(aware, text=text, segments=((0.0, aware.end_s, text),), compression_ratio=compression_ratio(text))


def _finish(result: ChunkResult, started: float) -> ChunkResult:
    result.diagnostics["decode_s"] = round(time.perf_counter() - started, 3)
    return result
