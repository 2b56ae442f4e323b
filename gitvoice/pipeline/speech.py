"""The one way every command gets speech: a given file, or a live recording, and its transcript."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitvoice.audio.capture import CaptureOptions
from gitvoice.audio.files import duration_s, read_audio
from gitvoice.pipeline.live import PromptSource
from gitvoice.store.recordings import new_recording_path

if TYPE_CHECKING:
    from gitvoice.transcription.engine import Transcript

OnRecorded = Callable[[Path, float], None]


@dataclass(frozen=True)
class Speech:
    recording: Path  # our copy in the recordings folder (never the user's own file)
    transcript: Transcript
    duration_s: float


def copy_into_recordings(audio: Path, cwd: Path | None = None) -> Path:
    """A copy of `audio` in the recordings folder, written to a temp name and renamed so it is never partial."""
    target = new_recording_path(cwd, suffix=audio.suffix.lower() or ".wav")
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(audio, partial)
    os.replace(partial, target)
    return target


def obtain_speech(audio: Path | None, *, cwd: Path | None, capture: CaptureOptions, model: str, device: str,
                  prompt: PromptSource, language: str | None, origin: str,
                  on_recorded: OnRecorded | None = None, output: Path | None = None) -> Speech:
    """Speech from `audio` (copied, never moved) or, when None, recorded live; then its transcript.

    `on_recorded(path, duration_s)` runs as soon as the recording is safely on disk, before transcription,
    so a caller can register it and nothing is lost if transcription fails. `origin` names the command.
    `prompt` may be a function (called once the model is loaded, so building it costs no waiting time).
    Live recordings go to `output` if given, else a new file in the recordings folder; Ctrl-C raises
    gitvoice.audio.capture.RecordingInterrupted (exit code 130) after `on_recorded`.
    """
    if audio is None:
        from gitvoice.pipeline.live import record_and_transcribe

        return record_and_transcribe(cwd=cwd, capture=capture, model=model, device=device, prompt=prompt,
                                     language=language, on_recorded=on_recorded, output=output)
    samples = read_audio(audio)  # a bad file fails here, before anything is copied or loaded
    recording = copy_into_recordings(audio, cwd)
    seconds = duration_s(samples)
    if on_recorded is not None:
        on_recorded(recording, seconds)
    from gitvoice.transcription.engine import load_engine

    engine = load_engine(model, device)
    prompt_text = prompt() if callable(prompt) else prompt
    transcript = engine.transcribe(samples, prompt=prompt_text, language=language or None, source_name=str(recording))
    return Speech(recording=recording, transcript=transcript, duration_s=seconds)
