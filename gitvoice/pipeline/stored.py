"""Speech for the commands that keep it: registered in the store before it is transcribed, so a failure never
loses it, and transcribed with the code's vocabulary spelled as in the code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gitvoice.audio.capture import CaptureOptions
from gitvoice.config import settings
from gitvoice.core import interrupts
from gitvoice.core.errors import GitVoiceError, NoSpeechError
from gitvoice.pipeline.transcript import OnProgress
from gitvoice.pipeline.vocabulary import NO_VOCABULARY, VocabularySource, resolved_vocabulary
from gitvoice.store.history import RecordingEntry, Store


@dataclass(frozen=True)
class Spoken:
    recording_id: int
    recording: Path  # our copy in the recordings folder
    transcript: str  # identifiers from the vocabulary restored


@dataclass(frozen=True)
class ModelChoice:
    """Which model, where, and in what language: flag, environment, git config, default (config/settings.py)."""

    model: str  # a model name or path
    device: str  # auto, mps, cuda or cpu
    language: str | None  # None: detect it (within `languages`)
    languages: tuple[str, ...] = ("en",)  # voice.languages: what a multilingual model may detect

    @classmethod
    def resolve(cls, model: str | None = None, device: str | None = None, language: str | None = None,
                cwd: Path | None = None) -> ModelChoice:
        return cls(settings.resolve(settings.MODEL, model, cwd), settings.resolve(settings.DEVICE, device, cwd),
                   settings.resolve(settings.LANGUAGE, language, cwd) or None,
                   settings.resolve_words(settings.LANGUAGES, None, cwd) or ("en",))


def speak_into_store(store: Store, audio: Path | None, *, origin: str, vocabulary: VocabularySource = NO_VOCABULARY,
                     choice: ModelChoice | None = None, capture: CaptureOptions | None = None,
                     retry_hint: str | None = None, on_progress: OnProgress | None = None,
                     on_stored: Callable[[Path], None] | None = None) -> Spoken:
    """Speech (from `audio`, or the microphone) registered in the store before it is transcribed, so nothing is
    lost when transcription fails; the transcript with the vocabulary's spelling restored is stored too.
    `on_progress(done, total)` hears of the chunks as they are transcribed; `on_stored(path)` of the recording as
    soon as it is registered, before transcription.

    A failure after the recording exists marks it aborted and says where it is kept; the error keeps its type
    (RecordingInterrupted still exits 130)."""
    from gitvoice.pipeline.capture import capture_options
    from gitvoice.pipeline.speech import obtain_speech

    choice = choice or ModelChoice.resolve()
    registered: list[int] = []

    def register(path: Path, duration_s: float) -> None:
        registered.append(store.add_recording(path, duration_s, origin))
        if on_stored is not None:
            on_stored(path)

    try:
        speech = obtain_speech(audio, cwd=None, capture=capture or capture_options(), model=choice.model,
                               device=choice.device, vocabulary=vocabulary, language=choice.language,
                               languages=choice.languages,
                               on_recorded=register, on_progress=on_progress)
    except GitVoiceError as error:
        if registered:
            entry = store.get(registered[0])
            store.mark_status(registered[0], "aborted")
            if isinstance(error, NoSpeechError):
                store.set_transcript(registered[0], "")  # heard nothing: --reuse passes over it
            where = f"; the recording is kept at {entry.path}" if entry else ""
            raise type(error)(f"{error.message}{where}", hint=error.hint or retry_hint,
                              exit_code=error.exit_code) from error
        raise
    store.set_transcript(registered[0], speech.transcript.text)
    interrupts.check()  # a Ctrl-C swallowed during transcription still stops the command before any commit
    return Spoken(registered[0], speech.recording, speech.transcript.text)


def stored_transcript(store: Store, entry: RecordingEntry, *, vocabulary: VocabularySource = NO_VOCABULARY,
                      choice: ModelChoice | None = None, on_progress: OnProgress | None = None) -> str:
    """The transcript of a recording already in the store: the one kept with it (`git voice record` transcribed
    it as it listened; the vocabulary's spellings are restored in it), else transcribed now, and kept."""
    if entry.transcript is not None:
        return resolved_vocabulary(vocabulary).restore(entry.transcript)
    from gitvoice.pipeline.speech import transcribe_file

    choice = choice or ModelChoice.resolve()
    transcript = transcribe_file(entry.path, model=choice.model, device=choice.device, vocabulary=vocabulary,
                                 language=choice.language, languages=choice.languages, on_progress=on_progress)
    store.set_transcript(entry.id, transcript.text)
    return transcript.text
