"""What travels between gitvoice and a transcription server on OpenAI's audio API, with no torch on either end of
this module: the request's form, the audio as WAV bytes, the prompt, and the transcript that comes back.

The API: `POST /v1/audio/transcriptions`, multipart/form-data with `file`, `model`, `language`, `prompt`,
`temperature` and `response_format` (json, text, verbose_json, srt, vtt). gitvoice adds fields of its own that
other servers ignore (OpenAI's accepts unknown form fields, so does vLLM's); see docs/service.md.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.audio.wavfile import to_pcm16, wav_header

TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions"
MODELS_PATH = "/v1/models"
HEALTH_PATH = "/health"
SHUTDOWN_PATH = "/v1/gitvoice/shutdown"  # gitvoice's own: `git voice serve --stop`
RESPONSE_FORMATS = ("json", "text", "verbose_json", "srt", "vtt")
DEFAULT_MODEL_ALIAS = "whisper-1"  # what OpenAI's examples send: the server's first model

VOCABULARY_FIELD = "gitvoice_vocabulary"  # JSON list: the code vocabulary, most important first
LANGUAGES_FIELD = "gitvoice_languages"  # JSON list: what a multilingual model may detect (voice.languages)
CHUNK_FIELD = "gitvoice_chunk"  # "1": one chunk of a live recording, already cut at pauses: no VAD on the server
CHUNK_OPENING = "opening"  # CHUNK_FIELD for the recording's first chunk (its opening verb may be rescored)

# Whisper keeps at most 223 prompt tokens (gitvoice.transcription.prompt budgets 200). The client cannot count
# tokens without whisper's tokenizer, so it budgets characters: identifiers split into short tokens (about
# 2.5 characters each for snake_case and camelCase names in the shared clips), and 480 characters stays under 200.
PROMPT_BUDGET_CHARS = 480
MAX_VOCABULARY_WORDS = 500
MAX_WORD_CHARS = 100


_ISSUE = re.compile(r"#[1-9][0-9]*")  # transcription.prompt.is_issue_reference (not imported on this side)


def prompt_text(words: Iterable[str], budget_chars: int = PROMPT_BUDGET_CHARS) -> str | None:
    """The prompt gitvoice's engine would build from `words` (build_prompt's "a b c." form, duplicates dropped),
    cut by characters instead of tokens so that no tokenizer is needed."""
    chosen: list[str] = []
    length = 1  # the full stop
    for word in dict.fromkeys(word.strip() for word in words):
        if not word or _ISSUE.fullmatch(word):  # as build_prompt: "#42" would turn spoken digits into "#42"
            continue
        if length + len(word) + (1 if chosen else 0) > budget_chars:
            break
        length += len(word) + (1 if chosen else 0)
        chosen.append(word)
    return " ".join(chosen) + "." if chosen else None


def words_from_prompt(prompt: str) -> list[str]:
    """A standard client's prompt read as words to spell as given (gitvoice's engine primes Whisper with such a
    list, and biases its search towards them)."""
    words = (word.strip(".,;:!?\"'()[]") for word in prompt.split())
    return [word for word in dict.fromkeys(words) if word][:MAX_VOCABULARY_WORDS]


def wav_bytes(samples: Samples) -> bytes:
    """`samples` (mono, SAMPLE_RATE_HZ) as a 16-bit PCM WAV file: what recordings are kept as, so nothing is lost
    that a local transcription would have seen from a recording."""
    pcm = to_pcm16(samples).tobytes()
    return wav_header(SAMPLE_RATE_HZ, len(pcm)) + pcm


def multipart_body(fields: Sequence[tuple[str, str]], file_name: str, file_data: bytes,
                   file_type: str = "audio/wav") -> tuple[str, bytes]:
    """(Content-Type, body) of a multipart/form-data request with text `fields` and one `file`."""
    boundary = f"gitvoice-{secrets.token_hex(16)}"
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode("utf-8") + b"\r\n")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 f"Content-Type: {file_type}\r\n\r\n".encode() + file_data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@dataclass(frozen=True)
class RemoteSegment:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class RemoteTranscript:
    """A transcript that came from a server: the fields of gitvoice.transcription.engine.Transcript, without
    importing it (that module loads torch)."""

    text: str
    segments: list[RemoteSegment]
    language: str
    model: str
    device: str  # "server URL" for a server that is not gitvoice's
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


# OpenAI's verbose_json names the language ("english"); gitvoice passes codes on (the next chunk's hint).
_LANGUAGE_CODES = {"english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it",
                   "portuguese": "pt", "dutch": "nl", "polish": "pl", "russian": "ru", "ukrainian": "uk",
                   "chinese": "zh", "japanese": "ja", "korean": "ko", "swedish": "sv", "turkish": "tr",
                   "czech": "cs", "danish": "da", "finnish": "fi", "norwegian": "no", "greek": "el"}


def language_code(value: object, default: str | None) -> str | None:
    """An ISO 639-1 code from what a server said the language was (a code, or a name), else `default`."""
    if not isinstance(value, str) or not value.strip():
        return default
    value = value.strip().lower()
    if 2 <= len(value) <= 3 and value.isalpha():
        return value
    return _LANGUAGE_CODES.get(value, default)


def parse_transcript(data: object, *, offset_s: float, model: str, where: str, audio_s: float,
                     elapsed_s: float, language: str | None) -> RemoteTranscript:
    """The transcript in a json or verbose_json answer (segment times shifted by `offset_s`); ValueError if the
    answer is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError("the answer has no text")
    segments = []
    for item in data.get("segments") or []:
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            start, end = float(item.get("start", 0.0)), float(item.get("end", 0.0))
            segments.append(RemoteSegment(round(offset_s + start, 2), round(offset_s + end, 2), item["text"].strip()))
    text = data["text"].strip()
    if text and not segments:  # a plain json answer: one segment for the whole audio
        segments = [RemoteSegment(round(offset_s, 2), round(offset_s + audio_s, 2), text)]
    extra = data.get("x_gitvoice")
    ours: dict[str, Any] = extra if isinstance(extra, dict) else {}
    return RemoteTranscript(
        text=text, segments=segments, language=language_code(data.get("language"), language) or "en",
        model=str(ours.get("model", model)), device=str(ours.get("device", where)),
        dtype=str(ours.get("dtype", "")), audio_s=round(audio_s, 3), load_s=0.0,
        transcribe_s=round(elapsed_s, 3), extra={"server": where})


def _timestamp(seconds: float, comma: bool) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{millis:03d}"


def subtitles(segments: Sequence[tuple[float, float, str]], vtt: bool) -> str:
    """SRT or WebVTT cues, one per segment."""
    cues = []
    for number, (start, end, text) in enumerate(segments, 1):
        times = f"{_timestamp(start, not vtt)} --> {_timestamp(end, not vtt)}"
        cues.append(f"{times}\n{text}\n" if vtt else f"{number}\n{times}\n{text}\n")
    return ("WEBVTT\n\n" if vtt else "") + "\n".join(cues)


def json_list(value: str, limit: int) -> list[str]:
    """A JSON list of short strings (a gitvoice form field); ValueError otherwise."""
    data = json.loads(value)
    if not isinstance(data, list) or len(data) > limit or not all(
            isinstance(item, str) and len(item) <= MAX_WORD_CHARS for item in data):
        raise ValueError(f"expected a JSON list of at most {limit} strings")
    return [item for item in data if item.strip()]
