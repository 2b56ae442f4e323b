"""What speech becomes: the recording kept, and its transcript with the code's spellings restored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from gitvoice.pipeline.vocabulary import CodeVocabulary

if TYPE_CHECKING:
    from gitvoice.service.wire import RemoteTranscript
    from gitvoice.transcription.engine import Transcript

    AnyTranscript = TypeVar("AnyTranscript", bound=Transcript | RemoteTranscript)  # from here or from a server
else:
    AnyTranscript = TypeVar("AnyTranscript")

OnRecorded = Callable[[Path, float], None]  # (the recording, its duration in seconds), once it is safe on disk
OnProgress = Callable[[int, int], None]  # (chunks transcribed, chunks in all): before each chunk, and at the end


@dataclass(frozen=True)
class Speech:
    recording: Path  # our copy in the recordings folder (never the user's own file)
    transcript: Transcript | RemoteTranscript  # the vocabulary's spellings restored in its text and segments
    duration_s: float


def restored(transcript: AnyTranscript, vocabulary: CodeVocabulary) -> AnyTranscript:
    """`transcript` with the vocabulary's spellings restored in its text and in each segment."""
    if not vocabulary.words:
        return transcript
    segments = [replace(segment, text=vocabulary.restore(segment.text)) for segment in transcript.segments]
    return replace(transcript, text=vocabulary.restore(transcript.text), segments=segments)  # type: ignore[arg-type]
