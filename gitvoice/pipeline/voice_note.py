"""What a voice note carries: the transcript, and the compressed recording when voice.keepAudio allows it and it
fits under voice.maxAudioNoteBytes. One rule for `git voice commit` and `git voice note`."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gitvoice.config import settings


@dataclass(frozen=True)
class NoteSettings:
    """voice.keepAudio and voice.maxAudioNoteBytes, resolved (and so checked) before anything is committed."""

    keep_audio: bool  # false: the transcript only
    max_audio_bytes: int  # the largest compressed recording to attach; 0: no cap

    @classmethod
    def resolve(cls) -> NoteSettings:
        return cls(settings.resolve_bool(settings.KEEP_AUDIO), settings.resolve_size(settings.MAX_AUDIO_NOTE_BYTES))


@dataclass(frozen=True)
class NoteAudio:
    data: bytes | None  # the compressed recording to attach, or None
    detail: str  # what the note holds, in a few words ("transcript and 12 kB of ogg audio")
    warning: str | None  # why the recording was left out, when the user should know


_prepared: dict[tuple[Path, NoteSettings], Future[NoteAudio]] = {}
_prepared_lock = threading.Lock()


def prepare_note_audio(recording: Path, note_settings: NoteSettings) -> None:
    """Start compressing the recording for its note now, in a thread, while Whisper transcribes it: a 30 s note
    takes about 0.6 s to encode, which the decoder's idle core then pays instead of the user. `note_audio` takes
    the result (or the error) when the commit exists."""
    if not note_settings.keep_audio:
        return
    with _prepared_lock:
        if (recording, note_settings) not in _prepared:
            worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gitvoice-note")
            _prepared[(recording, note_settings)] = worker.submit(_compressed_note, recording, note_settings)
            worker.shutdown(wait=False)  # the thread ends with its one job


def note_audio(recording: Path, note_settings: NoteSettings) -> NoteAudio:
    with _prepared_lock:
        prepared = _prepared.pop((recording, note_settings), None)
    return prepared.result() if prepared is not None else _compressed_note(recording, note_settings)


def _compressed_note(recording: Path, note_settings: NoteSettings) -> NoteAudio:
    if not note_settings.keep_audio:
        return NoteAudio(None, "transcript only (voice.keepAudio is false)", None)
    from gitvoice.audio.encode import encode_for_note
    from gitvoice.audio.files import read_audio

    encoded, suffix = encode_for_note(read_audio(recording))
    limit = note_settings.max_audio_bytes
    if limit and len(encoded) > limit:
        return NoteAudio(None, "transcript only",
                         f"the recording is {len(encoded):,} bytes compressed, over the {limit:,}-byte cap for audio "
                         f"notes (git config voice.maxAudioNoteBytes); only the transcript is attached, the "
                         f"recording stays at {recording}")
    return NoteAudio(encoded, f"transcript and {len(encoded) // 1000 or 1} kB of {suffix[1:]} audio", None)
