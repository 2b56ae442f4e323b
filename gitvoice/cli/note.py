"""`git voice note [REV]`: say something about an existing commit; it becomes that commit's voice note."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.cli.options import model_options
from gitvoice.core.errors import GitVoiceError, UsageError
from gitvoice.core.notices import transcription_progress
from gitvoice.pipeline.stored import ModelChoice, speak_into_store
from gitvoice.store.history import Store


@click.command()
@click.argument("rev", default="HEAD", metavar="[REV]")
@click.option("--audio", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this recording instead of the microphone (it is copied, never moved).")
@click.option("--edit", "edit_transcript", is_flag=True,
              help="Correct the transcript of REV's voice note in your editor; the recording stays as it is.")
@model_options
def note(rev: str, audio: Path | None, edit_transcript: bool, model: str | None, device: str | None,
         language: str | None) -> int:
    """Add or replace the voice note of an existing commit (default HEAD).

    The transcript goes to refs/notes/voice and the compressed recording to refs/notes/voice-audio, exactly as
    `git voice commit` leaves them, so a series can be annotated before `git voice format-patch` sends it (each
    patch then carries its note below the `---` line). What the commit changed is Whisper's vocabulary.

    --edit opens the transcript in your editor instead (git's own: GIT_EDITOR, core.editor, VISUAL, EDITOR), so
    a corrected message and its note agree, and format-patch sends the corrected text.
    """
    if edit_transcript:
        if audio is not None:
            raise UsageError("--edit corrects the transcript that is there; it cannot be combined with --audio",
                             hint="run `git voice note --audio FILE` to replace the note, then --edit to correct it")
        return _edit_transcript(rev)
    from gitvoice.git.notes import configure_notes_rewrite, read_transcript_note, resolve_commit, write_voice_note
    from gitvoice.git.patches import commit_change_context
    from gitvoice.git.repo import require_repo_root
    from gitvoice.pipeline.capture import capture_options
    from gitvoice.pipeline.vocabulary import code_vocabulary
    from gitvoice.pipeline.voice_note import NoteSettings, note_audio, prepare_note_audio

    root = require_repo_root()
    commit = resolve_commit(rev)  # a bad REV fails before anyone speaks
    note_settings = NoteSettings.resolve()
    choice = ModelChoice.resolve(model, device, language)
    capture = capture_options()
    vocabulary = code_vocabulary(commit_change_context(commit), root=root)
    replacing = read_transcript_note(commit) is not None
    with Store.open() as store:
        with transcription_progress() as progress:
            spoken = speak_into_store(store, audio, origin="note", vocabulary=vocabulary, choice=choice,
                                      capture=capture, on_progress=progress,
                                      on_stored=lambda recording: prepare_note_audio(recording, note_settings))
        draft = store.save_draft(spoken.recording_id, spoken.transcript)  # kept until the note exists
        attached = note_audio(spoken.recording, note_settings)
        if attached.warning:
            click.echo(f"gitvoice: {attached.warning}", err=True)
        note_audio_data, detail = attached.data, attached.detail
        added = configure_notes_rewrite()
        if added:
            click.echo(f"gitvoice: configured notes.rewriteRef for {' and '.join(added)} in this repository, so "
                       "voice notes follow `git commit --amend` and `git rebase`; share them with "
                       "`git push origin 'refs/notes/voice*'`", err=True)
        try:
            write_voice_note(commit, spoken.transcript, note_audio_data)
        except GitVoiceError as error:
            raise GitVoiceError(f"{error.message}; the transcript is kept at {draft} and the recording at "
                                f"{spoken.recording}", hint="run `git voice note` again with --audio "
                                f"{spoken.recording}") from error
        store.mark_noted(spoken.recording_id, commit)
        draft.unlink(missing_ok=True)
        if note_audio_data is not None:
            spoken.recording.unlink(missing_ok=True)  # a copy now lives in refs/notes/voice-audio
    click.echo(spoken.transcript)
    click.echo(f"{'replaced the' if replacing else 'added a'} voice note on {commit[:12]}: {detail} "
               f"(git voice show {commit[:12]})", err=True)
    return 0


def _edit_transcript(rev: str) -> int:
    from gitvoice.git.notes import edit_transcript_note, read_transcript_note, resolve_commit

    commit = resolve_commit(rev)
    if read_transcript_note(commit) is None:
        raise GitVoiceError(f"{commit[:12]} has no voice note to edit",
                            hint=f"record one with `git voice note {rev}` (or --audio FILE)")
    status = edit_transcript_note(commit)
    if status != 0:
        raise GitVoiceError(f"the editor failed (exit {status}); the voice note of {commit[:12]} is unchanged",
                            hint="check `git var GIT_EDITOR`")
    click.echo(f"edited the transcript of {commit[:12]}'s voice note; its recording is unchanged "
               f"(git voice show {commit[:12]})", err=True)
    return 0
