"""`git voice show REV`: the transcript of the voice note on a commit."""

from __future__ import annotations

import click

from gitvoice.core.errors import GitVoiceError
from gitvoice.git.notes import VOICE_NOTES_REF, read_transcript_note, resolve_commit

NO_NOTE_HINT = ("voice notes come from `git voice commit`; in a clone, fetch them with "
                "`git fetch origin 'refs/notes/voice*:refs/notes/voice*'`")


@click.command()
@click.argument("rev", default="HEAD")
def show(rev: str) -> None:
    """Print the transcript attached to commit REV (default HEAD), as kept in refs/notes/voice."""
    commit = resolve_commit(rev)
    transcript = read_transcript_note(commit)
    if transcript is None:
        raise GitVoiceError(f"commit {commit[:12]} ({rev}) has no voice note in {VOICE_NOTES_REF}", hint=NO_NOTE_HINT)
    click.echo(transcript)
