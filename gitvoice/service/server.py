"""`git voice serve`: gitvoice's Whisper engine behind OpenAI's audio transcription API, on the loopback interface.

Who may use it: whoever holds the bearer token in the state file (runtime.py, mode 0600); the health check alone
needs none. The Host header must name the loopback address (a DNS-rebinding page would send its own name).
What it reads: only the request's body, capped before it is read and within a time limit; an upload becomes a
temporary file with a name of our own, never a path from the request. One decode at a time per model: the others
wait in line (at most MAX_WAITING, each at most QUEUE_WAIT_S), then get 503.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitvoice.audio.files import read_audio
from gitvoice.core.errors import AudioError, GitVoiceError, NoSpeechError
from gitvoice.service.wire import (
    CHUNK_FIELD,
    CHUNK_OPENING,
    DEFAULT_MODEL_ALIAS,
    HEALTH_PATH,
    LANGUAGES_FIELD,
    MAX_VOCABULARY_WORDS,
    MODELS_PATH,
    RESPONSE_FORMATS,
    SHUTDOWN_PATH,
    TRANSCRIPTIONS_PATH,
    VOCABULARY_FIELD,
    json_list,
    subtitles,
    words_from_prompt,
)

if TYPE_CHECKING:
    from gitvoice.transcription.engine import WhisperEngine

LOOPBACK = "127.0.0.1"
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # OpenAI's own cap; 25 MB of 16 kHz WAV is 13 minutes of speech
MAX_FIELD_CHARS = 8_000  # a prompt or a word list; OpenAI's prompt is at most 224 tokens
BODY_DEADLINE_S = 60.0  # the whole upload must arrive within this; a stalled client does not hold a thread
SOCKET_TIMEOUT_S = 20.0  # and no single read may stall longer than this
QUEUE_WAIT_S = 300.0  # the longest a request waits for the model before 503
MAX_WAITING = 16  # requests waiting for one model beyond this get 503 at once
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".mpga", ".mpeg", ".m4a", ".mp4", ".webm")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
log = logging.getLogger("gitvoice")

LoadEngine = Callable[..., "WhisperEngine"]  # load_engine(model, device, weights=...)


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind


@dataclass
class _Model:
    spec: str  # as given to --model: a name or (the server's own argument, never a request's) a path
    engine: WhisperEngine
    lock: threading.Lock = field(default_factory=threading.Lock)
    waiting: int = 0


@dataclass(frozen=True)
class TranscriptionRequest:
    audio: bytes
    file_name: str
    model: str
    language: str | None
    vocabulary: list[str]
    languages: list[str]
    chunk: bool
    response_format: str
    opens_note: bool = False  # the first chunk of a live recording


class TranscriptionService:
    """The loaded models, the one-decode-at-a-time rule, and the idle clock."""

    def __init__(self, engines: Sequence[tuple[str, WhisperEngine]], token: str, idle_s: float = 0.0) -> None:
        self.models = [_Model(spec, engine) for spec, engine in engines]
        self.token = token
        self.idle_s = idle_s
        self.started = int(time.time())
        self.last_active = time.monotonic()
        self.in_flight = 0
        self._count_lock = threading.Lock()

    def model_for(self, name: str) -> _Model:
        """The model a request names: its spec, its model's name, or OpenAI's `whisper-1` for the first one."""
        if name in ("", DEFAULT_MODEL_ALIAS):
            return self.models[0]
        for model in self.models:
            if name in (model.spec, model.engine.source.name):
                return model
        served = ", ".join(model.spec for model in self.models)
        raise HttpError(HTTPStatus.NOT_FOUND, f"model {name!r} is not served here (served: {served})",
                        "model_not_found")

    def busy(self) -> Busy:
        return Busy(self)

    def is_idle_for_too_long(self) -> bool:
        return self.idle_s > 0 and self.in_flight == 0 and time.monotonic() - self.last_active > self.idle_s

    def transcribe(self, request: TranscriptionRequest) -> dict[str, Any]:
        model = self.model_for(request.model)
        samples = _decoded(request.audio, request.file_name)
        with self._count_lock:
            if model.waiting >= MAX_WAITING:
                raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "too many requests are waiting", "server_busy")
            model.waiting += 1
        try:
            if not model.lock.acquire(timeout=QUEUE_WAIT_S):
                raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "the model stayed busy too long", "server_busy")
        finally:
            with self._count_lock:
                model.waiting -= 1
        try:
            return _transcribed(model.engine, samples, request)
        finally:
            model.lock.release()


class Busy:
    """Counts a request as in flight (the idle clock does not run while one is)."""

    def __init__(self, service: TranscriptionService) -> None:
        self.service = service

    def __enter__(self) -> None:
        with self.service._count_lock:
            self.service.in_flight += 1
            self.service.last_active = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        with self.service._count_lock:
            self.service.in_flight -= 1
            self.service.last_active = time.monotonic()


def _decoded(audio: bytes, file_name: str) -> Any:
    """The upload's samples at 16 kHz, read from a temporary file whose name is ours (only the suffix, from a
    fixed list, follows the upload's name: it tells the decoder the container)."""
    suffix = Path(file_name).suffix.lower()
    suffix = suffix if suffix in AUDIO_SUFFIXES else ".wav"
    with tempfile.TemporaryDirectory(prefix="gitvoice-serve-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(audio)
        try:
            return read_audio(path)
        except AudioError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"the file is not audio gitvoice can read: "
                                                    f"{error.message.replace(str(path), 'the upload')}") from None


