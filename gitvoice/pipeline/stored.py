"""Speech for the commands that keep it: registered in the store before it is transcribed, so a failure
never loses it, and transcribed with the code's vocabulary spelled as in the code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitvoice.audio.capture import CaptureOptions
from gitvoice.cli.capture_options import capture_options_from_flags
from gitvoice.config import settings
from gitvoice.core.errors import GitVoiceError
from gitvoice.store.history import Store


@dataclass(frozen=True)
class Spoken:
    recording_id: int
    recording: Path  # our copy in the recordings folder
    transcript: str  # identifiers from the vocabulary restored


def speak_into_store(store: Store, audio: Path | None, *, origin: str, vocabulary: Sequence[str],
                     model: str | None, device: str | None, language: str | None,
                     capture: CaptureOptions | None = None, retry_hint: str | None = None) -> Spoken:
    """Speech (from `audio`, or the microphone) registered in the store before it is transcribed, so nothing is
    lost when transcription fails; the transcript with the vocabulary's spelling restored is stored too."""
    from gitvoice.composition.restore import restore_identifiers
    from gitvoice.pipeline.speech import obtain_speech
    from gitvoice.transcription.prompt import build_prompt

    model_spec = settings.resolve(settings.MODEL, model)
    words = list(dict.fromkeys(vocabulary))
    prompt = build_prompt(words, multilingual=not model_spec.endswith(".en")) if words else None
    registered: list[int] = []

    def register(path: Path, duration_s: float) -> None:
        registered.append(store.add_recording(path, duration_s, origin))

    try:
        speech = obtain_speech(audio, cwd=None, capture=capture or capture_options_from_flags(None, None, None),
                               model=model_spec,
                               device=settings.resolve(settings.DEVICE, device), prompt=prompt,
                               language=settings.resolve(settings.LANGUAGE, language) or None, origin=origin,
                               on_recorded=register)
    except GitVoiceError as error:
        if registered:
            entry = store.get(registered[0])
            store.mark_status(registered[0], "aborted")
            where = f"; the recording is kept at {entry.path}" if entry else ""
            raise type(error)(f"{error.message}{where}", hint=error.hint or retry_hint,
                              exit_code=error.exit_code) from error
        raise
    transcript = restore_identifiers(speech.transcript.text, words) if words else speech.transcript.text
    store.set_transcript(registered[0], transcript)
    return Spoken(registered[0], speech.recording, transcript)
