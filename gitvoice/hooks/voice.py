"""The voice half of prepare-commit-msg: speech becomes the message of the `git commit` in progress.

Loaded only once there is something to do (a pending recording, or a person who pressed Enter), so importing
torch here costs nothing to the commits that do not speak. Composing is `git voice commit`'s own code, so a
hook-made message and a `git voice commit` message never differ.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from gitvoice.composition.changes import DiffContext
from gitvoice.config import settings
from gitvoice.store.history import Store

ORIGIN_LIVE = "hook"  # recordings made at the hook's prompt
DRAFTED = "drafted"  # the message went into a `git commit`; not offered again
PROMPT = "gitvoice: press Enter to speak, s to skip: "


def _say(line: str) -> None:
    sys.stderr.write(f"gitvoice: {line}\n")
    sys.stderr.flush()


@dataclass(frozen=True)
class CommitVocabulary:
    words: list[str]  # identifiers and hotwords: Whisper's prompt, and spellings to restore in the transcript
    context: DiffContext  # what the commit will contain (`git diff --cached`, the hook's GIT_INDEX_FILE)


def commit_vocabulary() -> CommitVocabulary:
    from gitvoice.cli.commit import _code_vocabulary
    from gitvoice.git.commit import RepoState, head_commit
    from gitvoice.git.repo import git_dir, require_repo_root

    state = RepoState(root=require_repo_root(), git_dir=git_dir(), head=head_commit())
    words, context = _code_vocabulary(state, (), True, all_tracked=False, amend=False)
    return CommitVocabulary(words, context)


def message_from_transcript(transcript: str, vocabulary: CommitVocabulary) -> str:
    """The Conventional Commit `git voice commit` would compose from this transcript and these changes."""
    from gitvoice.cli.commit import ComposeFlags, _compose

    flags = ComposeFlags(commit_type=None, scope=None, breaking=False, signoff=False)
    return _compose(transcript, vocabulary.context, vocabulary.words, flags)


def _prompt_text(vocabulary: CommitVocabulary, model: str) -> str | None:
    from gitvoice.transcription.prompt import build_prompt

    return build_prompt(vocabulary.words, multilingual=not model.endswith(".en"))


def _restored(text: str, vocabulary: CommitVocabulary) -> str:
    from gitvoice.composition.restore import restore_identifiers

    return restore_identifiers(text, vocabulary.words) if vocabulary.words else text


def put_above_comments(message_file: Path, message: str) -> None:
    """Our message first, then what git wrote (its comment lines, a legacy hook's text), nothing dropped."""
    existing = message_file.read_text(encoding="utf-8", errors="replace") if message_file.exists() else ""
    message_file.write_text(message.rstrip("\n") + "\n" + existing, encoding="utf-8")


def _finish(store: Store, recording_id: int, transcript: str, vocabulary: CommitVocabulary,
            message_file: Path) -> None:
    store.set_transcript(recording_id, transcript)
    message = message_from_transcript(transcript, vocabulary)
    draft = store.save_draft(recording_id, message)  # kept even if the commit is aborted later
    put_above_comments(message_file, message)
    store.mark_status(recording_id, DRAFTED)
    _say(f"message drafted from recording #{recording_id} (a copy is in {draft})")


def fill_from_recording(message_file: Path, recording_id: int) -> None:
    """Transcribe the recording `git voice record` left, compose, and put the message into `message_file`."""
    from gitvoice.audio.files import read_audio
    from gitvoice.transcription.engine import load_engine

    with Store.open() as store:
        entry = store.get(recording_id)
        if entry is None:
            return
        _say(f"transcribing your recording from {entry.created_at} ({entry.duration_s:.0f} s)")
        samples = read_audio(entry.path)
        vocabulary = commit_vocabulary()
        model = settings.resolve(settings.MODEL, None)
        engine = load_engine(model, settings.resolve(settings.DEVICE, None))
        result = engine.transcribe(samples, prompt=_prompt_text(vocabulary, model),
                                   language=settings.resolve(settings.LANGUAGE, None) or None,
                                   source_name=str(entry.path))
        _finish(store, recording_id, _restored(result.text, vocabulary), vocabulary, message_file)


def _ask(terminal: int) -> bool:
    """Ask on the terminal; True when the person pressed Enter (anything starting with s/n skips)."""
    os.write(terminal, PROMPT.encode())
    answer = os.read(terminal, 1024).decode(errors="replace").strip().lower()
    return not answer.startswith(("s", "n", "q"))


def _attach_terminal(terminal: int) -> None:
    """Git gives hooks /dev/null as stdin (and pre-commit captures stderr): the recorder reads Enter from stdin
    and draws its meter on stderr, so point both at the terminal, for this process only."""
    os.dup2(terminal, 0)
    sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115 - lives as long as we do
    if not os.isatty(2):
        os.dup2(terminal, 2)


def fill_from_speech(message_file: Path, terminal: int) -> None:
    """Ask, record live, transcribe and put the message into `message_file`."""
    if not _ask(terminal):
        return
    from gitvoice.cli.capture_options import capture_options_from_flags
    from gitvoice.pipeline.speech import obtain_speech

    _attach_terminal(terminal)
    vocabulary = commit_vocabulary()
    model = settings.resolve(settings.MODEL, None)
    with Store.open() as store:
        registered: list[int] = []

        def register(path: Path, duration_s: float) -> None:
            registered.append(store.add_recording(path, duration_s, ORIGIN_LIVE))  # before transcribing

        try:
            speech = obtain_speech(None, cwd=None, capture=capture_options_from_flags(None, None, None),
                                   model=model,
                                   device=settings.resolve(settings.DEVICE, None),
                                   prompt=_prompt_text(vocabulary, model),
                                   language=settings.resolve(settings.LANGUAGE, None) or None, origin=ORIGIN_LIVE,
                                   on_recorded=register)
        except Exception as exc:
            if registered:
                entry = store.get(registered[0])
                raise RuntimeError(f"{getattr(exc, 'message', exc)} (the recording is kept at "
                                   f"{entry.path if entry else 'the recordings folder'})") from exc
            raise
        _finish(store, registered[0], _restored(speech.transcript.text, vocabulary), vocabulary, message_file)