def _transcribed(engine: WhisperEngine, samples: Any, request: TranscriptionRequest) -> dict[str, Any]:
    """verbose_json (OpenAI's fields, plus gitvoice's under `x_gitvoice`)."""
    started = time.perf_counter()
    languages = request.languages or None
    if request.chunk:  # a chunk of a live recording: decoded as the local streaming path decodes it
        segments, language = engine.transcribe_chunk(samples, 0.0, request.vocabulary, request.language,
                                                     languages=languages, opens_note=request.opens_note)
        pieces = [(s.start_s, s.end_s, s.text) for s in segments]
    else:
        try:
            transcript = engine.transcribe(samples, vocabulary=request.vocabulary, language=request.language,
                                           languages=languages, source_name="the upload")
            pieces = [(s.start_s, s.end_s, s.text) for s in transcript.segments]
            language = transcript.language
        except NoSpeechError:  # OpenAI answers silence with an empty text, not an error
            pieces, language = [], request.language or "en"
    duration = len(samples) / 16_000
    return {
        "task": "transcribe", "language": language, "duration": round(duration, 3),
        "text": " ".join(text for _s, _e, text in pieces).strip(),
        "segments": [{"id": index, "seek": 0, "start": start, "end": end, "text": text, "tokens": [],
                      "temperature": 0.0, "avg_logprob": 0.0, "compression_ratio": 0.0, "no_speech_prob": 0.0}
                     for index, (start, end, text) in enumerate(pieces)],
        "x_gitvoice": {"model": engine.source.name, "device": engine.choice.device, "dtype": engine.choice.dtype,
                       "transcribe_s": round(time.perf_counter() - started, 3)},
    }


def rendered(answer: dict[str, Any], response_format: str) -> tuple[bytes, str]:
    """The answer in the requested format, with its content type."""
    if response_format == "verbose_json":
        return json.dumps(answer).encode(), "application/json"
    if response_format == "json":
        return json.dumps({"text": answer["text"]}).encode(), "application/json"
    if response_format == "text":
        return (answer["text"] + "\n").encode(), "text/plain; charset=utf-8"
    cues = [(s["start"], s["end"], s["text"]) for s in answer["segments"]]
    vtt = response_format == "vtt"
    return subtitles(cues, vtt).encode(), "text/vtt; charset=utf-8" if vtt else "text/plain; charset=utf-8"


