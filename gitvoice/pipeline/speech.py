"""The one way every command gets speech: a given file, or a live recording, and its code-aware transcript."""

from __future__ import annotations

import errno
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gitvoice.audio.capture import CaptureOptions
from gitvoice.audio.files import Samples, duration_s, read_audio
from gitvoice.audio.vad import Span, speech_chunks
from gitvoice.core.errors import AudioError
from gitvoice.pipeline.engines import AnyTranscript, SpeechEngine, engine_for, server_choice
from gitvoice.pipeline.live import record_and_transcribe
from gitvoice.pipeline.transcript import OnProgress, OnRecorded, Speech, restored
from gitvoice.pipeline.vocabulary import NO_VOCABULARY, VocabularySource, resolved_vocabulary
from gitvoice.store.recordings import new_recording_path
from gitvoice.transcription.torch_runtime import torch_module


def copy_into_recordings(audio: Path, cwd: Path | None = None) -> Path:
    """A copy of `audio` in the recordings folder, written to a temp name and renamed so it is never partial."""
    target = new_recording_path(cwd, suffix=audio.suffix.lower() or ".wav")
    partial = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(audio, partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)  # a half copy would only keep the disk full
        if exc.errno == errno.ENOSPC:
            raise AudioError(f"no space left on the device holding {target.parent}; the recording was not copied "
                             f"(yours is untouched at {audio})",
                             hint="free some space there (`git voice history` lists old recordings) and run the "
                             "command again") from exc
        raise AudioError(f"cannot copy {audio} into {target.parent}: {exc.strerror}",
                         hint="check that the repository's .git folder is writable") from exc
    return target


def transcribe_file(path: Path, *, model: str, device: str, vocabulary: VocabularySource = NO_VOCABULARY,
                    language: str | None = None, languages: tuple[str, ...] = (),
                    on_progress: OnProgress | None = None) -> AnyTranscript:
    """The code-aware transcript of a recording already kept somewhere (nothing is copied); `on_progress` hears
    of each chunk as it is transcribed here (a server sends the whole transcript at once)."""
    samples = read_audio(path)
    engine, chunks = _engine_and_speech(samples, model, device, None)
    words = resolved_vocabulary(vocabulary)
    transcript = engine.transcribe(samples, vocabulary=words.words, language=language or None,
                                   languages=languages or None, source_name=str(path), on_progress=on_progress,
                                   chunks=chunks)
    return restored(transcript, words)


def _engine_and_speech(samples: Samples, model: str, device: str,
                       cwd: Path | None) -> tuple[SpeechEngine, list[Span] | None]:
    """The engine, and, when it transcribes here, where the speech in `samples` is: silero runs over the
    recording in a thread while the model loads (each about 0.5 s for a 30 s note on 2 cores) instead of after
    it. A server finds the speech itself (None)."""
    choice = server_choice(model, cwd)
    if choice is not None:
        return engine_for(choice, model, device, cwd), None
    torch_module()  # imported here, where Ctrl-C waits for it, before the second thread needs it
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gitvoice-vad") as aside:
        found = aside.submit(speech_chunks, samples)
        engine = engine_for(None, model, device, cwd)
        return engine, found.result()


def obtain_speech(audio: Path | None, *, cwd: Path | None, capture: CaptureOptions, model: str, device: str,
                  vocabulary: VocabularySource = NO_VOCABULARY, language: str | None = None,
                  languages: tuple[str, ...] = (),
                  on_recorded: OnRecorded | None = None, output: Path | None = None,
                  on_progress: OnProgress | None = None) -> Speech:
    """Speech from `audio` (copied, never moved) or, when None, recorded live; then its code-aware transcript.

    `on_recorded(path, duration_s)` runs as soon as the recording is safely on disk, before transcription,
    so a caller can register it and nothing is lost if transcription fails. `on_progress(done, total)` hears of
    the chunks as they are transcribed (of a live recording: those left when it stops). Live recordings go to
    `output` if given, else a new file in the recordings folder; Ctrl-C raises
    gitvoice.audio.capture.RecordingInterrupted (exit code 130) after `on_recorded`.
    """
    if audio is None:
        return record_and_transcribe(cwd=cwd, capture=capture, model=model, device=device, vocabulary=vocabulary,
                                     language=language, languages=languages, on_recorded=on_recorded,
                                     output=output, on_progress=on_progress)
    samples = read_audio(audio)  # a bad file fails here, before anything is copied or loaded
    recording = copy_into_recordings(audio, cwd)
    seconds = duration_s(samples)
    if on_recorded is not None:
        on_recorded(recording, seconds)
    engine, chunks = _engine_and_speech(samples, model, device, cwd)
    words = resolved_vocabulary(vocabulary)
    transcript = engine.transcribe(samples, vocabulary=words.words, language=language or None,
                                   languages=languages or None, source_name=str(recording), on_progress=on_progress,
                                   chunks=chunks)
    return Speech(recording=recording, transcript=restored(transcript, words), duration_s=seconds)
