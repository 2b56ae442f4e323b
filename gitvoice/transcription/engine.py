"""The Whisper engine: load a model on the chosen device (falling back to CPU once) and transcribe."""

from __future__ import annotations

import base64
import gzip
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, duration_s
from gitvoice.audio.vad import Span, speech_chunks
from gitvoice.core import diagnostics
from gitvoice.core.errors import DecodeCancelled, ModelError, NoSpeechError
from gitvoice.transcription import decoder_steps
from gitvoice.transcription.device import (
    DeviceChoice,
    choose_device,
    cpu_weights,
    fallback_to_cpu,
    probe_backends,
    without_int8,
)
from gitvoice.transcription.loops import collapse_loops
from gitvoice.transcription.models import ModelSource, find_model
from gitvoice.transcription.quantized import quantize_linear_layers, quantized_engine
from gitvoice.transcription.torch_runtime import torch_module
from gitvoice.transcription.weights import load_checkpoint, verified_ahead

if TYPE_CHECKING:  # these import torch and whisper: loaded on the first decode, not with the CLI
    from gitvoice.transcription.biasing import TokenTrie
    from gitvoice.transcription.codeaware import ChunkRequest, ChunkResult, CodeAwareOptions

Notice = Callable[[str], None]
WINDOW_SAMPLES = 30 * SAMPLE_RATE_HZ  # Whisper's window: a longer chunk is decoded in pieces this long
# Whisper sometimes ends a window's text early: on a 30 s chunk tiny.en stopped after 24 s and dropped the last
# sentence. A chunk keeps no pause longer than vad.JOIN_GAP_S plus its padding (1.4 s), so more undecoded audio
# than this at the end of a window is speech it skipped: the window is decoded again from where its text ended.
RESUME_AFTER_S = 1.5
MIN_RESUME_ADVANCE_S = 1.0  # a decode that covered less than this starts no second one (it would repeat itself)
log = logging.getLogger("gitvoice")


def _log_notice(line: str) -> None:
    """The default notice: a warning on gitvoice's logger, which the CLI and the hook entry show on stderr."""
    log.warning(line)


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Transcript:
    text: str
    segments: list[Segment]
    language: str
    model: str
    device: str
    dtype: str
    audio_s: float
    load_s: float
    transcribe_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data.update(self.extra)
        return data


