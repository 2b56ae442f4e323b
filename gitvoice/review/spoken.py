"""A spoken comment: a recording on a line range of a commit becomes a transcript, spelled with the identifiers of
the hunk it points at, and a comment kept in git with the compressed recording."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitvoice.audio.encode import encode_for_note
from gitvoice.audio.files import Samples, duration_s, read_audio
from gitvoice.core.errors import NoSpeechError
from gitvoice.git.diff_text import FileDiff
from gitvoice.git.repo import repo_root
from gitvoice.git.review_notes import reviewer_identity
from gitvoice.pipeline.stored import ModelChoice
from gitvoice.pipeline.vocabulary import CodeVocabulary, code_vocabulary
from gitvoice.review.anchors import comment_context, hunk_of
from gitvoice.review.comments import Comment, CommentStore, new_comment

MIN_RECORDING_S = 0.3  # shorter than this is a click on the button, not speech


@dataclass(frozen=True)
class Target:
    """What a comment is about: a commit (by the key its comments are kept under), and optionally lines of a file."""

    key: str
    file: FileDiff | None = None
    start_line: int | None = None
    end_line: int | None = None
    side: str = "new"


def target_vocabulary(target: Target, cwd: Path | None = None) -> CodeVocabulary:
    """The user's hotwords, then the identifiers of the hunk the comment is on (the whole file without one)."""
    root = repo_root(cwd)
    if target.file is None:
        return code_vocabulary(root=root, use_context=False)
    hunk = None
    if target.start_line is not None and target.end_line is not None:
        hunk = hunk_of(target.file, target.side, target.start_line, target.end_line)
    return code_vocabulary(comment_context(target.file, hunk), root=root)


def author_line(cwd: Path | None = None) -> str:
    name, email = reviewer_identity(cwd)
    return f"{name} <{email}>" if email else name


def comment_from_recording(recording: Path, target: Target, store: CommentStore, *, origin: str = "page",
                           choice: ModelChoice | None = None) -> Comment:
    """Transcribe `recording` (any format gitvoice reads; webm from a browser through ffmpeg) and keep it as a
    comment on `target`, with its compressed audio. NoSpeechError when nothing was said."""
    from gitvoice.pipeline.speech import transcribe_file

    samples = read_audio(recording)
    seconds = duration_s(samples)
    if seconds < MIN_RECORDING_S:
        raise NoSpeechError(f"the recording is too short to hold speech ({seconds:.1f} s)")
    choice = choice or ModelChoice.resolve(cwd=store.cwd)
    transcript = transcribe_file(recording, model=choice.model, device=choice.device,
                                 vocabulary=target_vocabulary(target, store.cwd), language=choice.language,
                                 languages=choice.languages)
    return keep_comment(target, store, transcript.text, samples, origin=origin)


def spoken_comment(target: Target, store: CommentStore, *, origin: str = "readback",
                   choice: ModelChoice | None = None) -> Comment:
    """Record from the microphone now (Enter or silence stops; the recording stays in the recordings folder) and
    keep what was said as a comment on `target`."""
    from gitvoice.pipeline.capture import capture_options
    from gitvoice.pipeline.speech import obtain_speech

    choice = choice or ModelChoice.resolve(cwd=store.cwd)
    speech = obtain_speech(None, cwd=store.cwd, capture=capture_options(cwd=store.cwd), model=choice.model,
                           device=choice.device, vocabulary=lambda: target_vocabulary(target, store.cwd),
                           language=choice.language, languages=choice.languages)
    return keep_comment(target, store, speech.transcript.text, read_audio(speech.recording), origin=origin)


def keep_comment(target: Target, store: CommentStore, transcript: str, samples: Samples, *,
                 origin: str) -> Comment:
    text = transcript.strip()
    if not text:
        raise NoSpeechError("no speech was heard in the recording", hint="record again, closer to the microphone")
    audio, suffix = encode_for_note(samples)
    comment = new_comment(file=target.file.path if target.file else None, start_line=target.start_line,
                          end_line=target.end_line, side=target.side, transcript=text, author=author_line(store.cwd),
                          duration_s=round(duration_s(samples), 2),
                          audio_type="audio/ogg" if suffix == ".ogg" else "audio/flac", origin=origin)
    return store.add(target.key, comment, audio)