def parse_form(content_type: str, body: bytes) -> TranscriptionRequest:
    """The fields of a multipart/form-data transcription request; HttpError 400 for anything malformed."""
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise HttpError(HTTPStatus.BAD_REQUEST, "send multipart/form-data with a file field")
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body)
    if not message.is_multipart() or message.defects:
        raise HttpError(HTTPStatus.BAD_REQUEST, "the multipart/form-data body is malformed")
    fields: dict[str, str] = {}
    audio: tuple[bytes, str] | None = None
    for part in message.iter_parts():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        if part.defects or not isinstance(name, str):
            raise HttpError(HTTPStatus.BAD_REQUEST, "a form part has no name")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if name == "file":
            audio = (data, part.get_filename() or "upload.wav")
        elif len(data) > MAX_FIELD_CHARS:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"the field {name} is too long")
        else:
            fields[name] = data.decode("utf-8", "replace")
    if audio is None or not audio[0]:
        raise HttpError(HTTPStatus.BAD_REQUEST, "the file field is missing or empty", "invalid_request_error")
    return _request(fields, audio)


def _request(fields: dict[str, str], audio: tuple[bytes, str]) -> TranscriptionRequest:
    response_format = fields.get("response_format", "json") or "json"
    if response_format not in RESPONSE_FORMATS:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"response_format must be one of {', '.join(RESPONSE_FORMATS)}")
    language = fields.get("language", "").strip().lower() or None
    if language is not None and not _LANGUAGE.match(language):
        raise HttpError(HTTPStatus.BAD_REQUEST, "language must be an ISO 639-1 code such as en")
    try:
        float(fields.get("temperature", "0") or "0")  # accepted; the engine chooses its own fallback temperatures
        if VOCABULARY_FIELD in fields:  # a gitvoice client: its words, not the prompt built from them
            vocabulary = json_list(fields[VOCABULARY_FIELD], MAX_VOCABULARY_WORDS)
        else:
            vocabulary = words_from_prompt(fields.get("prompt", ""))
        languages = json_list(fields[LANGUAGES_FIELD], 100) if LANGUAGES_FIELD in fields else []
    except ValueError as error:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"a form field is malformed: {error}") from None
    if not all(_LANGUAGE.match(code) for code in languages):
        raise HttpError(HTTPStatus.BAD_REQUEST, f"{LANGUAGES_FIELD} must list ISO 639-1 codes")
    return TranscriptionRequest(audio[0], audio[1], fields.get("model", ""), language, vocabulary, languages,
                                fields.get(CHUNK_FIELD) in ("1", CHUNK_OPENING), response_format,
                                fields.get(CHUNK_FIELD) == CHUNK_OPENING)


