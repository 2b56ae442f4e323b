"""The one place that decides where speech is transcribed: here (the Whisper engine, loaded in this process) or on a
server (voice.server: `auto` for a local `git voice serve`, or a URL of any OpenAI-compatible server).

With a server, this process imports no torch and no whisper: the audio goes out as WAV, the code vocabulary as the
prompt, and restoring the code's spellings stays here (pipeline/transcript.py); a live recording finds its pauses
with the torch-free energy VAD (`live_vad_kind`).
A server that is down, slow or wrong falls back to the local engine (voice.serverFallback=local, the default,
with a one-line notice) or fails with one line that names the server and the fix (=error).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Union

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, duration_s
from gitvoice.config import settings
from gitvoice.core.errors import UsageError
from gitvoice.service.client import ServiceClient, ServiceUnavailable
from gitvoice.service.wire import RemoteSegment, RemoteTranscript, wav_bytes

if TYPE_CHECKING:
    from gitvoice.audio.vad import Span
    from gitvoice.transcription.engine import Segment, Transcript, WhisperEngine

AnyTranscript = Union["Transcript", RemoteTranscript]
AnySegment = Union["Segment", RemoteSegment]
API_KEY_VARIABLES = ("GITVOICE_SERVER_API_KEY", "OPENAI_API_KEY")  # never git config: it would end up in a repo
SERVER_OFF = ("", "off", "local", "false", "no", "0")
CPU_WEIGHTS = ("int8", "float32")  # as transcription.device.CPU_WEIGHTS (tests/transcription/test_quantized.py)
log = logging.getLogger("gitvoice")


def cpu_weights(cwd: Path | None = None, flag_value: str | None = None) -> str:
    """voice.cpuWeights, checked: the weights Whisper runs with on the CPU, here and in a service started here."""
    resolved = settings.resolve_with_source(settings.CPU_WEIGHTS, flag_value, cwd)
    value = resolved.value.strip().lower()
    if value not in CPU_WEIGHTS:
        where = {"flag": "--cpu-weights", "git config": "git config voice.cpuWeights"}.get(
            resolved.source, settings.CPU_WEIGHTS.env)
        raise UsageError(f"{where}: {resolved.value!r} is not int8 or float32",
                         hint="git config voice.cpuWeights float32 (the published weights) or int8 (faster on the CPU)")
    return value


def uses_server(cwd: Path | None = None) -> bool:
    """Whether voice.server sends speech to a server (so nothing here needs torch)."""
    return settings.resolve(settings.SERVER, None, cwd).strip().lower() not in SERVER_OFF


def live_vad_kind(cwd: Path | None = None) -> str:
    """The VAD a live recording uses: silero here; with a server, the energy VAD, which needs no torch."""
    return "energy" if uses_server(cwd) else "silero"


@dataclass(frozen=True)
class ServerChoice:
    """Where voice.server points, resolved (None from `server_choice`: transcribe here)."""

    setting: str  # "auto" or the URL, as configured
    fallback_local: bool  # voice.serverFallback
    timeout_s: float
    model: str  # what to ask the server for
    idle_s: float  # for a service that `auto` starts
    weights: str | None = None  # voice.cpuWeights, for a service that `auto` starts and for the local fallback


def server_choice(model: str, cwd: Path | None = None) -> ServerChoice | None:
    value = settings.resolve(settings.SERVER, None, cwd).strip()
    if value.lower() in SERVER_OFF:
        return None
    fallback = settings.resolve(settings.SERVER_FALLBACK, None, cwd).strip().lower()
    if fallback not in ("local", "error"):
        raise UsageError(f"voice.serverFallback is {fallback!r}, not local or error",
                         hint="git config voice.serverFallback local (or error)")
    return ServerChoice(value if value.lower() != "auto" else "auto", fallback == "local",
                        _seconds(settings.SERVER_TIMEOUT_SECONDS, cwd),
                        settings.resolve(settings.SERVER_MODEL, None, cwd) or model,
                        _seconds(settings.SERVER_IDLE_SECONDS, cwd), cpu_weights(cwd))


def _seconds(setting: settings.Setting, cwd: Path | None) -> float:
    value = settings.resolve(setting, None, cwd)
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise UsageError(f"{setting.git_key} is {value!r}, not a number of seconds",
                         hint=f"git config {setting.git_key} {setting.default}")
    return seconds


def server_client(choice: ServerChoice, model: str, device: str) -> ServiceClient:
    """A client for the configured server; `auto` starts the local service first when none is running."""
    from gitvoice.service import runtime

    if choice.setting == "auto":
        state = runtime.start_in_background([model], device, choice.idle_s, weights=choice.weights)
        return runtime.client_for(state, choice.timeout_s)
    key = next((os.environ[name] for name in API_KEY_VARIABLES if os.environ.get(name)), None)
    if key is None:  # `git voice serve` in a terminal, named by its URL: its token is in the state file
        local = runtime.read_state()
        if local is not None and local.url.rstrip("/") == choice.setting.rstrip("/").removesuffix("/v1"):
            key = local.token
    return ServiceClient(choice.setting, key, choice.timeout_s,
                         fix_hint="start it, check voice.server and GITVOICE_SERVER_API_KEY, or transcribe here "
                         "with `git config voice.server off`")


class ServedEngine:
    """Transcribes on a server, falling back to a local engine (loaded only then) when allowed."""

    def __init__(self, choice: ServerChoice, model: str, device: str) -> None:
        self.choice = choice
        self.model = model
        self.device = device
        self.local: WhisperEngine | None = None
        self._client: ServiceClient | None = None

    @property
    def client(self) -> ServiceClient:
        if self._client is None:
            self._client = server_client(self.choice, self.model, self.device)
        return self._client

    def _fall_back(self, error: ServiceUnavailable) -> WhisperEngine:
        if not self.choice.fallback_local:
            raise error
        if self.local is None:
            from gitvoice.transcription.engine import load_engine

            log.warning(f"{error.message}; transcribing here instead")
            self.local = load_engine(self.model, self.device, weights=self.choice.weights)
        return self.local

    def transcribe(self, samples: Samples, *, vocabulary: Sequence[str] = (), language: str | None = None,
                   languages: Sequence[str] | None = None, source_name: str = "audio",
                   on_progress: Callable[[int, int], None] | None = None,
                   chunks: list[Span] | None = None) -> AnyTranscript:
        """The server's transcript (it finds the speech itself), or, after falling back, the local engine's
        (over `chunks` when the caller already found them)."""
        if self.local is None:
            try:
                return self.client.transcribe(wav_bytes(samples), model=self.choice.model,
                                              audio_s=duration_s(samples), vocabulary=vocabulary,
                                              language=language, languages=languages or (),
                                              source_name=source_name)
            except ServiceUnavailable as error:
                self._fall_back(error)
        assert self.local is not None
        return self.local.transcribe(samples, vocabulary=vocabulary, language=language, languages=languages,
                                     source_name=source_name, on_progress=on_progress, chunks=chunks)

    def transcribe_chunk(self, audio: Samples, offset_s: float = 0.0, vocabulary: Sequence[str] = (),
                         language: str | None = None, *, languages: Sequence[str] | None = None,
                         opens_note: bool = False, cancel: threading.Event | None = None,
                         ) -> tuple[list[AnySegment], str]:
        """One chunk of a live recording, decoded on the server as the local engine would decode it (`cancel`
        stops a local decode; a request sent to the server runs to its end)."""
        if self.local is None:
            try:
                result = self.client.transcribe(wav_bytes(audio), model=self.choice.model,
                                                audio_s=len(audio) / SAMPLE_RATE_HZ, vocabulary=vocabulary,
                                                language=language, languages=languages or (), offset_s=offset_s,
                                                chunk=True, opens_note=opens_note)
                return list(result.segments), result.language
            except ServiceUnavailable as error:
                self._fall_back(error)
        assert self.local is not None
        segments, detected = self.local.transcribe_chunk(audio, offset_s, vocabulary, language, languages=languages,
                                                         opens_note=opens_note, cancel=cancel)
        return list(segments), detected


SpeechEngine = Union["WhisperEngine", ServedEngine]


def speech_engine(model: str, device: str, cwd: Path | None = None) -> SpeechEngine:
    """The engine every command transcribes with: a server's when voice.server names one, else Whisper here."""
    return engine_for(server_choice(model, cwd), model, device, cwd)


