"""A client for OpenAI's audio transcription API, on the standard library's http.client: `git voice serve`, vLLM, or
any other server that speaks it. No torch, no whisper, no HTTP package."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from gitvoice.core.errors import GitVoiceError, NoSpeechError, UsageError
from gitvoice.service.wire import (
    CHUNK_FIELD,
    CHUNK_OPENING,
    HEALTH_PATH,
    LANGUAGES_FIELD,
    MODELS_PATH,
    SHUTDOWN_PATH,
    TRANSCRIPTIONS_PATH,
    VOCABULARY_FIELD,
    RemoteTranscript,
    multipart_body,
    parse_transcript,
    prompt_text,
)

CONNECT_TIMEOUT_S = 3.0  # a server on the loopback or the LAN answers a connect in milliseconds


class ServiceUnavailable(GitVoiceError):
    """The server is down, too slow, or answered something that is not a transcript."""


@dataclass(frozen=True)
class ServiceClient:
    url: str  # http(s)://host:port, with or without a trailing /v1
    api_key: str | None  # sent as `Authorization: Bearer ...`
    timeout_s: float = 60.0  # the longest wait for one answer (a slow server counts as down)
    fix_hint: str = ""  # how to fix the set-up, appended to every ServiceUnavailable

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{self.url!r} is not an http:// or https:// URL of a transcription server",
                             hint="git config voice.server http://HOST:PORT (or auto, or off)")

    @property
    def _base_path(self) -> str:
        path = urlsplit(self.url).path.rstrip("/")
        return path[: -len("/v1")] if path.endswith("/v1") else path  # OpenAI-style base URLs end in /v1

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        parts = urlsplit(self.url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return kind(parts.hostname or "", parts.port, timeout=timeout_s)

    def _unavailable(self, what: str) -> ServiceUnavailable:
        return ServiceUnavailable(f"the transcription server {self.url} {what}", hint=self.fix_hint or None)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None,
                timeout_s: float | None = None) -> tuple[int, bytes]:
        """(status, body) of one request; ServiceUnavailable when the server cannot be reached in time."""
        headers = {"Accept": "application/json", "User-Agent": "gitvoice"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if content_type:
            headers["Content-Type"] = content_type
        connection = self._connection(CONNECT_TIMEOUT_S)
        try:
            connection.connect()
            if connection.sock is not None:
                connection.sock.settimeout(timeout_s or self.timeout_s)
            connection.request(method, self._base_path + path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        except TimeoutError:
            raise self._unavailable(f"did not answer within {timeout_s or self.timeout_s:.0f} s") from None
        except (OSError, http.client.HTTPException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
            raise self._unavailable(f"cannot be reached ({reason})") from None
        finally:
            connection.close()

    def health(self, timeout_s: float = 2.0) -> dict[str, Any] | None:
        """The health answer of a gitvoice server, None when there is no healthy one."""
        try:
            status, body = self.request("GET", HEALTH_PATH, timeout_s=timeout_s)
            data = json.loads(body) if status == 200 else None
        except (ServiceUnavailable, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def models(self) -> list[str]:
        status, body = self.request("GET", MODELS_PATH)
        if status != 200:
            raise self._error(status, body)
        try:
            return [str(item["id"]) for item in json.loads(body)["data"]]
        except (ValueError, KeyError, TypeError):
            raise self._unavailable("did not answer with a list of models") from None

    def shutdown(self) -> bool:
        status, _body = self.request("POST", SHUTDOWN_PATH, b"", "application/json")
        return status == 200

    def transcribe(self, wav: bytes, *, model: str, audio_s: float, vocabulary: Sequence[str] = (),
                   language: str | None = None, languages: Sequence[str] = (), offset_s: float = 0.0,
                   chunk: bool = False, opens_note: bool = False, source_name: str = "audio") -> RemoteTranscript:
        """The transcript of a 16 kHz WAV file (segment times shifted by `offset_s`): the vocabulary travels as
        the standard `prompt` and, for gitvoice's own server, as the word list it primes and biases Whisper
        with. NoSpeechError when the server heard nothing."""
        fields = [("model", model), ("response_format", "verbose_json"), ("temperature", "0")]
        if language:
            fields.append(("language", language))
        prompt = prompt_text(vocabulary)
        if prompt:
            fields += [("prompt", prompt), (VOCABULARY_FIELD, json.dumps(list(vocabulary)))]
        if languages:
            fields.append((LANGUAGES_FIELD, json.dumps(list(languages))))
        if chunk:
            fields.append((CHUNK_FIELD, CHUNK_OPENING if opens_note else "1"))
        content_type, body = multipart_body(fields, "speech.wav", wav)
        started = time.perf_counter()
        # A server decodes far faster than real time; 4x the audio on top of the base wait covers a busy CPU.
        status, answer = self.request("POST", TRANSCRIPTIONS_PATH, body, content_type,
                                      timeout_s=self.timeout_s + 4 * audio_s)
        if status != 200:
            raise self._error(status, answer)
        try:
            transcript = parse_transcript(json.loads(answer), offset_s=offset_s, model=model, where=self.url,
                                          audio_s=audio_s, elapsed_s=time.perf_counter() - started,
                                          language=language)
        except ValueError:
            raise self._unavailable("did not answer with a transcript") from None
        if not transcript.text and not chunk:
            raise NoSpeechError(f"no speech detected in {source_name}",
                                hint="check the microphone level, or record again closer to it")
        return transcript

    def _error(self, status: int, body: bytes) -> ServiceUnavailable:
        try:
            message = str(json.loads(body)["error"]["message"])
        except (ValueError, KeyError, TypeError):
            message = body[:200].decode("utf-8", "replace").strip() or http.client.responses.get(status, "")
        if status == 401:
            return self._unavailable("refused the API key (401); set GITVOICE_SERVER_API_KEY to the server's key")
        return self._unavailable(f"answered {status}: {message}".splitlines()[0])
