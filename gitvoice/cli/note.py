"""`git voice note [REV]`: say something about an existing commit; it becomes that commit's voice note."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.cli.options import model_options
from gitvoice.core.errors import GitVoiceError
from gitvoice.pipeline.stored import speak_into_store
from gitvoice.store.history import Store


def _note_audio(recording: Path) -> tuple[bytes | None, str]:
    """The compressed recording for the audio note (None when voice.keepAudio is false or it is over the cap)
    and a few words saying what was attached."""
    from gitvoice.audio.encode import encode_for_note
    from gitvoice.audio.files import read_audio
    from gitvoice.git.notes import keep_audio, max_audio_note_bytes

    if not keep_audio():
        return None, "transcript only (voice.keepAudio is false)"
    encoded, suffix = encode_for_note(read_audio(recording))
    limit = max_audio_note_bytes()
    if limit and len(encoded) > limit:
        click.echo(f"gitvoice: the recording is {len(encoded):,} bytes compressed, over the {limit:,}-byte cap for "
                   f"audio notes (git config voice.maxAudioNoteBytes); only the transcript is attached, the "
                   f"recording stays at {recording}", err=True)
        return None, "transcript only"
    return encoded, f"transcript and {len(encoded) // 1000 or 1} kB of {suffix[1:]} audio"


@click.command()
@click.argument("rev", default="HEAD", metavar="[REV]")
@click.option("--audio", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this recording instead of the microphone (it is copied, never moved).")
@model_options
def note(rev: str, audio: Path | None, model: str | None, device: str | None, language: str | None) -> None:
    """Add or replace the voice note of an existing commit (default HEAD).

    The transcript goes to refs/notes/voice and the compressed recording to refs/notes/voice-audio, exactly as
    `git voice commit` leaves them, so a series can be annotated before `git voice format-patch` sends it (each
    patch then carries its note below the `---` line). What the commit changed is Whisper's vocabulary.
    """
    from gitvoice.composition.identifiers import diff_identifiers
    from gitvoice.config.hotwords import read_hotwords_file
    from gitvoice.git.notes import configure_notes_rewrite, read_transcript_note, resolve_commit, write_voice_note
    from gitvoice.git.patches import commit_change_context
    from gitvoice.git.repo import require_repo_root

    root = require_repo_root()
    commit = resolve_commit(rev)  # a bad REV fails before anyone speaks
    vocabulary = [*read_hotwords_file(root), *diff_identifiers(commit_change_context(commit))]
    replacing = read_transcript_note(commit) is not None
    with Store.open() as store:
        spoken = speak_into_store(store, audio, origin="note", vocabulary=vocabulary, model=model, device=device,
                                  language=language)
        draft = store.save_draft(spoken.recording_id, spoken.transcript)  # kept until the note exists
        note_audio, detail = _note_audio(spoken.recording)
        added = configure_notes_rewrite()
        if added:
            click.echo(f"gitvoice: configured notes.rewriteRef for {' and '.join(added)} in this repository, so "
                       "voice notes follow `git commit --amend` and `git rebase`; share them with "
                       "`git push origin 'refs/notes/voice*'`", err=True)
        try:
            write_voice_note(commit, spoken.transcript, note_audio)
        except GitVoiceError as error:
            raise GitVoiceError(f"{error.message}; the transcript is kept at {draft} and the recording at "
                                f"{spoken.recording}", hint="run `git voice note` again with --audio "
                                f"{spoken.recording}") from error
        store.mark_noted(spoken.recording_id, commit)
        draft.unlink(missing_ok=True)
        if note_audio is not None:
            spoken.recording.unlink(missing_ok=True)  # a copy now lives in refs/notes/voice-audio
    click.echo(spoken.transcript)
    click.echo(f"{'replaced the' if replacing else 'added a'} voice note on {commit[:12]}: {detail} "
               f"(git voice show {commit[:12]})", err=True)