class ServiceHandler(BaseHTTPRequestHandler):
    server: ServiceServer
    protocol_version = "HTTP/1.1"
    server_version = "gitvoice-serve"
    sys_version = ""
    timeout = SOCKET_TIMEOUT_S  # applied to the socket: no read may stall longer

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request in the log (health checks, which clients poll, aside)."""
        if not self.path.startswith(HEALTH_PATH):
            log.info("%s %s", time.strftime("%Y-%m-%d %H:%M:%S"), format % args)

    def do_GET(self) -> None:
        self._respond(self._get)

    def do_POST(self) -> None:
        self._respond(self._post)

    def _respond(self, route: Callable[[str], tuple[HTTPStatus, bytes, str]]) -> None:
        service = self.server.service
        path = self.path.split("?")[0]
        with service.busy():
            try:
                self._check_host()
                status, body, kind = route(path)
            except HttpError as error:
                status, kind = error.status, "application/json"
                body = json.dumps({"error": {"message": error.message, "type": error.kind, "param": None,
                                             "code": None}}).encode()
                if status in (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.BAD_REQUEST,
                              HTTPStatus.LENGTH_REQUIRED):
                    self.close_connection = True  # the rest of the body may be unread
            except GitVoiceError as error:
                status, kind = HTTPStatus.INTERNAL_SERVER_ERROR, "application/json"
                body = json.dumps({"error": {"message": error.message, "type": "server_error", "param": None,
                                             "code": None}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Bearer realm="gitvoice"')
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _check_host(self) -> None:
        port = self.server.server_address[1]
        if self.headers.get("Host", "") not in (f"{LOOPBACK}:{port}", f"localhost:{port}"):
            raise HttpError(HTTPStatus.FORBIDDEN, "this server answers only to 127.0.0.1 and localhost")

    def _check_token(self) -> None:
        given = self.headers.get("Authorization", "")
        expected = f"Bearer {self.server.service.token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise HttpError(HTTPStatus.UNAUTHORIZED, "a valid API key is needed (the token in gitvoice's "
                            "server.json)", "invalid_api_key")

    def _get(self, path: str) -> tuple[HTTPStatus, bytes, str]:
        service = self.server.service
        if path == HEALTH_PATH:
            return HTTPStatus.OK, json.dumps({"status": "ok", "pid": os.getpid()}).encode(), "application/json"
        self._check_token()
        if path == MODELS_PATH:
            data = [{"id": model.spec, "object": "model", "created": service.started, "owned_by": "gitvoice"}
                    for model in service.models]
            return HTTPStatus.OK, json.dumps({"object": "list", "data": data}).encode(), "application/json"
        raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint: GET {path}")

    def _post(self, path: str) -> tuple[HTTPStatus, bytes, str]:
        self._check_token()
        if path == SHUTDOWN_PATH:
            self._read_body()
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return HTTPStatus.OK, b'{"status": "stopping"}', "application/json"
        if path != TRANSCRIPTIONS_PATH:
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such endpoint: POST {path}")
        request = parse_form(self.headers.get("Content-Type", ""), self._read_body())
        body, kind = rendered(self.server.service.transcribe(request), request.response_format)
        return HTTPStatus.OK, body, kind

    def _read_body(self) -> bytes:
        """The request body: its length declared and capped before a byte of it is read, all of it in time."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length (chunked uploads are not taken)")
        length_text = self.headers.get("Content-Length", "0").strip() or "0"
        if not length_text.isdigit():
            raise HttpError(HTTPStatus.BAD_REQUEST, "the Content-Length is not a number")
        length = int(length_text)
        if length > MAX_UPLOAD_BYTES:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"the upload is {length} bytes; the most this server takes is {MAX_UPLOAD_BYTES}")
        deadline = time.monotonic() + BODY_DEADLINE_S
        pieces: list[bytes] = []
        remaining = length
        while remaining:
            if time.monotonic() > deadline:
                raise HttpError(HTTPStatus.REQUEST_TIMEOUT, "the upload took too long")
            piece = self.rfile.read(min(remaining, 1 << 20))
            if not piece:
                raise HttpError(HTTPStatus.BAD_REQUEST, "the body ended before its Content-Length")
            pieces.append(piece)
            remaining -= len(piece)
        return b"".join(pieces)


class ServiceServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, service: TranscriptionService, port: int = 0) -> None:
        super().__init__((LOOPBACK, port), ServiceHandler)
        self.service = service

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"

    def serve_until_idle(self, poll_s: float = 0.5) -> None:
        """Serve until shut down, or until idle for the service's idle time."""
        watcher = threading.Thread(target=self._watch_idle, args=(poll_s,), daemon=True)
        watcher.start()
        self.serve_forever(poll_interval=poll_s)

    def _watch_idle(self, poll_s: float) -> None:
        while not self.service.is_idle_for_too_long():
            time.sleep(poll_s)
        log.info("idle for %g s: exiting", self.service.idle_s)
        self.shutdown()


def load_service(models: Sequence[str], device: str, token: str, idle_s: float,
                 load: LoadEngine | None = None, weights: str | None = None) -> TranscriptionService:
    """Load every model (the first answers for `whisper-1`) with `weights` on the CPU (voice.cpuWeights, as a
    command here would) and warm each up once, so the first request is as fast as the next."""
    if load is None:
        from gitvoice.transcription.engine import load_engine

        load = load_engine
    engines = [(spec, load(spec, device, weights=weights)) for spec in models]
    import numpy as np

    for _spec, engine in engines:  # a second of silence runs the decoder's first-call set-up
        engine.transcribe_chunk(np.zeros(16_000, dtype=np.float32), 0.0)
    return TranscriptionService(engines, token, idle_s)