def alignment_heads_dump(heads: list[list[int]], n_layers: int, n_heads: int) -> bytes:
    """Encode [[layer, head], ...] the way whisper's set_alignment_heads() reads it (b85 of gzip of bools)."""
    mask = np.zeros((n_layers, n_heads), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


@contextmanager
def _skip_random_init() -> Iterator[None]:
    """Skip torch's random weight initialisation while building a model whose weights are loaded right after:
    it is most of the build time (about 0.5 s of 0.6 s for tiny.en on 2 CPU cores)."""
    torch = torch_module()
    names = ("kaiming_uniform_", "uniform_", "normal_", "trunc_normal_", "xavier_uniform_")
    saved = {name: getattr(torch.nn.init, name) for name in names}
    try:
        for name in names:
            setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
        yield
    finally:
        for name, function in saved.items():
            setattr(torch.nn.init, name, function)


def build_whisper(checkpoint: dict[str, Any]) -> Any:
    """A whisper.model.Whisper on the CPU in fp32, loaded strictly from `checkpoint`."""
    torch = torch_module()
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(**checkpoint["dims"])
    with _skip_random_init():
        model = Whisper(dims)
    state = {k: v.to(torch.float32) for k, v in checkpoint["model_state_dict"].items()}
    model.load_state_dict(state, strict=True)
    heads = checkpoint.get("alignment_heads")
    if heads:
        model.set_alignment_heads(alignment_heads_dump(heads, dims.n_text_layer, dims.n_text_head))
    return model.eval()


def usable(choice: DeviceChoice) -> DeviceChoice:
    """`choice`, with float32 weights where it asks for int8 and this torch cannot quantize for this CPU."""
    if choice.dtype == "int8" and quantized_engine() is None:
        log.info("no quantized engine in this torch for this CPU: float32 weights")
        return without_int8(choice)
    return choice


def move_to_device(model: Any, choice: DeviceChoice) -> Any:
    """`model` (float32, or float16 coming back from a GPU) on `choice`'s device in its dtype: int8 quantizes
    the Linear layers after loading (gitvoice.transcription.quantized): the cache keeps the published weights."""
    torch = torch_module()
    if choice.device == "mps":
        # .to("mps") fails on sparse tensors (no SparseMPS backend): keep alignment heads dense.
        # Word timestamps need the sparse form, so gitvoice never asks for them on MPS.
        model.register_buffer("alignment_heads", model.alignment_heads.to_dense(), persistent=False)
    model = model.to(choice.device)
    if choice.dtype == "float16":
        return model.half()
    model = model.to(torch.float32)
    if choice.device == "cpu":
        transpose_vocabulary_storage(model)
        decoder_steps.install(model, end_of_text(model))
    if choice.dtype == "int8":
        quantize_linear_layers(model)
    return model


def end_of_text(model: Any) -> int:
    """The end-of-text token's id: every id before it is text."""
    from gitvoice.transcription.decoding import tokenizer_for

    return int(tokenizer_for(model, "en").eot)


def transpose_vocabulary_storage(model: Any) -> None:
    """Store the token embedding transposed, (n_state, n_vocab) in memory, seen as the usual (n_vocab, n_state).

    Whisper's decoder computes every step's logits as `x @ weight.T`, a product with all 51,864 tokens. On
    the CPU, MKL's kernel for that transposed operand took 14 ms a step for tiny.en on 2 cores, and 7 ms with
    the operand contiguous: the whole decoder 30% faster, the same tokens. The model keeps one copy of the
    weight; looking tokens up in it reads across the storage, which is cheap for the few tokens of a step."""
    embedding = model.decoder.token_embedding
    if not embedding.weight.is_contiguous():
        return
    transposed = embedding.weight.detach().t().contiguous()
    embedding.weight = type(embedding.weight)(transposed.t(), requires_grad=False)


class WhisperEngine:
    """A loaded model. Not thread-safe: use one transcription at a time."""

    def __init__(self, model: Any, source: ModelSource, choice: DeviceChoice, load_s: float,
                 notice: Notice = _log_notice, *, weights: str | None = None) -> None:
        self.model = model
        self.source = source
        self.choice = choice
        self.weights = cpu_weights(weights)  # on the CPU, also after a GPU fails over to it
        self.load_s = load_s
        self._notice = notice
        self._fell_back = False
        self._prompts: dict[tuple[str, ...], str | None] = {}
        self._tries: dict[tuple[str, ...], TokenTrie | None] = {}
        from gitvoice.transcription.codeaware import CodeAwareOptions

        self.code_aware: CodeAwareOptions = CodeAwareOptions()  # how a chunk with a vocabulary is decoded
        self.last_chunk_diagnostics: list[dict[str, Any]] = []  # per 30 s window of the last chunk decoded

    @property
    def english_only(self) -> bool:
        return not bool(self.model.is_multilingual)

    def prompt_for(self, vocabulary: Sequence[str]) -> str | None:
        """Whisper's initial prompt for `vocabulary` (None without one), within the prompt's token budget."""
        if not vocabulary:
            return None
        key = tuple(vocabulary)
        if key not in self._prompts:
            from gitvoice.transcription.prompt import build_prompt

            self._prompts[key] = build_prompt(key, multilingual=not self.english_only)
        return self._prompts[key]

    def trie_for(self, vocabulary: Sequence[str]) -> TokenTrie | None:
        """The vocabulary's token trie for biasing the search (None without a vocabulary)."""
        if not vocabulary:
            return None
        key = tuple(vocabulary)
        if key not in self._tries:
            from gitvoice.transcription.biasing import build_trie
            from gitvoice.transcription.decoding import tokenizer_for

            self._tries[key] = build_trie(key, tokenizer_for(self.model, "en"))
        return self._tries[key]

    def _decode(self, audio: Samples, request: ChunkRequest) -> ChunkResult:
        from gitvoice.transcription.codeaware import decode_chunk

        return decode_chunk(self.model, audio, request, self.code_aware)

    def _decode_with_fallback(self, audio: Samples, vocabulary: Sequence[str], language: str | None,
                              languages: Sequence[str] | None, opens_note: bool = False,
                              cancel: threading.Event | None = None) -> ChunkResult:
        from gitvoice.transcription.codeaware import ChunkRequest

        def request() -> ChunkRequest:  # fp16 changes when the GPU fails over to the CPU
            return ChunkRequest(language=language, languages=languages, prompt=self.prompt_for(vocabulary),
                                vocabulary=tuple(vocabulary), trie=self.trie_for(vocabulary),
                                fp16=self.choice.dtype == "float16", opens_note=opens_note, cancel=cancel)

        try:
            return self._decode(audio, request())
        except DecodeCancelled:
            raise
        except Exception as exc:  # torch raises RuntimeError, AssertionError, NotImplementedError...
            if not self.choice.is_gpu or self._fell_back:
                raise
            choice, message = fallback_to_cpu(self.choice, exc, self.weights)
            self.choice = usable(choice)
            self._fell_back = True
            self._notice(message)
            self.model = move_to_device(self.model.to("cpu"), self.choice)
            diagnostics.record(device=self.choice.device, dtype=self.choice.dtype)
            return self._decode(audio, request())

    def transcribe_chunk(self, audio: Samples, offset_s: float = 0.0, vocabulary: Sequence[str] = (),
                         language: str | None = None, *, languages: Sequence[str] | None = None,
                         opens_note: bool = False, cancel: threading.Event | None = None) -> tuple[list[Segment], str]:
        """Segments (times offset by `offset_s`) and the language of one chunk (VAD keeps them under 30 s;
        a longer one is decoded 30 s at a time, never conditioned on the text before; a window whose text ends
        early is decoded again from there, see RESUME_AFTER_S). `vocabulary` (words to spell as the code does) may
        change how words are spelled, never which words are heard. A multilingual model decodes in `language` if
        given, else in the likeliest of `languages` (default: English). `opens_note`: the chunk is the start of
        the note, whose first word the subject is made from (codeaware.ChunkRequest). Setting `cancel` stops the
        decode (DecodeCancelled), for a live chunk no longer wanted."""
        if isinstance(vocabulary, str):  # one word, not a sequence of characters
            vocabulary = (vocabulary,)
        segments: list[Segment] = []
        self.last_chunk_diagnostics = []
        start = 0
        while start < max(len(audio), 1):
            window = audio[start : start + WINDOW_SAMPLES]
            result = self._decode_with_fallback(window, vocabulary, language, languages, opens_note and start == 0,
                                                cancel)
            window_s = offset_s + start / SAMPLE_RATE_HZ
            segments += [Segment(round(window_s + begin, 2), round(window_s + end, 2), text)
                         for begin, end, raw in result.segments if (text := collapse_loops(raw.strip()))]
            language = result.language  # later windows: the language the first one chose
            start += self._advance(result.segments, len(window), result.diagnostics)
            self.last_chunk_diagnostics.append(result.diagnostics)
        return segments, language or "en"

    @staticmethod
    def _advance(decoded: Sequence[tuple[float, float, str]], window_samples: int, notes: dict[str, Any]) -> int:
        """How far the next decode starts after this window: the whole window, or where its text ended when
        Whisper left RESUME_AFTER_S of it undecoded (noted as `resumed_at_s`)."""
        covered_s = max((end for _begin, end, _text in decoded), default=0.0)
        if decoded and MIN_RESUME_ADVANCE_S <= covered_s <= window_samples / SAMPLE_RATE_HZ - RESUME_AFTER_S:
            notes["resumed_at_s"] = covered_s
            return int(covered_s * SAMPLE_RATE_HZ)
        return WINDOW_SAMPLES

    def transcribe(self, audio: Samples, *, vocabulary: Sequence[str] = (), language: str | None = None,
                   source_name: str = "audio", chunks: list[Span] | None = None,
                   on_progress: Callable[[int, int], None] | None = None,
                   languages: Sequence[str] | None = None) -> Transcript:
        """Transcribe speech chunk by chunk (VAD, split at pauses); NoSpeechError when there is none."""
        started = time.perf_counter()
        chunks = speech_chunks(audio) if chunks is None else chunks
        if not chunks:
            raise NoSpeechError(f"no speech detected in {source_name}",
                                hint="check the microphone level, or record again closer to it")
        segments: list[Segment] = []
        detected = language
        decoding: list[dict[str, Any]] = []
        for index, chunk in enumerate(chunks):
            if on_progress:
                on_progress(index, len(chunks))
            chunk_segments, detected = self.transcribe_chunk(
                audio[chunk.start : chunk.end], chunk.start_s, vocabulary, detected, languages=languages,
                opens_note=index == 0)
            segments.extend(chunk_segments)
            decoding += [{"chunk": index, **notes} for notes in self.last_chunk_diagnostics]
        if on_progress:
            on_progress(len(chunks), len(chunks))
        text = " ".join(s.text for s in segments).strip()
        if not text:
            raise NoSpeechError(f"no speech detected in {source_name}",
                                hint="check the microphone level, or record again closer to it")
        return Transcript(
            text=text,
            segments=segments,
            language=detected or "en",
            model=self.source.name,
            device=self.choice.device,
            dtype=self.choice.dtype,
            audio_s=round(duration_s(audio), 3),
            load_s=round(self.load_s, 3),
            transcribe_s=round(time.perf_counter() - started, 3),
            extra={"decoding": decoding},
        )


def load_engine(model_spec: str, device_request: str = "auto", notice: Notice = _log_notice, *,
                weights: str | None = None) -> WhisperEngine:
    """Find, convert (first time), verify and load a model on the best device, falling back to CPU once.
    `weights` is voice.cpuWeights (int8 or float32; None: $GITVOICE_CPU_WEIGHTS, else float32): the CPU's dtype."""
    started = time.perf_counter()
    source = find_model(model_spec)
    weights = cpu_weights(weights)
    ahead = verified_ahead(source)  # hashing the cached weights while torch imports (probe_backends)
    choice = usable(choose_device(device_request, probe_backends(), weights))
    diagnostics.record(model=source.name, device=choice.device, dtype=choice.dtype)
    checkpoint, _path = load_checkpoint(source, ahead)
    try:
        model = build_whisper(checkpoint)
    except (RuntimeError, KeyError, TypeError) as exc:
        raise ModelError(f"model {source.name} does not load into Whisper: {exc}".splitlines()[0],
                         hint="the model files may be damaged; reinstall the model package") from exc
    try:
        model = move_to_device(model, choice)
    except Exception as exc:  # torch raises RuntimeError, AssertionError, NotImplementedError...
        if not choice.is_gpu:
            raise
        choice, message = fallback_to_cpu(choice, exc, weights)
        choice = usable(choice)
        notice(message)
        model = move_to_device(model.to("cpu"), choice)
        diagnostics.record(device=choice.device, dtype=choice.dtype)
    return WhisperEngine(model, source, choice, time.perf_counter() - started, notice, weights=weights)
