"""The voice half of prepare-commit-msg: speech becomes the message of the `git commit` in progress.

Loaded only once there is something to do (a pending recording, or a person who pressed Enter), so importing
torch here costs nothing to the commits that do not speak. Composing is `git voice commit`'s own code, so a
hook-made message and a `git voice commit` message never differ.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gitvoice.pipeline.vocabulary import CodeVocabulary
from gitvoice.store.history import Store

ORIGIN_LIVE = "hook"  # recordings made at the hook's prompt
DRAFTED = "drafted"  # the message went into a `git commit`; not offered again
PROMPT = "gitvoice: press Enter to speak, s to skip: "


def _say(line: str) -> None:
    sys.stderr.write(f"gitvoice: {line}\n")
    sys.stderr.flush()


def put_above_comments(message_file: Path, message: str) -> None:
    """Our message first, then what git wrote (its comment lines, a legacy hook's text), nothing dropped."""
    existing = message_file.read_text(encoding="utf-8", errors="replace") if message_file.exists() else ""
    message_file.write_text(message.rstrip("\n") + "\n" + existing, encoding="utf-8")


def _finish(store: Store, recording_id: int, transcript: str, vocabulary: CodeVocabulary,
            message_file: Path) -> None:
    from gitvoice.pipeline.message import compose_commit_message

    store.set_transcript(recording_id, transcript)
    message = compose_commit_message(transcript, vocabulary)
    draft = store.save_draft(recording_id, message)  # kept even if the commit is aborted later
    put_above_comments(message_file, message)
    store.mark_status(recording_id, DRAFTED)
    _say(f"message drafted from recording #{recording_id} (a copy is in {draft})")


def fill_from_recording(message_file: Path, recording_id: int) -> None:
    """Compose from the recording `git voice record` left (its transcript, kept by `record`, or transcribed now)
    and put the message into `message_file`."""
    from gitvoice.core.notices import transcription_progress
    from gitvoice.pipeline.stored import stored_transcript
    from gitvoice.pipeline.vocabulary import commit_vocabulary

    with Store.open() as store:
        entry = store.get(recording_id)
        if entry is None:
            return
        if entry.transcript is None:
            _say(f"transcribing your recording from {entry.created_at} ({entry.duration_s:.0f} s)")
        vocabulary = commit_vocabulary()
        with transcription_progress() as progress:  # on the terminal git's stderr is, if it is one
            transcript = stored_transcript(store, entry, vocabulary=vocabulary, on_progress=progress)
        _finish(store, recording_id, transcript, vocabulary, message_file)


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
    from gitvoice.core.notices import transcription_progress
    from gitvoice.pipeline.stored import speak_into_store
    from gitvoice.pipeline.vocabulary import commit_vocabulary

    _attach_terminal(terminal)
    vocabulary = commit_vocabulary()
    with Store.open() as store:
        with transcription_progress() as progress:
            spoken = speak_into_store(store, None, origin=ORIGIN_LIVE, vocabulary=vocabulary,
                                      retry_hint="`git voice commit --reuse` commits from it later",
                                      on_progress=progress)
        _finish(store, spoken.recording_id, spoken.transcript, vocabulary, message_file)


DRAFT_MATCH = 0.6  # how much of a drafted message the commit's must keep to be its voice note's commit
DRAFT_MAX_AGE_S = 24 * 3600  # drafts older than a day are not matched to a new commit


def _similarity(draft: str, message: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, draft.strip(), message.strip(), autojunk=False).ratio()


def attach_to_head() -> None:
    """The commit just made gets the voice note (transcript and audio, as `git voice commit` leaves them) of the
    newest recording whose drafted message it carries: same subject, or most of the draft kept through the
    editor. A commit whose message was written otherwise matches no draft and is left alone."""
    import time

    from gitvoice.git.commit import head_commit, head_message
    from gitvoice.git.notes import configure_notes_rewrite, read_transcript_note, write_voice_note
    from gitvoice.pipeline.voice_note import NoteSettings, note_audio

    commit = head_commit()
    if commit is None or read_transcript_note(commit) is not None:
        return
    message = head_message()
    with Store.open() as store:
        for entry in store.with_status(DRAFTED):
            if entry.draft_path is None or not entry.draft_path.is_file() or entry.transcript is None:
                continue
            if time.time() - entry.draft_path.stat().st_mtime > DRAFT_MAX_AGE_S:
                continue
            draft = entry.draft_path.read_text(encoding="utf-8", errors="replace")
            if draft.splitlines()[:1] != message.splitlines()[:1] and _similarity(draft, message) < DRAFT_MATCH:
                continue
            try:
                attached = note_audio(entry.path, NoteSettings.resolve())
            except ModuleNotFoundError:  # a check-only install has no audio encoder: the transcript still goes
                attached = None
            configure_notes_rewrite()
            write_voice_note(commit, entry.transcript, attached.data if attached else None)
            store.mark_committed(entry.id, commit)
            entry.draft_path.unlink(missing_ok=True)
            if attached is not None and attached.data is not None:
                entry.path.unlink(missing_ok=True)  # a copy now lives in refs/notes/voice-audio
            _say(f"voice note on {commit[:12]} from recording #{entry.id} (git voice show {commit[:12]})")
            return