def engine_for(choice: ServerChoice | None, model: str, device: str, cwd: Path | None = None) -> SpeechEngine:
    """The engine `choice` (server_choice's answer, for a caller that already has it) names: Whisper here when
    it is None."""
    if choice is None:
        from gitvoice.transcription.engine import load_engine

        return load_engine(model, device, weights=cpu_weights(cwd))
    engine = ServedEngine(choice, model, device)
    try:
        engine.client  # noqa: B018 -- `auto` starts the service now, not in the middle of the first decode
    except ServiceUnavailable as error:
        engine._fall_back(error)
    return engine


@dataclass(frozen=True)
class EngineFacts:
    model: str
    device: str
    dtype: str
    load_s: float


def engine_facts(engine: SpeechEngine) -> EngineFacts:
    """Which model ran where, for a transcript's fields."""
    if isinstance(engine, ServedEngine):
        if engine.local is None:
            return EngineFacts(engine.choice.model, engine.client.url, "", 0.0)
        engine = engine.local
    return EngineFacts(engine.source.name, engine.choice.device, engine.choice.dtype, engine.load_s)


def transcript_class(engine: SpeechEngine) -> type[Transcript] | type[RemoteTranscript]:
    """The transcript type to build from `engine`'s segments: the engine's own only where torch is loaded anyway."""
    if isinstance(engine, ServedEngine) and engine.local is None:
        return RemoteTranscript
    from gitvoice.transcription.engine import Transcript

    return Transcript
